using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// A blameless post-mortem of an incident, with the sections of the Google SRE template: summary, impact, root
/// causes, trigger, resolution, detection, action items, lessons learned and the timeline. Created from the incident
/// with <see cref="FromIncident"/>, edited in draft and in review, then published.
/// </summary>
/// <remarks>
/// <para>Thread-safe (immutable): each change returns a new post-mortem with one more <see cref="Revisions"/> entry
/// and a higher <see cref="Version"/>. Times are passed in by the caller (read them from an injected
/// <see cref="TimeProvider"/>); a time earlier than <see cref="UpdatedAt"/> is refused.</para>
/// <para>Review: Draft → InReview (submitted), InReview → Draft (changes requested), InReview → Published.
/// Published is final and read-only. Editing in review is allowed and keeps the post-mortem in review, so reviewers
/// can fix small things in place; a reviewer who wants the authors to rework it sends it back to draft.</para>
/// <para>Publishing needs a summary, the impact, at least one root cause, the resolution, the detection and at
/// least one action item (<see cref="MissingForPublication"/>). The trigger and the lessons learned are not
/// required: they are not always known or separate from the root cause.</para>
/// <para>Blameless: the text this type generates names no person as the cause of anything. The detection names who
/// or what opened the incident, and the timeline keeps the actor of every entry, because the incident records them
/// and the order of who did what is needed to learn from it; the authors should describe what the system and the
/// process allowed, not who erred.</para>
/// </remarks>
public sealed record PostMortem
{
    private static readonly ImmutableDictionary<PostMortemStatus, PostMortemStatus[]> s_moves = new Dictionary<PostMortemStatus, PostMortemStatus[]>
    {
        [PostMortemStatus.Draft] = [PostMortemStatus.InReview],
        [PostMortemStatus.InReview] = [PostMortemStatus.Draft, PostMortemStatus.Published],
        [PostMortemStatus.Published] = [],
    }.ToImmutableDictionary();

    private PostMortem()
    {
    }

    /// <summary>Gets the id of the incident.</summary>
    public string IncidentId { get; private init; } = string.Empty;

    /// <summary>Gets the title (the incident's title unless edited).</summary>
    public string Title { get; private init; } = string.Empty;

    /// <summary>Gets the severity of the incident.</summary>
    public Severity Severity { get; private init; }

    /// <summary>Gets where the post-mortem is in its review.</summary>
    public PostMortemStatus Status { get; private init; }

    /// <summary>Gets the summary; empty until written.</summary>
    public string Summary { get; private init; } = string.Empty;

    /// <summary>Gets the impact on users and the business; empty until written.</summary>
    public string Impact { get; private init; } = string.Empty;

    /// <summary>Gets the root causes.</summary>
    public ImmutableArray<string> RootCauses { get; private init; } = [];

    /// <summary>Gets what triggered the incident (a deploy, a traffic spike); empty until written.</summary>
    public string Trigger { get; private init; } = string.Empty;

    /// <summary>Gets how the incident was resolved; empty until written.</summary>
    public string Resolution { get; private init; } = string.Empty;

    /// <summary>Gets how the incident was detected.</summary>
    public string Detection { get; private init; } = string.Empty;

    /// <summary>Gets the action items, in the order they were added.</summary>
    public ImmutableArray<ActionItem> ActionItems { get; private init; } = [];

    /// <summary>Gets the lessons learned.</summary>
    public LessonsLearned LessonsLearned { get; private init; } = LessonsLearned.Empty;

    /// <summary>Gets the incident's timeline, copied when the post-mortem was created.</summary>
    public ImmutableArray<TimelineEntry> Timeline { get; private init; } = [];

    /// <summary>Gets when the incident was detected.</summary>
    public DateTimeOffset DetectedAt { get; private init; }

    /// <summary>Gets when the incident was first acknowledged, if it was.</summary>
    public DateTimeOffset? AcknowledgedAt { get; private init; }

    /// <summary>Gets when the incident was mitigated, if it was.</summary>
    public DateTimeOffset? MitigatedAt { get; private init; }

