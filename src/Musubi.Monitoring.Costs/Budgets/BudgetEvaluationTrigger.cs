using System.Threading.Channels;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Asks the <see cref="BudgetEvaluationService"/> for an evaluation. Requests are coalesced: while one is pending, more
/// requests add nothing, so a burst of records causes one evaluation.
/// </summary>
/// <remarks>Thread-safe; <see cref="Request"/> never blocks or throws.</remarks>
internal sealed class BudgetEvaluationTrigger
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Requests an evaluation (a no-op when one is already pending).</summary>
    public void Request() => _pending.Writer.TryWrite(true);

    /// <summary>Waits until an evaluation is requested, and takes the request.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken) =>
        await _pending.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
}
