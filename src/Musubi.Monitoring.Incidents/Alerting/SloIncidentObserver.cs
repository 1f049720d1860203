using System.Globalization;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Opens an incident when an in-process SLO burn-rate alert fires and resolves it when the alert resolves (one incident
/// per SLO and alert name at a time). Registered by <c>.AddIncidents()</c> unless
/// <see cref="IncidentOptions.OpenFromSloAlerts"/> is off.
/// </summary>
internal sealed class SloIncidentObserver(IncidentService service, IncidentOptions options, ILogger<SloIncidentObserver> logger) : ISloAlertObserver
{
    public async Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!options.OpenFromSloAlerts)
        {
            return;
        }

        try
        {
            await service.HandleAlertAsync(ToIncidentAlert(alert, options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SloAlertFailed(logger, alert.AlertName, alert.SloId, ex);
        }
    }

    internal static IncidentAlert ToIncidentAlert(SloAlert alert, IncidentOptions options)
    {
        string kind = alert.Severity == AlertSeverity.Page ? "page" : "ticket";
        string windows = alert.Windows.Count == 0 ? string.Empty : " over " + string.Join(", ", alert.Windows);
        return new IncidentAlert(
            Key: "slo:" + alert.SloId + ":" + alert.AlertName,
            State: alert.State == SloAlertState.Firing ? IncidentAlertState.Firing : IncidentAlertState.Resolved,
            Title: $"SLO {alert.SloId} of {alert.Service} is burning its error budget ({kind})",
            Severity: options.SeverityOf(alert.Severity),
            Source: "slo-monitor")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{alert.AlertName}: burn rate {alert.BurnRate:0.###}{windows}; error budget left {alert.ErrorBudgetRemaining:P1}"),
            AffectedServices = [alert.Service],
            At = alert.Time,
        };
    }
}
