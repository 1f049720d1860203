namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Delivers escalation notifications (a page, a chat message, a webhook). <see cref="LoggingIncidentNotifier"/> writes
/// them to a log; <see cref="WebhookIncidentNotifier"/> posts them as JSON.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe. They should report a failed delivery in the result rather than throw; the
/// <see cref="EscalationEngine"/> tolerates an exception (it logs it and escalates on) but cannot retry for you.
/// </remarks>
public interface IIncidentNotifier
{
    /// <summary>Delivers one notification.</summary>
    /// <param name="notification">What to deliver, and to whom.</param>
    /// <param name="cancellationToken">Cancels the delivery (the engine is being disposed).</param>
    /// <returns>Whether it was delivered, after how many attempts, and the last error if it was not.</returns>
    public Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken);
}

/// <summary>An escalation notification: which incident, which level of which round, and who is notified.</summary>
/// <param name="IncidentId">The incident's id.</param>
/// <param name="Title">The incident's title.</param>
/// <param name="Severity">The incident's severity.</param>
/// <param name="PolicyId">The escalation policy's id.</param>
/// <param name="Level">The level notified, from 1.</param>
/// <param name="Round">The pass through the policy's levels, from 1 (2 is the first repeat).</param>
/// <param name="Recipients">The users notified: the level's users, and whoever its schedules have on call at <paramref name="At"/>; each once.</param>
/// <param name="At">When the level was notified.</param>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed record IncidentNotification(
    string IncidentId,
    string Title,
    Severity Severity,
    string PolicyId,
    int Level,
    int Round,
    IReadOnlyList<string> Recipients,
    DateTimeOffset At);

/// <summary>The outcome of delivering a notification.</summary>
/// <param name="Delivered">Whether it was delivered.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Error">Why the last attempt failed, when it was not delivered.</param>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed record NotificationResult(bool Delivered, int Attempts, string? Error)
{
    /// <summary>A delivered notification.</summary>
    /// <param name="attempts">How many attempts it took.</param>
    /// <returns>The result.</returns>
    public static NotificationResult Success(int attempts = 1) => new(true, attempts, null);

    /// <summary>A notification that was not delivered.</summary>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="error">Why the last one failed.</param>
    /// <returns>The result.</returns>
    public static NotificationResult Failure(int attempts, string error) => new(false, attempts, error);
}
