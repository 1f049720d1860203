using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Recomputes the incident metrics when the host starts and every <see cref="IncidentOptions.StatisticsRefreshInterval"/>
/// on the container's <see cref="TimeProvider"/>, so the window slides and other writers' changes show. A tick while a
/// refresh runs is folded into it (see <see cref="IncidentService.RequestMetricsRefresh"/>).
/// </summary>
internal sealed class IncidentMetricsRefresher(IncidentService service, TimeProvider timeProvider, IOptions<IncidentOptions> options) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        service.RequestMetricsRefresh();
        TimeSpan interval = options.Value.StatisticsRefreshInterval;
        _timer = timeProvider.CreateTimer(static s => ((IncidentService)s!).RequestMetricsRefresh(), service, interval, interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
