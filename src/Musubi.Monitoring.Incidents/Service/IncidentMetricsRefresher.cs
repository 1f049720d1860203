using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Recomputes the incident metrics when the host starts and every <see cref="IncidentOptions.StatisticsRefreshInterval"/>
/// on the container's <see cref="TimeProvider"/>, so the window slides and other writers' changes show.
/// </summary>
internal sealed class IncidentMetricsRefresher(IncidentService service, TimeProvider timeProvider, IOptions<IncidentOptions> options) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.RefreshMetricsAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan interval = options.Value.StatisticsRefreshInterval;
        _timer = timeProvider.CreateTimer(_ => Tick(), null, interval, interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    private void Tick()
    {
        // One refresh at a time: a slow store skips ticks rather than piling them up.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await service.RefreshMetricsAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
