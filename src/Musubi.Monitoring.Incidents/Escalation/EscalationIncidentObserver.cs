using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Starts a policy's escalation for each incident <see cref="IncidentService"/> opens at or above a severity, and stops
/// it when the service saves the acknowledgement or the resolution. When the host starts, it resumes the escalation of
/// the open, unacknowledged incidents in the store (a restart must not silence a page). Registered by
/// <c>AddEscalation(policy, pageUpTo)</c>.
/// </summary>
internal sealed partial class EscalationIncidentObserver(
    EscalationEngine engine, EscalationPolicy policy, Severity pageUpTo, IIncidentStore? store, ILogger<EscalationIncidentObserver> logger)
    : IIncidentObserver, IHostedService
{
    /// <summary>Gets the resumption started when the host started (for tests); completes when every resumed level was notified.</summary>
    internal Task Resumed { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Resumes the escalations of the open, unacknowledged incidents. Only the store is read before the host goes on:
    /// each escalation picks its level at once, and the notifications (a webhook may retry for a while) run in the
    /// background, so a pager that is down does not hold up the host's start.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        var resumptions = new List<Task<bool>>();
        try
        {
            for (int skip = 0; ; skip += 1000)
            {
                IncidentPage page = await store.ListAsync(new IncidentQuery { Open = true, Skip = skip, Take = 1000 }, cancellationToken).ConfigureAwait(false);
                resumptions.AddRange(page.Items
                    .Where(i => i.AcknowledgedAt is null && i.Severity <= pageUpTo)
                    .Select(i => engine.ResumeAsync(i, policy, CancellationToken.None)));
                if (page.Items.Count < 1000)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogResumeFailed(logger, policy.Id, ex);
        }

        Resumed = LogResumedAsync(resumptions);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LogResumedAsync(List<Task<bool>> resumptions)
    {
        try
        {
            bool[] started = await Task.WhenAll(resumptions).ConfigureAwait(false);
            int resumed = started.Count(s => s);
            LogResumed(logger, resumed, policy.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogResumeFailed(logger, policy.Id, ex);
        }
    }

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

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Resumed the escalation of {Count} open, unacknowledged incidents by policy {PolicyId}.")]
    private static partial void LogResumed(ILogger logger, int count, string policyId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Could not resume escalations by policy {PolicyId}; open incidents from before the start are not paged.")]
    private static partial void LogResumeFailed(ILogger logger, string policyId, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Escalation of incident {IncidentId} by policy {PolicyId}: started {Started}.")]
    private static partial void LogStarted(ILogger logger, string incidentId, string policyId, bool started);
}
