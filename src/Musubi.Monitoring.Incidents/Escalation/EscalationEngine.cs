using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Escalates unacknowledged incidents: notifies the first level of a policy at once, and each next level when the
/// previous level's delay passes without an acknowledgement, repeating as the policy says.
/// </summary>
/// <remarks>
/// <para>
/// Times come from the injected <see cref="TimeProvider"/>: one timer per escalating incident, no polling. Each level is
/// due its delay after the previous level was <em>due</em>, so a slow notifier does not push later levels back. A level
/// whose targets resolve to nobody (its schedules have nobody on call) is skipped: the next level is notified at once.
/// </para>
/// <para>
/// Escalation of an incident stops on <see cref="Acknowledge"/> or <see cref="Stop"/>, after the last level of the last
/// round, and — when an <see cref="IIncidentStore"/> is given — as soon as the stored incident is acknowledged, resolved,
/// closed or gone: the store is read before every level, so an acknowledgement made elsewhere stops it too. If the store
/// cannot be read the level is notified anyway (paging once too often beats not paging). With a store, each notification
/// is recorded in the incident's timeline as kind <c>escalation</c> (stale versions re-read and retried).
/// </para>
/// <para>
/// A notifier that throws or reports a failure is logged and escalation goes on. Thread-safe. <see cref="Dispose"/>
/// stops every escalation and its timer.
/// </para>
/// </remarks>
public sealed class EscalationEngine : IDisposable
{
    /// <summary>The actor named in the timeline entries the engine writes.</summary>
    public const string TimelineActor = "escalation";

    /// <summary>The kind of the timeline entries the engine writes.</summary>
    public const string TimelineKind = "escalation";

    private const int MaxSaveAttempts = 5;

    private readonly IIncidentNotifier _notifier;
    private readonly TimeProvider _timeProvider;
    private readonly IIncidentStore? _store;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, OnCallSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="EscalationEngine"/> class.</summary>
    /// <param name="notifier">Delivers the notifications.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="schedules">The on-call schedules that policy targets name (more can be added with <see cref="SetSchedule"/>).</param>
    /// <param name="store">The incident store, read before every level and written with a timeline entry per notification; <see langword="null"/> for none.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="notifier"/> or <paramref name="timeProvider"/> is <see langword="null"/>, or a schedule is.</exception>
    /// <exception cref="ArgumentException">Two schedules share an id.</exception>
    public EscalationEngine(
        IIncidentNotifier notifier,
        TimeProvider timeProvider,
        IEnumerable<OnCallSchedule>? schedules = null,
        IIncidentStore? store = null,
        ILogger<EscalationEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _notifier = notifier;
        _timeProvider = timeProvider;
        _store = store;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        foreach (OnCallSchedule schedule in schedules ?? [])
        {
            ArgumentNullException.ThrowIfNull(schedule, nameof(schedules));
            if (!_schedules.TryAdd(schedule.Id, schedule))
            {
                throw new ArgumentException($"Two schedules have the id '{schedule.Id}'.", nameof(schedules));
            }
        }
    }

    /// <summary>Gets how many incidents are escalating now.</summary>
    public int ActiveCount => _runs.Count;

    /// <summary>Adds a schedule, or replaces the one with the same id (for example with a new override); later levels use it.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is <see langword="null"/>.</exception>
    public void SetSchedule(OnCallSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedules[schedule.Id] = schedule;
    }

