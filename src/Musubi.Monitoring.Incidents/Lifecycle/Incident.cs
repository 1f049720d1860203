using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// An incident: severity, a validated lifecycle, the people on it, what is known, and a timeline of every change.
/// Immutable: each change returns a new incident with the change in its <see cref="Timeline"/>, so a store can keep
/// versions and refuse a change made to a stale one.
/// </summary>
/// <remarks>
/// <para>Thread-safe (immutable). Times are passed in by the caller (the incident service reads its injected
/// <see cref="TimeProvider"/>); a time earlier than the last timeline entry is refused.</para>
/// <para>
/// Allowed moves: Detected → Triaging, Investigating, Resolved; Triaging → Investigating, Resolved; Investigating →
/// Identified, Mitigating, Resolved; Identified → Mitigating, Resolved; Mitigating → Monitoring, Resolved; Monitoring →
/// Mitigating (it did not hold), Resolved; Resolved → Closed, or back to Investigating with <see cref="Reopen"/>.
/// Closed is final.
/// </para>
/// </remarks>
public sealed record Incident
{
    private static readonly ImmutableDictionary<IncidentStatus, IncidentStatus[]> s_moves = new Dictionary<IncidentStatus, IncidentStatus[]>
    {
        [IncidentStatus.Detected] = [IncidentStatus.Triaging, IncidentStatus.Investigating, IncidentStatus.Resolved],
        [IncidentStatus.Triaging] = [IncidentStatus.Investigating, IncidentStatus.Resolved],
        [IncidentStatus.Investigating] = [IncidentStatus.Identified, IncidentStatus.Mitigating, IncidentStatus.Resolved],
        [IncidentStatus.Identified] = [IncidentStatus.Mitigating, IncidentStatus.Resolved],
        [IncidentStatus.Mitigating] = [IncidentStatus.Monitoring, IncidentStatus.Resolved],
        [IncidentStatus.Monitoring] = [IncidentStatus.Mitigating, IncidentStatus.Resolved],
        [IncidentStatus.Resolved] = [IncidentStatus.Closed],
        [IncidentStatus.Closed] = [],
    }.ToImmutableDictionary();

    private static readonly FrozenSet<string> s_ownKinds = FrozenSet.ToFrozenSet(
        ["opened", "status", "acknowledged", "reopened", "severity", "commander", "assignee", "responder", "details"],
        StringComparer.OrdinalIgnoreCase);

    private readonly ImmutableArray<string> _responders = [];
    private readonly ImmutableArray<string> _affectedServices = [];
    private readonly ImmutableArray<string> _tags = [];
    private readonly ImmutableArray<string> _relatedIncidents = [];
    private readonly ImmutableArray<TimelineEntry> _timeline = [];

    private Incident()
    {
    }

    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the severity.</summary>
    public Severity Severity { get; init; }

    /// <summary>Gets the status.</summary>
    public IncidentStatus Status { get; init; }

    /// <summary>Gets when the incident was detected (its first trigger).</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets when it was first acknowledged, if it was.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Gets who acknowledged it, if anyone did.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>Gets when it was mitigated (entered Monitoring, or Resolved without it), if it was.</summary>
    public DateTimeOffset? MitigatedAt { get; init; }

    /// <summary>Gets when it was resolved, if it is.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Gets when it was closed, if it is.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Gets the incident commander, if one is named.</summary>
    public string? Commander { get; init; }

    /// <summary>Gets the assignee, if one is named.</summary>
    public string? Assignee { get; init; }

