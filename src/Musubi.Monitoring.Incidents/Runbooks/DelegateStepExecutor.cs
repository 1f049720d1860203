using System.Collections.Frozen;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Runs steps with delegates: one delegate for every step, or one per step id with a fallback executor (by default a
/// <see cref="ManualStepExecutor"/>) for the steps without one, so a runbook can mix automated and manual steps.
/// </summary>
/// <remarks>Thread-safe when the delegates are; the delegates are copied when it is built.</remarks>
public sealed class DelegateStepExecutor : IRunbookStepExecutor
{
    private readonly Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>? _all;
    private readonly FrozenDictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>> _byStepId;
    private readonly IRunbookStepExecutor _fallback;

    /// <summary>Initializes a new instance of the <see cref="DelegateStepExecutor"/> class that runs every step with one delegate.</summary>
    /// <param name="execute">Runs one attempt of any step.</param>
    /// <exception cref="ArgumentNullException"><paramref name="execute"/> is <see langword="null"/>.</exception>
    public DelegateStepExecutor(Func<RunbookStepContext, CancellationToken, Task<StepOutcome>> execute)
    {
        ArgumentNullException.ThrowIfNull(execute);
        _all = execute;
        _byStepId = FrozenDictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>>.Empty;
        _fallback = new ManualStepExecutor();
    }

    /// <summary>Initializes a new instance of the <see cref="DelegateStepExecutor"/> class with one delegate per step id.</summary>
    /// <param name="byStepId">The delegates, keyed by step id (ordinal).</param>
    /// <param name="fallback">Runs the steps without a delegate; <see langword="null"/> for a <see cref="ManualStepExecutor"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="byStepId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A delegate is null (the message names its step id).</exception>
    public DelegateStepExecutor(
        IReadOnlyDictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>> byStepId,
        IRunbookStepExecutor? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(byStepId);
        foreach (KeyValuePair<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>> pair in byStepId)
        {
            if (pair.Value is null)
            {
                throw new ArgumentException($"The delegate for step '{pair.Key}' is null.", nameof(byStepId));
            }
        }

        _byStepId = byStepId.ToFrozenDictionary(StringComparer.Ordinal);
        _fallback = fallback ?? new ManualStepExecutor();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public Task<StepOutcome> ExecuteAsync(RunbookStepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_all is not null)
        {
            return _all(context, cancellationToken);
        }

        return _byStepId.TryGetValue(context.Step.Id, out Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>? execute)
            ? execute(context, cancellationToken)
            : _fallback.ExecuteAsync(context, cancellationToken);
    }
}
