using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Incidents;

/// <summary>The log messages of escalation and the notifiers.</summary>
internal static partial class EscalationLog
{
    [LoggerMessage(1, LogLevel.Warning, "Incident {IncidentId} ({Severity}) '{Title}': escalation level {Level}, round {Round} of policy {PolicyId}; notifying {Recipients}.")]
    public static partial void Notification(ILogger logger, string incidentId, string severity, string title, int level, int round, string policyId, string recipients);

    [LoggerMessage(2, LogLevel.Error, "Notifying level {Level}, round {Round} of incident {IncidentId} threw; escalation goes on.")]
    public static partial void NotifierThrew(ILogger logger, string incidentId, int level, int round, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Notifying level {Level}, round {Round} of incident {IncidentId} failed after {Attempts} attempt(s): {Error}")]
    public static partial void NotificationFailed(ILogger logger, string incidentId, int level, int round, int attempts, string? error);

    [LoggerMessage(4, LogLevel.Warning, "Level {Level}, round {Round} of incident {IncidentId} has nobody on call; escalating to the next level at once.")]
    public static partial void NobodyOnCall(ILogger logger, string incidentId, int level, int round);

    [LoggerMessage(5, LogLevel.Warning, "Reading incident {IncidentId} from the store failed; escalating as if it were still unacknowledged.")]
    public static partial void StoreReadFailed(ILogger logger, string incidentId, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Recording an escalation in the timeline of incident {IncidentId} failed; the notification itself went out.")]
    public static partial void TimelineFailed(ILogger logger, string incidentId, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Escalation of incident {IncidentId} ended: {Reason}.")]
    public static partial void Ended(ILogger logger, string incidentId, string reason);

    [LoggerMessage(8, LogLevel.Error, "An escalation step of incident {IncidentId} failed unexpectedly; its escalation has stopped.")]
    public static partial void StepFailed(ILogger logger, string incidentId, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Webhook attempt {Attempt} of {MaxAttempts} for incident {IncidentId} failed: {Error}")]
    public static partial void WebhookAttemptFailed(ILogger logger, string incidentId, int attempt, int maxAttempts, string error);
}