    /// <summary>Gets the responders, in the order they joined.</summary>
    public ImmutableArray<string> Responders
    {
        get => _responders;
        init => _responders = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets the affected services.</summary>
    public ImmutableArray<string> AffectedServices
    {
        get => _affectedServices;
        init => _affectedServices = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets the tags.</summary>
    public ImmutableArray<string> Tags
    {
        get => _tags;
        init => _tags = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets the ids of related incidents.</summary>
    public ImmutableArray<string> RelatedIncidents
    {
        get => _relatedIncidents;
        init => _relatedIncidents = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets the root cause, once known.</summary>
    public string? RootCause { get; init; }

    /// <summary>Gets how it was resolved, once it is.</summary>
    public string? Resolution { get; init; }

    /// <summary>Gets the customer impact, as described.</summary>
    public string? CustomerImpact { get; init; }

    /// <summary>Gets how many times it was reopened.</summary>
    public int ReopenCount { get; init; }

    /// <summary>
    /// Gets the key of the alert that opened the incident (an Alertmanager fingerprint and start time, a group key, or
    /// an SLO alert), if an alert opened it. A store holds at most one open incident per key.
    /// </summary>
    public string? AlertKey { get; init; }

    /// <summary>
    /// Gets the version the store holds: 0 before the first save, then one more on each save. A store refuses to save
    /// a change made to an older version (<see cref="IncidentConflictException"/>).
    /// </summary>
    public long Version { get; init; }

    /// <summary>Gets every change, oldest first.</summary>
    public ImmutableArray<TimelineEntry> Timeline
    {
        get => _timeline;
        init => _timeline = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets whether the incident is open (neither resolved nor closed).</summary>
    public bool IsOpen => Status is not (IncidentStatus.Resolved or IncidentStatus.Closed);

    /// <summary>Opens an incident in <see cref="IncidentStatus.Detected"/>.</summary>
    /// <param name="id">The id; non-empty.</param>
    /// <param name="title">The title; non-empty.</param>
    /// <param name="severity">The severity.</param>
    /// <param name="detectedAt">When it was detected.</param>
    /// <param name="actor">Who or what opened it.</param>
    /// <param name="alertKey">The key of the alert that opened it, if an alert did (see <see cref="AlertKey"/>).</param>
    /// <returns>The incident, with one timeline entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/>, <paramref name="title"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="severity"/> is not SEV1 to SEV5.</exception>
    public static Incident Open(string id, string title, Severity severity, DateTimeOffset detectedAt, string actor, string? alertKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckSeverity(severity);
        return new Incident
        {
            Id = id,
            Title = title,
            Severity = severity,
            Status = IncidentStatus.Detected,
            DetectedAt = detectedAt,
            AlertKey = string.IsNullOrWhiteSpace(alertKey) ? null : alertKey,
            Timeline = [new TimelineEntry(detectedAt, actor, "opened", $"Opened as {Name(severity)}: {title}")],
        };
    }

    /// <summary>Returns whether the lifecycle allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The wanted status.</param>
    /// <returns><see langword="true"/> when the move is allowed.</returns>
    public static bool CanTransition(IncidentStatus from, IncidentStatus to) =>
        s_moves.TryGetValue(from, out IncidentStatus[]? next) && next.Contains(to);

    /// <summary>Moves the incident to <paramref name="status"/>, setting the lifecycle times it implies.</summary>
    /// <param name="status">The new status.</param>
    /// <param name="actor">Who moved it.</param>
    /// <param name="at">When.</param>
    /// <param name="note">An optional note for the timeline.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The lifecycle does not allow the move (the message names both statuses and the allowed ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the last timeline entry.</exception>
    public Incident TransitionTo(IncidentStatus status, string actor, DateTimeOffset at, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckTime(at);
        if (!CanTransition(Status, status))
        {
            string allowed = s_moves.TryGetValue(Status, out IncidentStatus[]? next) && next.Length > 0 ? string.Join(", ", next) : "none (it is final)";
            throw new InvalidOperationException($"Incident {Id} cannot move from {Status} to {status}; from {Status} it can move to {allowed}.");
        }

        Incident changed = this with
        {
            Status = status,
            MitigatedAt = MitigatedAt ?? (status is IncidentStatus.Monitoring or IncidentStatus.Resolved ? at : null),
            ResolvedAt = status == IncidentStatus.Resolved ? at : ResolvedAt,
            ClosedAt = status == IncidentStatus.Closed ? at : ClosedAt,
        };
        return changed.Record(at, actor, "status", $"{Status} → {status}{(note is null ? string.Empty : ": " + note)}");
    }

    /// <summary>Records the first acknowledgement; an incident is acknowledged once.</summary>
    /// <param name="actor">Who acknowledged it.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">It is already acknowledged (the message says by whom and when), or it is resolved or closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the last timeline entry.</exception>
    public Incident Acknowledge(string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckTime(at);
        if (AcknowledgedAt is { } when)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Incident {Id} is already acknowledged, by {AcknowledgedBy} at {when:O}."));
        }

        if (!IsOpen)
        {
            throw new InvalidOperationException($"Incident {Id} is {Status}; only an open incident can be acknowledged (it would count a late acknowledgement in MTTA).");
        }

        return (this with { AcknowledgedAt = at, AcknowledgedBy = actor }).Record(at, actor, "acknowledged", $"Acknowledged by {actor}");
    }

    /// <summary>Reopens a resolved incident: back to Investigating, resolution and mitigation times cleared, the reopening recorded.</summary>
    /// <param name="actor">Who reopened it.</param>
    /// <param name="at">When.</param>
    /// <param name="reason">Why; non-empty.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The incident is not resolved (a closed incident stays closed).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the last timeline entry.</exception>
    public Incident Reopen(string actor, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        CheckTime(at);
        if (Status != IncidentStatus.Resolved)
        {
            throw new InvalidOperationException($"Incident {Id} is {Status}; only a resolved incident can be reopened.");
        }

        return (this with
        {
            Status = IncidentStatus.Investigating,
            ResolvedAt = null,
            MitigatedAt = null,
            ReopenCount = ReopenCount + 1,
        }).Record(at, actor, "reopened", $"Reopened: {reason}");
    }

    /// <summary>Changes the severity.</summary>
    /// <param name="severity">The new severity.</param>
    /// <param name="actor">Who changed it.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="severity"/> is not SEV1 to SEV5, or <paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithSeverity(Severity severity, string actor, DateTimeOffset at)
    {
        CheckSeverity(severity);
        return Change(actor, at, "severity", $"Severity {Name(Severity)} → {Name(severity)}", i => i with { Severity = severity });
    }

    /// <summary>Names the incident commander.</summary>
    /// <param name="commander">The commander.</param>
    /// <param name="actor">Who named them.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithCommander(string commander, string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commander);
        return Change(actor, at, "commander", $"Commander: {commander}", i => i with { Commander = commander });
    }

    /// <summary>Names the assignee.</summary>
    /// <param name="assignee">The assignee.</param>
    /// <param name="actor">Who assigned.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithAssignee(string assignee, string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assignee);
        return Change(actor, at, "assignee", $"Assignee: {assignee}", i => i with { Assignee = assignee });
    }

    /// <summary>Adds a responder (once; adding one already there records nothing).</summary>
    /// <param name="responder">The responder.</param>
    /// <param name="actor">Who added them.</param>
    /// <param name="at">When.</param>
    /// <returns>The changed incident, or this one when the responder is already on it.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithResponder(string responder, string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(responder);
        return Responders.Contains(responder)
            ? this
            : Change(actor, at, "responder", $"Responder joined: {responder}", i => i with { Responders = Responders.Add(responder) });
    }

    /// <summary>Records what is known: root cause, resolution, customer impact, affected services, tags, related incidents (null leaves a field as it is).</summary>
    /// <param name="actor">Who recorded it.</param>
    /// <param name="at">When.</param>
    /// <param name="rootCause">The root cause.</param>
    /// <param name="resolution">How it was resolved.</param>
    /// <param name="customerImpact">The customer impact.</param>
    /// <param name="affectedServices">The affected services (replaces the list).</param>
    /// <param name="tags">The tags (replaces the list).</param>
    /// <param name="relatedIncidents">Related incident ids (replaces the list).</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space, or a list holds a blank entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithDetails(
        string actor,
        DateTimeOffset at,
        string? rootCause = null,
        string? resolution = null,
        string? customerImpact = null,
        IEnumerable<string>? affectedServices = null,
        IEnumerable<string>? tags = null,
        IEnumerable<string>? relatedIncidents = null)
    {
        ImmutableArray<string>? services = List(affectedServices, nameof(affectedServices));
        ImmutableArray<string>? tagList = List(tags, nameof(tags));
        ImmutableArray<string>? related = List(relatedIncidents, nameof(relatedIncidents));
        var changed = new List<string>();
        if (rootCause is not null)
        {
            changed.Add("root cause");
        }

        if (resolution is not null)
        {
            changed.Add("resolution");
        }

        if (customerImpact is not null)
        {
            changed.Add("customer impact");
        }

        if (services is not null)
        {
            changed.Add("affected services");
        }

        if (tagList is not null)
        {
            changed.Add("tags");
        }

        if (related is not null)
        {
            changed.Add("related incidents");
        }

        return changed.Count == 0
            ? this
            : Change(actor, at, "details", "Updated " + string.Join(", ", changed), i => i with
            {
                RootCause = rootCause ?? RootCause,
                Resolution = resolution ?? Resolution,
                CustomerImpact = customerImpact ?? CustomerImpact,
                AffectedServices = services ?? AffectedServices,
                Tags = tagList ?? Tags,
                RelatedIncidents = related ?? RelatedIncidents,
            });
    }

