using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Incidents;

/// <summary>The incident package's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Incident observer {Observer} failed for incident {IncidentId}; the change is saved.")]
    public static partial void ObserverFailed(ILogger logger, string observer, string incidentId, Exception exception);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Incident statistics could not be read from the store; the exported incident metrics keep their last values.")]
    public static partial void StatisticsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Alert {AlertKey} ({State}) from {Source}: {Outcome} {IncidentId}.")]
    public static partial void AlertHandled(ILogger logger, string alertKey, IncidentAlertState state, string source, AlertOutcome outcome, string? incidentId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "SLO alert {AlertName} of {SloId} could not open or resolve an incident.")]
    public static partial void SloAlertFailed(ILogger logger, string alertName, string sloId, Exception exception);
}
