using System.Collections.Concurrent;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Sample;

/// <summary>An in-process subscriber to SLO burn-rate alerts: logs each transition and keeps it for the summary.</summary>
internal sealed partial class SloAlertLog(ILogger<SloAlertLog> logger) : ISloAlertObserver
{
    public ConcurrentQueue<SloAlert> Alerts { get; } = new();

    public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
    {
        Alerts.Enqueue(alert);
        LogTransition(logger, alert.AlertName, alert.State, alert.SloId, string.Join(" ", alert.Windows), alert.BurnRate);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Warning, "{AlertName} {State} for SLO {SloId} (windows {Windows}, burn rate {BurnRate})")]
    private static partial void LogTransition(ILogger logger, string alertName, SloAlertState state, string sloId, string windows, decimal burnRate);
}