    /// <summary>Gets when the incident was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; private init; }

    /// <summary>Gets the time from detection to the first acknowledgement, if it was acknowledged.</summary>
    public TimeSpan? TimeToAcknowledge => AcknowledgedAt - DetectedAt;

    /// <summary>Gets the time from detection to mitigation, if it was mitigated.</summary>
    public TimeSpan? TimeToMitigate => MitigatedAt - DetectedAt;

    /// <summary>Gets the time from detection to resolution.</summary>
    public TimeSpan? TimeToResolve => ResolvedAt - DetectedAt;

    /// <summary>Gets the authors: who created it and everyone who edited it, in order of their first change.</summary>
    public ImmutableArray<string> Authors { get; private init; } = [];

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>Gets when it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private init; }

    /// <summary>Gets when it was published, if it is.</summary>
    public DateTimeOffset? PublishedAt { get; private init; }

    /// <summary>Gets the version: 1 when created, one more on each change.</summary>
    public int Version { get; private init; }

    /// <summary>Gets every change, oldest first: creation, edits and review moves.</summary>
    public ImmutableArray<PostMortemRevision> Revisions { get; private init; } = [];

    /// <summary>
    /// Gets the sections that are still empty and must be written before publishing, in document order, by name
    /// (<c>summary</c>, <c>impact</c>, <c>root causes</c>, <c>resolution</c>, <c>detection</c>, <c>action items</c>);
    /// empty when it can be published.
    /// </summary>
    public ImmutableArray<string> MissingForPublication
    {
        get
        {
            ImmutableArray<string>.Builder missing = ImmutableArray.CreateBuilder<string>();
            AddIf(string.IsNullOrWhiteSpace(Summary), "summary");
            AddIf(string.IsNullOrWhiteSpace(Impact), "impact");
            AddIf(RootCauses.IsEmpty, "root causes");
            AddIf(string.IsNullOrWhiteSpace(Resolution), "resolution");
            AddIf(string.IsNullOrWhiteSpace(Detection), "detection");
            AddIf(ActionItems.IsEmpty, "action items");
            return missing.ToImmutable();

            void AddIf(bool condition, string section)
            {
                if (condition)
                {
                    missing.Add(section);
                }
            }
        }
    }

    /// <summary>
    /// Creates a draft post-mortem from a resolved or closed incident, with every section the incident can fill.
    /// </summary>
    /// <param name="incident">The incident; resolved or closed.</param>
    /// <param name="at">When the post-mortem is created; not earlier than the incident's last timeline entry.</param>
    /// <param name="author">Who creates it; the first author.</param>
    /// <returns>A draft at version 1.</returns>
    /// <remarks>
    /// <para>Filled in: the title, severity and key times; the summary (severity, title, detection time, time to
    /// mitigate and resolve, reopenings); the impact (customer impact and affected services); the root cause; the
    /// resolution; the detection (who or what opened it, from which alert, and the time to acknowledge); the timeline;
    /// and under "what went wrong" the facts the incident shows (never acknowledged, reopened). Left for the authors:
    /// the trigger, action items, and what went well and where they got lucky.</para>
    /// <para>Blameless: the generated text names no person as a cause. The detection names the opener (often an
    /// alerting system), and the timeline keeps each entry's actor as the incident recorded it.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="incident"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="author"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The incident is still open (the message names its status).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the incident's last timeline entry.</exception>
    public static PostMortem FromIncident(Incident incident, DateTimeOffset at, string author)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        if (incident.IsOpen)
        {
            throw new InvalidOperationException(
                $"Incident {incident.Id} is {incident.Status}; write its post-mortem once it is Resolved or Closed.");
        }

        ImmutableArray<TimelineEntry> timeline = incident.Timeline.IsDefault ? [] : incident.Timeline;
        if (!timeline.IsEmpty && at < timeline[^1].At)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, string.Create(CultureInfo.InvariantCulture,
                $"A post-mortem created at {at:O} is earlier than the last timeline entry ({timeline[^1].At:O}) of incident {incident.Id}."));
        }

        return new PostMortem
        {
            IncidentId = incident.Id,
            Title = incident.Title,
            Severity = incident.Severity,
            Status = PostMortemStatus.Draft,
            Summary = GeneratedSummary(incident),
            Impact = GeneratedImpact(incident),
            RootCauses = string.IsNullOrWhiteSpace(incident.RootCause) ? [] : [incident.RootCause],
            Resolution = incident.Resolution ?? string.Empty,
            Detection = GeneratedDetection(incident, timeline),
            LessonsLearned = new LessonsLearned { WentWrong = GeneratedWentWrong(incident) },
            Timeline = timeline,
            DetectedAt = incident.DetectedAt,
            AcknowledgedAt = incident.AcknowledgedAt,
            MitigatedAt = incident.MitigatedAt,
            ResolvedAt = incident.ResolvedAt,
            Authors = [author],
            CreatedAt = at,
            UpdatedAt = at,
            Version = 1,
            Revisions = [new PostMortemRevision(1, at, author, $"Created from incident {incident.Id}")],
        };
    }

    /// <summary>Reads a post-mortem written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The post-mortem.</returns>
    /// <exception cref="ArgumentException"><paramref name="json"/> is null or white space.</exception>
    /// <exception cref="System.Text.Json.JsonException">The text is not JSON, is not a post-mortem of schema version 1, or
    /// holds a missing or invalid value (the message names the property).</exception>
    public static PostMortem FromJson(string json) => PostMortemJson.Read(json);

    /// <summary>Returns whether the review allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The wanted status.</param>
    /// <returns><see langword="true"/> when the move is allowed.</returns>
    public static bool CanTransition(PostMortemStatus from, PostMortemStatus to) =>
        s_moves.TryGetValue(from, out PostMortemStatus[]? next) && next.Contains(to);

    /// <summary>
    /// Changes sections (null leaves a section as it is; an empty string clears it). The editor becomes an author.
    /// Allowed in draft and in review; editing in review keeps it in review.
    /// </summary>
    /// <param name="editor">Who edits.</param>
    /// <param name="at">When; not earlier than <see cref="UpdatedAt"/>.</param>
    /// <param name="title">The title; non-empty when given.</param>
    /// <param name="summary">The summary.</param>
    /// <param name="impact">The impact.</param>
    /// <param name="rootCauses">The root causes (replaces the list).</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="resolution">The resolution.</param>
    /// <param name="detection">The detection.</param>
    /// <param name="actionItems">The action items (replaces the list).</param>
    /// <param name="lessonsLearned">The lessons learned (replaces all three lists).</param>
    /// <returns>The changed post-mortem, or this one when nothing is given.</returns>
    /// <exception cref="ArgumentException"><paramref name="editor"/> is null or white space, <paramref name="title"/> is
    /// given but white space, or a list holds a null or blank entry (the message names the list and the index).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than <see cref="UpdatedAt"/>.</exception>
    /// <exception cref="InvalidOperationException">The post-mortem is published.</exception>
    public PostMortem Edit(
        string editor,
        DateTimeOffset at,
        string? title = null,
        string? summary = null,
        string? impact = null,
        IEnumerable<string>? rootCauses = null,
        string? trigger = null,
        string? resolution = null,
        string? detection = null,
        IEnumerable<ActionItem>? actionItems = null,
        LessonsLearned? lessonsLearned = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(editor);
        if (title is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(title);
        }

        ImmutableArray<string>? causes = rootCauses is null ? null : LessonsLearned.Checked([.. rootCauses], nameof(rootCauses));
        ImmutableArray<ActionItem>? items = actionItems is null ? null : CheckedItems(actionItems);
        CheckEditable();
        CheckTime(at);

        var changed = new List<string>();
        Note(title, "title");
        Note(summary, "summary");
        Note(impact, "impact");
        Note(causes, "root causes");
        Note(trigger, "trigger");
        Note(resolution, "resolution");
        Note(detection, "detection");
        Note(items, "action items");
        Note(lessonsLearned, "lessons learned");
        if (changed.Count == 0)
        {
            return this;
        }

        PostMortem edited = this with
        {
            Title = title ?? Title,
            Summary = summary ?? Summary,
            Impact = impact ?? Impact,
            RootCauses = causes ?? RootCauses,
            Trigger = trigger ?? Trigger,
            Resolution = resolution ?? Resolution,
            Detection = detection ?? Detection,
            ActionItems = items ?? ActionItems,
            LessonsLearned = lessonsLearned ?? LessonsLearned,
            Authors = Authors.Contains(editor, StringComparer.Ordinal) ? Authors : Authors.Add(editor),
        };
        return edited.Record(at, editor, "Edited " + string.Join(", ", changed));

        void Note(object? value, string section)
        {
            if (value is not null)
            {
                changed.Add(section);
            }
        }
    }

    /// <summary>Adds an action item at the end of the list. The editor becomes an author.</summary>
    /// <param name="item">The action item.</param>
    /// <param name="editor">Who adds it.</param>
    /// <param name="at">When; not earlier than <see cref="UpdatedAt"/>.</param>
    /// <returns>The changed post-mortem.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="editor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than <see cref="UpdatedAt"/>.</exception>
    /// <exception cref="InvalidOperationException">The post-mortem is published.</exception>
    public PostMortem AddActionItem(ActionItem item, string editor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Edit(editor, at, actionItems: ActionItems.Add(item));
    }

    /// <summary>
    /// Moves the post-mortem in its review: Draft → InReview, InReview → Draft (changes requested), InReview →
    /// Published. Publishing sets <see cref="PublishedAt"/> and needs every section of
    /// <see cref="MissingForPublication"/> written.
    /// </summary>
    /// <param name="status">The new status.</param>
    /// <param name="actor">Who moves it (an author or a reviewer; not added to the authors).</param>
    /// <param name="at">When; not earlier than <see cref="UpdatedAt"/>.</param>
    /// <param name="note">An optional note for the revision history, such as the changes requested.</param>
    /// <returns>The changed post-mortem.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than <see cref="UpdatedAt"/>.</exception>
    /// <exception cref="InvalidOperationException">The move is not allowed (the message names both statuses and the
    /// allowed ones), or it is a publication and sections are missing (the message names them).</exception>
    public PostMortem TransitionTo(PostMortemStatus status, string actor, DateTimeOffset at, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckTime(at);
        if (!CanTransition(Status, status))
        {
            string allowed = s_moves.TryGetValue(Status, out PostMortemStatus[]? next) && next.Length > 0
                ? string.Join(", ", next)
                : "none (it is final)";
            throw new InvalidOperationException(
                $"The post-mortem of incident {IncidentId} cannot move from {Status} to {status}; from {Status} it can move to {allowed}.");
        }

        if (status == PostMortemStatus.Published && MissingForPublication is { IsEmpty: false } missing)
        {
            throw new InvalidOperationException(
                $"The post-mortem of incident {IncidentId} cannot be published: {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} empty.");
        }

        PostMortem moved = this with
        {
            Status = status,
            PublishedAt = status == PostMortemStatus.Published ? at : PublishedAt,
        };
        return moved.Record(at, actor, $"{Status} → {status}{(string.IsNullOrWhiteSpace(note) ? string.Empty : ": " + note)}");
    }

    /// <summary>
    /// Writes the post-mortem as a Markdown document: a heading per section, action items, key times and the
    /// timeline as tables. Line ends are <c>\n</c>; times are ISO 8601 UTC to the second; the output does not depend
    /// on the current culture.
    /// </summary>
    /// <returns>The Markdown text.</returns>
    /// <remarks>
    /// All text that came from people or the incident is escaped, so it shows as written and cannot change the
    /// document's structure: <c>\ ` * _ [ ] &lt; &gt; # | ~ &amp; $</c> are escaped with a backslash wherever they
    /// appear (so no emphasis, links, HTML tags, headings, table columns, strikethrough, entities or math); at the
    /// start of a line <c>-</c>, <c>+</c>, <c>=</c> and an ordered-list number's <c>.</c> or <c>)</c> are escaped too;
    /// lines are trimmed (so no indented code blocks or hard breaks); control characters become spaces. In table
    /// cells and list items a line break becomes <c>&lt;br&gt;</c>; in a section's text, blank lines separate
    /// paragraphs. An empty section shows <c>_Not written yet._</c>.
    /// </remarks>
    public string ToMarkdown() => PostMortemMarkdown.Write(this);

    /// <summary>
    /// Writes the post-mortem as indented JSON: camelCase property names, enum values as camelCase strings, times as
    /// ISO 8601 UTC, due dates as <c>yyyy-MM-dd</c>, and a <c>schemaVersion</c> of 1. <see cref="FromJson"/> reads it
    /// back. The output does not depend on the current culture.
    /// </summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => PostMortemJson.Write(this);

    /// <summary>
    /// Returns whether <paramref name="other"/> holds the same content: every property, with the lists compared item by
    /// item (times compare as instants, so a post-mortem read back with <see cref="FromJson"/> equals the one written).
    /// </summary>
    /// <param name="other">The other post-mortem.</param>
    /// <returns><see langword="true"/> when the content is the same.</returns>
    public bool Equals(PostMortem? other) =>
        other is not null
        && IncidentId == other.IncidentId
        && Title == other.Title
        && Severity == other.Severity
        && Status == other.Status
        && Summary == other.Summary
        && Impact == other.Impact
        && RootCauses.SequenceEqual(other.RootCauses, StringComparer.Ordinal)
        && Trigger == other.Trigger
        && Resolution == other.Resolution
        && Detection == other.Detection
        && ActionItems.SequenceEqual(other.ActionItems)
        && LessonsLearned.Equals(other.LessonsLearned)
        && Timeline.SequenceEqual(other.Timeline)
        && DetectedAt == other.DetectedAt
        && AcknowledgedAt == other.AcknowledgedAt
        && MitigatedAt == other.MitigatedAt
        && ResolvedAt == other.ResolvedAt
        && Authors.SequenceEqual(other.Authors, StringComparer.Ordinal)
        && CreatedAt == other.CreatedAt
        && UpdatedAt == other.UpdatedAt
        && PublishedAt == other.PublishedAt
        && Version == other.Version
        && Revisions.SequenceEqual(other.Revisions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IncidentId, Version, UpdatedAt, Status);

    internal static PostMortem Restore(
        string incidentId,
        string title,
        Severity severity,
        PostMortemStatus status,
        string summary,
        string impact,
        ImmutableArray<string> rootCauses,
        string trigger,
        string resolution,
        string detection,
        ImmutableArray<ActionItem> actionItems,
        LessonsLearned lessonsLearned,
        ImmutableArray<TimelineEntry> timeline,
        (DateTimeOffset Detected, DateTimeOffset? Acknowledged, DateTimeOffset? Mitigated, DateTimeOffset? Resolved) keyTimes,
        ImmutableArray<string> authors,
        (DateTimeOffset Created, DateTimeOffset Updated, DateTimeOffset? Published) times,
        int version,
        ImmutableArray<PostMortemRevision> revisions) => new()
        {
            IncidentId = incidentId,
            Title = title,
            Severity = severity,
            Status = status,
            Summary = summary,
            Impact = impact,
            RootCauses = rootCauses,
            Trigger = trigger,
            Resolution = resolution,
            Detection = detection,
            ActionItems = actionItems,
            LessonsLearned = lessonsLearned,
            Timeline = timeline,
            DetectedAt = keyTimes.Detected,
            AcknowledgedAt = keyTimes.Acknowledged,
            MitigatedAt = keyTimes.Mitigated,
            ResolvedAt = keyTimes.Resolved,
            Authors = authors,
            CreatedAt = times.Created,
            UpdatedAt = times.Updated,
            PublishedAt = times.Published,
            Version = version,
            Revisions = revisions,
        };

    internal static string SeverityName(Severity severity) => "SEV" + ((int)severity).ToString(CultureInfo.InvariantCulture);

    private static string GeneratedSummary(Incident incident)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{SeverityName(incident.Severity)} incident \"{OneLine(incident.Title)}\": detected {PostMortemMarkdown.Time(incident.DetectedAt)}");
        if (incident.MitigatedAt is { } mitigated && mitigated != incident.ResolvedAt)
        {
            text.Append(CultureInfo.InvariantCulture, $", mitigated after {PostMortemMarkdown.Duration(mitigated - incident.DetectedAt)}");
        }

        if (incident.ResolvedAt is { } resolved)
        {
            text.Append(CultureInfo.InvariantCulture, $", resolved after {PostMortemMarkdown.Duration(resolved - incident.DetectedAt)}");
        }

        text.Append('.');
        if (incident.ReopenCount > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" It was reopened {Times(incident.ReopenCount)} before it was resolved.");
        }

        return text.ToString();
    }

    private static string GeneratedImpact(Incident incident)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(incident.CustomerImpact))
        {
            parts.Add(incident.CustomerImpact);
        }

        if (!incident.AffectedServices.IsDefaultOrEmpty)
        {
            parts.Add("Affected services: " + string.Join(", ", incident.AffectedServices) + ".");
        }

        return string.Join("\n\n", parts);
    }

    private static string GeneratedDetection(Incident incident, ImmutableArray<TimelineEntry> timeline)
    {
        string opener = timeline.FirstOrDefault(e => e.Kind == "opened")?.Actor ?? "an unrecorded actor";
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Opened by {opener} at {PostMortemMarkdown.Time(incident.DetectedAt)}");
        if (incident.AlertKey is { } alert)
        {
            text.Append(CultureInfo.InvariantCulture, $" from alert {alert}");
        }

        text.Append(incident.AcknowledgedAt is { } acknowledged
            ? string.Create(CultureInfo.InvariantCulture, $"; acknowledged {PostMortemMarkdown.Duration(acknowledged - incident.DetectedAt)} after detection.")
            : "; never acknowledged.");
        return text.ToString();
    }

    private static ImmutableArray<string> GeneratedWentWrong(Incident incident)
    {
        ImmutableArray<string>.Builder wrong = ImmutableArray.CreateBuilder<string>();
        if (incident.AcknowledgedAt is null)
        {
            wrong.Add("The incident was never acknowledged: nobody confirmed the page before it was resolved.");
        }

        if (incident.ReopenCount > 0)
        {
            wrong.Add($"The incident was reopened {Times(incident.ReopenCount)}: a resolution did not hold.");
        }

        return wrong.ToImmutable();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Times(int count) =>
        count == 1 ? "once" : count.ToString(CultureInfo.InvariantCulture) + " times";

    private static ImmutableArray<ActionItem> CheckedItems(IEnumerable<ActionItem> actionItems)
    {
        ImmutableArray<ActionItem> items = [.. actionItems];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentException($"Action item {i} is null.", nameof(actionItems));
            }
        }

        return items;
    }

    private void CheckEditable()
    {
        if (Status == PostMortemStatus.Published)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The post-mortem of incident {IncidentId} was published at {PublishedAt:O} and is read-only; record follow-up elsewhere (an action item tracker or a new post-mortem)."));
        }
    }

    private void CheckTime(DateTimeOffset at)
    {
        if (at < UpdatedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, string.Create(CultureInfo.InvariantCulture,
                $"A change at {at:O} is earlier than the last change ({UpdatedAt:O}) of the post-mortem of incident {IncidentId}."));
        }
    }

    private PostMortem Record(DateTimeOffset at, string actor, string change) => this with
    {
        UpdatedAt = at,
        Version = Version + 1,
        Revisions = Revisions.Add(new PostMortemRevision(Version + 1, at, actor, change)),
    };
}

/// <summary>One change of a post-mortem: the version it made, when, by whom, and what changed.</summary>
/// <param name="Version">The version the change made.</param>
/// <param name="At">When.</param>
/// <param name="Author">Who made it.</param>
/// <param name="Change">What changed, such as <c>Edited summary, action items</c> or <c>Draft → InReview</c>.</param>
public sealed record PostMortemRevision(int Version, DateTimeOffset At, string Author, string Change);
