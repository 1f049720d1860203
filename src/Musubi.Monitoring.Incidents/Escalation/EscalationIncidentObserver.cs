using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Starts a policy's escalation for each incident <see cref="IncidentService"/> opens at or above a severity, and stops
/// it when the service saves the acknowledgement or the resolution. Registered by
/// <c>AddEscalation(policy, pageUpTo)</c>.
/// </summary>
internal sealed partial class EscalationIncidentObserver(EscalationEngine engine, EscalationPolicy policy, Severity pageUpTo, ILogger<EscalationIncidentObserver> logger)
    : IIncidentObserver
{
    public async Task OnIncidentChangedAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        Incident incident = change.Current;
        if (change.Opened && incident.Severity <= pageUpTo)
        {
            bool started = await engine.StartAsync(incident, policy, cancellationToken).ConfigureAwait(false);
            LogStarted(logger, incident.Id, policy.Id, started);
        }
        else if (change.Acknowledged)
        {
            engine.Acknowledge(incident.Id);
        }
        else if (change.Ended)
        {
            engine.Stop(incident.Id);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Escalation of incident {IncidentId} by policy {PolicyId}: started {Started}.")]
    private static partial void LogStarted(ILogger logger, string incidentId, string policyId, bool started);
}