    /// <summary>
    /// Starts escalating <paramref name="incident"/> by <paramref name="policy"/>: notifies the first level before the
    /// returned task completes, and arms a timer for the next.
    /// </summary>
    /// <param name="incident">The incident; nothing happens when it is already acknowledged or no longer open.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">Cancels waiting for the first level; escalation itself goes on.</param>
    /// <returns>
    /// <see langword="true"/> when escalation started (it ends at once if the store already shows the incident
    /// acknowledged or resolved); <see langword="false"/> when the incident is already escalating, acknowledged, or not open.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="incident"/> or <paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy names a schedule the engine does not know (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the first level was notified.</exception>
    public Task<bool> StartAsync(Incident incident, EscalationPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(policy);
        return StartRunAsync(incident, policy, 0, 0, _timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Picks up the escalation of an incident where it would be if it had run since the incident was detected, for a
    /// host that restarted while incidents were open and unacknowledged: the level due now is notified again (its
    /// notification has the same level and round, so a pager that honours the webhook's <c>Idempotency-Key</c> sees it
    /// once), and the later levels follow on time.
    /// </summary>
    /// <param name="incident">The incident; nothing happens when it is acknowledged or no longer open.</param>
    /// <param name="policy">The policy it escalates by.</param>
    /// <param name="cancellationToken">Cancels waiting for the level due now; escalation itself goes on.</param>
    /// <returns>
    /// <see langword="true"/> when escalation resumed; <see langword="false"/> when the incident is escalating already,
    /// acknowledged, not open, or past the policy's last level and round.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="incident"/> or <paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy names a schedule the engine does not know (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the level due now was notified.</exception>
    public Task<bool> ResumeAsync(Incident incident, EscalationPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(policy);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        DateTimeOffset due = incident.DetectedAt;
        for (int round = 0; round <= policy.RepeatCount; round++)
        {
            for (int level = 0; level < policy.Levels.Length; level++)
            {
                DateTimeOffset next = due + policy.Levels[level].Delay;
                bool last = round == policy.RepeatCount && level == policy.Levels.Length - 1;
                if (next > now || last)
                {
                    return last && next <= now
                        ? Task.FromResult(false)   // every level and round was due long ago: the escalation is over
                        : StartRunAsync(incident, policy, level, round, due, cancellationToken);
                }

                due = next;
            }
        }

        return Task.FromResult(false);
    }

    private async Task<bool> StartRunAsync(Incident incident, EscalationPolicy policy, int levelIndex, int round, DateTimeOffset due, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string[] unknown = [.. policy.Levels.SelectMany(l => l.Targets)
            .Where(t => t.Kind == EscalationTargetKind.Schedule && !_schedules.ContainsKey(t.Id))
            .Select(t => t.Id).Distinct()];
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"Escalation policy '{policy.Id}' names schedule(s) {string.Join(", ", unknown.Select(u => "'" + u + "'"))} that the engine does not know; add them with SetSchedule.",
                nameof(policy));
        }

        if (!incident.IsOpen || incident.AcknowledgedAt is not null)
        {
            return false;
        }

        var run = new Run(incident.Id, incident.Title, incident.Severity, policy, due) { LevelIndex = levelIndex, Round = round };
        if (!_runs.TryAdd(incident.Id, run))
        {
            return false;
        }

        if (_disposed)
        {
            // Dispose ran between the check above and TryAdd, and did not see this run.
            End(run, "the engine was disposed");
            throw new ObjectDisposedException(nameof(EscalationEngine));
        }

        await RunDueLevelsAsync(run).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads an incident from the store and starts escalating it (see <see cref="StartAsync(Incident, EscalationPolicy, CancellationToken)"/>).</summary>
    /// <param name="incidentId">The incident's id.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">Cancels reading the incident and waiting for the first level; escalation itself goes on.</param>
    /// <returns>As <see cref="StartAsync(Incident, EscalationPolicy, CancellationToken)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="incidentId"/> is null or white space, or the policy names an unknown schedule.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The engine has no store.</exception>
    /// <exception cref="KeyNotFoundException">The store has no incident with that id.</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> StartAsync(string incidentId, EscalationPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        ArgumentNullException.ThrowIfNull(policy);
        if (_store is null)
        {
            throw new InvalidOperationException($"The engine has no incident store to read incident {incidentId} from; pass the incident itself.");
        }

        Incident incident = await _store.GetAsync(incidentId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"The store has no incident with id {incidentId}.");
        return await StartAsync(incident, policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops escalating an incident because it was acknowledged.</summary>
    /// <param name="incidentId">The incident's id.</param>
    /// <returns><see langword="true"/> when it was escalating.</returns>
    /// <exception cref="ArgumentException"><paramref name="incidentId"/> is null or white space.</exception>
    public bool Acknowledge(string incidentId) => End(incidentId, "acknowledged");

    /// <summary>Stops escalating an incident (it was resolved, or escalation is no longer wanted).</summary>
    /// <param name="incidentId">The incident's id.</param>
    /// <returns><see langword="true"/> when it was escalating.</returns>
    /// <exception cref="ArgumentException"><paramref name="incidentId"/> is null or white space.</exception>
    public bool Stop(string incidentId) => End(incidentId, "stopped");

    /// <summary>Returns whether an incident is escalating.</summary>
    /// <param name="incidentId">The incident's id.</param>
    /// <returns><see langword="true"/> while a later level or round is still pending.</returns>
    /// <exception cref="ArgumentException"><paramref name="incidentId"/> is null or white space.</exception>
    public bool IsEscalating(string incidentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        return _runs.ContainsKey(incidentId);
    }

    /// <summary>Stops every escalation and its timer, and cancels notifications in flight.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Run run in _runs.Values)
        {
            End(run, "the engine was disposed");
        }

        // Cancelled, not disposed: steps still in flight read its token.
        _disposing.Cancel();
    }

    private bool End(string incidentId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        return _runs.TryGetValue(incidentId, out Run? run) && End(run, reason);
    }

    private bool End(Run run, string reason)
    {
        lock (run.Gate)
        {
            if (run.Stopped)
            {
                return false;
            }

            run.Stopped = true;
            run.Timer?.Dispose();
        }

        _runs.TryRemove(new KeyValuePair<string, Run>(run.IncidentId, run));
        EscalationLog.Ended(_logger, run.IncidentId, reason);
        return true;
    }

    private void OnTimer(Run run) => _ = RunDueLevelsAsync(run);

    /// <summary>Notifies the level that is due (and any empty levels after it), then arms the timer for the next one.</summary>
    private async Task RunDueLevelsAsync(Run run)
    {
        try
        {
            while (true)
            {
                int levelIndex;
                int round;
                lock (run.Gate)
                {
                    if (run.Stopped)
                    {
                        return;
                    }

                    levelIndex = run.LevelIndex;
                    round = run.Round;
                }

                if (await StoppedInStoreAsync(run).ConfigureAwait(false) is { } reason)
                {
                    End(run, reason);
                    return;
                }

                EscalationLevel level = run.Policy.Levels[levelIndex];
                DateTimeOffset now = _timeProvider.GetUtcNow();
                string[] recipients = Resolve(level, now);
                bool notified = recipients.Length > 0;
                if (notified)
                {
                    lock (run.Gate)
                    {
                        if (run.Stopped)
                        {
                            return;
                        }
                    }

                    var notification = new IncidentNotification(run.IncidentId, run.Title, run.Severity, run.Policy.Id,
                        levelIndex + 1, round + 1, recipients, now);
                    NotificationResult result = await NotifyAsync(notification).ConfigureAwait(false);
                    await RecordAsync(run.IncidentId, now, Describe(notification, result)).ConfigureAwait(false);
                }
                else
                {
                    EscalationLog.NobodyOnCall(_logger, run.IncidentId, levelIndex + 1, round + 1);
                    await RecordAsync(run.IncidentId, now, string.Create(CultureInfo.InvariantCulture,
                        $"Level {levelIndex + 1}, round {round + 1} of policy '{run.Policy.Id}': nobody on call; escalating at once.")).ConfigureAwait(false);
                }

                lock (run.Gate)
                {
                    if (run.Stopped)
                    {
                        return;
                    }

                    // Each next level is due its delay after this one was due; a skipped level hands over at once.
                    run.Due = notified ? run.Due + level.Delay : now;
                    run.LevelIndex++;
                    if (run.LevelIndex == run.Policy.Levels.Length)
                    {
                        run.LevelIndex = 0;
                        run.Round++;
                    }

                    if (run.Round <= run.Policy.RepeatCount && run.Due > now)
                    {
                        TimeSpan wait = run.Due - _timeProvider.GetUtcNow();
                        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                        if (run.Timer is null)
                        {
                            run.Timer = _timeProvider.CreateTimer(static state => ((Tick)state!).Fire(), new Tick(this, run), wait, Timeout.InfiniteTimeSpan);
                        }
                        else
                        {
                            run.Timer.Change(wait, Timeout.InfiniteTimeSpan);
                        }

                        return;
                    }
                }

                if (run.Round > run.Policy.RepeatCount)
                {
                    End(run, "every level was notified and nobody acknowledged");
                    return;
                }

                // Due now (a skipped level): notify the next level in this same pass.
            }
        }
        catch (OperationCanceledException) when (_disposed)
        {
            // Disposed while a notification or a store call was in flight: nothing to report.
        }
        catch (Exception e)
        {
            EscalationLog.StepFailed(_logger, run.IncidentId, e);
            End(run, "a step failed");
        }
    }

    private async Task<string?> StoppedInStoreAsync(Run run)
    {
        if (_store is null)
        {
            return null;
        }

        Incident? current;
        try
        {
            current = await _store.GetAsync(run.IncidentId, _disposing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_disposed)
        {
            EscalationLog.StoreReadFailed(_logger, run.IncidentId, e);
            return null;
        }

        return current switch
        {
            null => "the incident is no longer in the store",
            { AcknowledgedAt: not null } => "the incident was acknowledged by " + current.AcknowledgedBy,
            { IsOpen: false } => "the incident is " + current.Status,
            _ => null,
        };
    }

    private string[] Resolve(EscalationLevel level, DateTimeOffset at)
    {
        var users = new List<string>();
        foreach (EscalationTarget target in level.Targets)
        {
            string? user = target.Kind == EscalationTargetKind.User
                ? target.Id
                : _schedules.GetValueOrDefault(target.Id)?.WhoIsOnCall(at)?.User;
            if (user is not null && !users.Contains(user, StringComparer.Ordinal))
            {
                users.Add(user);
            }
        }

        return [.. users];
    }

    private async Task<NotificationResult> NotifyAsync(IncidentNotification notification)
    {
        NotificationResult? result;
        try
        {
            result = await _notifier.NotifyAsync(notification, _disposing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_disposed)
        {
            EscalationLog.NotifierThrew(_logger, notification.IncidentId, notification.Level, notification.Round, e);
            return NotificationResult.Failure(1, $"{e.GetType().Name}: {e.Message}");
        }

        result ??= NotificationResult.Failure(1, "the notifier returned no result");
        if (!result.Delivered)
        {
            EscalationLog.NotificationFailed(_logger, notification.IncidentId, notification.Level, notification.Round, result.Attempts, result.Error);
        }

        return result;
    }

    private static string Describe(IncidentNotification n, NotificationResult result)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"Level {n.Level}, round {n.Round} of policy '{n.PolicyId}': notified {string.Join(", ", n.Recipients)}");
        return result.Delivered
            ? text + "."
            : string.Create(CultureInfo.InvariantCulture, $"{text}; delivery failed after {result.Attempts} attempt(s): {result.Error}");
    }

    private async Task RecordAsync(string incidentId, DateTimeOffset at, string text)
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            for (int attempt = 1; ; attempt++)
            {
                Incident? current = await _store.GetAsync(incidentId, _disposing.Token).ConfigureAwait(false);
                if (current is null)
                {
                    return;
                }

                try
                {
                    await _store.UpdateAsync(current.WithTimelineEntry(TimelineActor, at, TimelineKind, text), _disposing.Token).ConfigureAwait(false);
                    return;
                }
                catch (IncidentConflictException) when (attempt < MaxSaveAttempts)
                {
                    // Someone saved in between: read the new version and add the entry to it.
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_disposed)
        {
            EscalationLog.TimelineFailed(_logger, incidentId, e);
        }
    }

    /// <summary>The escalation state of one incident; its mutable fields are guarded by <see cref="Gate"/>.</summary>
    private sealed class Run(string incidentId, string title, Severity severity, EscalationPolicy policy, DateTimeOffset due)
    {
        public Lock Gate { get; } = new();

        public string IncidentId { get; } = incidentId;

        public string Title { get; } = title;

        public Severity Severity { get; } = severity;

        public EscalationPolicy Policy { get; } = policy;

        public int LevelIndex { get; set; }

        public int Round { get; set; }

        public DateTimeOffset Due { get; set; } = due;

        public ITimer? Timer { get; set; }

        public bool Stopped { get; set; }
    }

    private sealed class Tick(EscalationEngine engine, Run run)
    {
        public void Fire() => engine.OnTimer(run);
    }
}