    /// <summary>Adds a note to the timeline.</summary>
    /// <param name="actor">Who wrote it.</param>
    /// <param name="at">When.</param>
    /// <param name="text">The note; non-empty.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithNote(string actor, DateTimeOffset at, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return Change(actor, at, "note", text, static i => i);
    }

    /// <summary>
    /// Adds an entry of another kind to the timeline, such as <c>runbook</c> or <c>escalation</c>, for the parts of a
    /// response that happen outside the incident (runbook executions, pages sent).
    /// </summary>
    /// <param name="actor">Who or what did it.</param>
    /// <param name="at">When.</param>
    /// <param name="kind">A short lower-case kind; not one of the kinds the incident writes itself
    /// (<c>opened</c>, <c>status</c>, <c>acknowledged</c>, <c>reopened</c>, <c>severity</c>, <c>commander</c>,
    /// <c>assignee</c>, <c>responder</c>, <c>details</c>).</param>
    /// <param name="text">What happened; non-empty.</param>
    /// <returns>The changed incident.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space, or <paramref name="kind"/> is one the incident writes itself.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is too early.</exception>
    /// <exception cref="InvalidOperationException">The incident is closed.</exception>
    public Incident WithTimelineEntry(string actor, DateTimeOffset at, string kind, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (s_ownKinds.Contains(kind))
        {
            throw new ArgumentException($"The kind '{kind}' is written by the incident itself; use its methods.", nameof(kind));
        }

        return Change(actor, at, kind, text, static i => i);
    }

    private static string Name(Severity severity) => "SEV" + ((int)severity).ToString(CultureInfo.InvariantCulture);

    private static void CheckSeverity(Severity severity)
    {
        if (severity is < Severity.Sev1 or > Severity.Sev5)
        {
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Use Severity.Sev1 to Severity.Sev5.");
        }
    }

    private static ImmutableArray<string>? List(IEnumerable<string>? values, string parameter)
    {
        if (values is null)
        {
            return null;
        }

        ImmutableArray<string> list = [.. values.Distinct(StringComparer.Ordinal)];
        if (list.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A list entry is null or white space.", parameter);
        }

        return list;
    }

    private Incident Change(string actor, DateTimeOffset at, string kind, string text, Func<Incident, Incident> change)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckTime(at);
        if (Status == IncidentStatus.Closed)
        {
            throw new InvalidOperationException($"Incident {Id} is closed; record follow-up in a related incident.");
        }

        return change(this).Record(at, actor, kind, text);
    }

    private void CheckTime(DateTimeOffset at)
    {
        if (!Timeline.IsDefaultOrEmpty && at < Timeline[^1].At)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, string.Create(CultureInfo.InvariantCulture,
                $"A change at {at:O} is earlier than the last timeline entry ({Timeline[^1].At:O}) of incident {Id}."));
        }
    }

    private Incident Record(DateTimeOffset at, string actor, string kind, string text) =>
        this with { Timeline = Timeline.Add(new TimelineEntry(at, actor, kind, text)) };
}
