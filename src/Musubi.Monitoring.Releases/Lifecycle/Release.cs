using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// A release: a semantic version, a type, a validated lifecycle with a history of every move, the changes it brings and
/// the feature flags it controls. Immutable: each change returns a new release, so a store can keep revisions and refuse
/// a change made to a stale one.
/// </summary>
/// <remarks>
/// <para>Thread-safe (immutable). Times are passed in by the caller (the release service reads its injected
/// <see cref="TimeProvider"/>); a move dated earlier than the last history entry is refused.</para>
/// <para>The transition table:</para>
/// <list type="table">
/// <listheader><term>From</term><description>To</description></listheader>
/// <item><term>Planning</term><description>Development, Cancelled</description></item>
/// <item><term>Development</term><description>Testing, Cancelled</description></item>
/// <item><term>Testing</term><description>Staging, Development (tests failed), Cancelled</description></item>
/// <item><term>Staging</term><description>Canary, Production, Testing, Cancelled</description></item>
/// <item><term>Canary</term><description>Production, RolledBack</description></item>
/// <item><term>Production</term><description>Completed, RolledBack</description></item>
/// <item><term>RolledBack</term><description>Development (fix forward)</description></item>
/// <item><term>Completed, Cancelled</term><description>none: final</description></item>
/// </list>
/// </remarks>
public sealed record Release
{
    private static readonly FrozenDictionary<ReleaseStatus, ReleaseStatus[]> s_moves = new Dictionary<ReleaseStatus, ReleaseStatus[]>
    {
        [ReleaseStatus.Planning] = [ReleaseStatus.Development, ReleaseStatus.Cancelled],
        [ReleaseStatus.Development] = [ReleaseStatus.Testing, ReleaseStatus.Cancelled],
        [ReleaseStatus.Testing] = [ReleaseStatus.Staging, ReleaseStatus.Development, ReleaseStatus.Cancelled],
        [ReleaseStatus.Staging] = [ReleaseStatus.Canary, ReleaseStatus.Production, ReleaseStatus.Testing, ReleaseStatus.Cancelled],
        [ReleaseStatus.Canary] = [ReleaseStatus.Production, ReleaseStatus.RolledBack],
        [ReleaseStatus.Production] = [ReleaseStatus.Completed, ReleaseStatus.RolledBack],
        [ReleaseStatus.RolledBack] = [ReleaseStatus.Development],
        [ReleaseStatus.Completed] = [],
        [ReleaseStatus.Cancelled] = [],
    }.ToFrozenDictionary();

    private readonly ImmutableArray<ReleaseChange> _changes = [];
    private readonly ImmutableArray<string> _featureFlags = [];
    private readonly ImmutableArray<ReleaseTransition> _history = [];

    private Release()
    {
    }

    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the semantic version released.</summary>
    public SemanticVersion Version { get; init; }

    /// <summary>Gets the type.</summary>
    public ReleaseType Type { get; init; }

    /// <summary>Gets the status.</summary>
    public ReleaseStatus Status { get; init; }

    /// <summary>Gets when it was planned (the first history entry).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it first reached production, if it did.</summary>
    public DateTimeOffset? DeployedAt { get; init; }

    /// <summary>Gets when it was completed, if it is.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets when it was last rolled back, if it was.</summary>
    public DateTimeOffset? RolledBackAt { get; init; }

    /// <summary>Gets when it was cancelled, if it is.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>Gets the changes, in the order they were added.</summary>
    public ImmutableArray<ReleaseChange> Changes
    {
        get => _changes;
        init => _changes = value.IsDefault ? [] : value;   // a default array from a `with` reads as empty, never throws
    }

    /// <summary>Gets the names of the feature flags the release controls (turned on with it, off when it is rolled back).</summary>
    public ImmutableArray<string> FeatureFlags
    {
        get => _featureFlags;
        init => _featureFlags = value.IsDefault ? [] : value;
    }

    /// <summary>Gets every move, oldest first; the first entry is the planning.</summary>
    public ImmutableArray<ReleaseTransition> History
    {
        get => _history;
        init => _history = value.IsDefault ? [] : value;
    }

    /// <summary>
    /// Gets the revision the store holds: 0 before the first save, then one more on each save. A store refuses to save a
    /// change made to an older revision (<see cref="ReleaseConflictException"/>).
    /// </summary>
    public long Revision { get; init; }

    /// <summary>Gets whether the release is final (completed or cancelled).</summary>
    public bool IsFinal => Status is ReleaseStatus.Completed or ReleaseStatus.Cancelled;

    /// <summary>Plans a release, in <see cref="ReleaseStatus.Planning"/>.</summary>
    /// <param name="id">The id; non-empty.</param>
    /// <param name="title">The title; non-empty.</param>
    /// <param name="version">The version it releases.</param>
    /// <param name="type">The type.</param>
    /// <param name="actor">Who plans it.</param>
    /// <param name="at">When.</param>
    /// <param name="previousVersion">The version released before, if known: then <paramref name="type"/> must fit the step
    /// from it (see <see cref="CheckType"/>).</param>
    /// <returns>The release, with one history entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/>, <paramref name="title"/> or <paramref name="actor"/> is null or
    /// white space, or <paramref name="type"/> does not fit the step from <paramref name="previousVersion"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static Release Plan(
        string id, string title, SemanticVersion version, ReleaseType type, string actor, DateTimeOffset at, SemanticVersion? previousVersion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Use Major, Minor, Patch, Hotfix or Canary.");
        }

        if (previousVersion is { } previous)
        {
            CheckType(type, previous, version);
        }

        return new Release
        {
            Id = id,
            Title = title,
            Version = version,
            Type = type,
            Status = ReleaseStatus.Planning,
            CreatedAt = at,
            History = [new ReleaseTransition(at, actor, null, ReleaseStatus.Planning)],
        };
    }

    /// <summary>
    /// Infers the type of the step from <paramref name="previous"/> to <paramref name="next"/>: a pre-release is
    /// <see cref="ReleaseType.Canary"/>; otherwise the highest part that went up (<see cref="ReleaseType.Major"/>,
    /// <see cref="ReleaseType.Minor"/>, <see cref="ReleaseType.Patch"/>), or, for the release of a pre-release
    /// (<c>2.0.0-rc.1</c> → <c>2.0.0</c>), the shape of the version: <c>x.0.0</c> Major, <c>x.y.0</c> Minor, else Patch. <see cref="ReleaseType.Hotfix"/> is never
    /// inferred: it is a patch the caller calls urgent.
    /// </summary>
    /// <param name="previous">The version released before.</param>
    /// <param name="next">The new version.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentException"><paramref name="next"/> does not follow <paramref name="previous"/> in precedence.</exception>
    public static ReleaseType InferType(SemanticVersion previous, SemanticVersion next)
    {
        if (next <= previous)
        {
            throw new ArgumentException($"Version {next} does not follow {previous}; a release must go up in precedence.", nameof(next));
        }

        if (next.IsPreRelease)
        {
            return ReleaseType.Canary;
        }

        if (next.Major == previous.Major && next.Minor == previous.Minor && next.Patch == previous.Patch)
        {
            // The release of a pre-release (2.0.0-rc.1 → 2.0.0): the type of the line it previewed.
            return next.Minor == 0 && next.Patch == 0 ? ReleaseType.Major : next.Patch == 0 ? ReleaseType.Minor : ReleaseType.Patch;
        }

        return next.Major != previous.Major ? ReleaseType.Major
            : next.Minor != previous.Minor ? ReleaseType.Minor
            : ReleaseType.Patch;
    }

    /// <summary>
    /// Checks that <paramref name="type"/> fits the step from <paramref name="previous"/> to <paramref name="next"/>:
    /// Canary needs a pre-release; Major, Minor, Patch and Hotfix need a release (no pre-release) whose inferred type
    /// (<see cref="InferType"/>) is the same, Hotfix counting as Patch.
    /// </summary>
    /// <param name="type">The type claimed.</param>
    /// <param name="previous">The version released before.</param>
    /// <param name="next">The new version.</param>
    /// <exception cref="ArgumentException">It does not fit (the message names both versions, the type and the inferred one), or
    /// <paramref name="next"/> does not follow <paramref name="previous"/>.</exception>
    public static void CheckType(ReleaseType type, SemanticVersion previous, SemanticVersion next)
    {
        ReleaseType inferred = InferType(previous, next);
        ReleaseType wanted = type == ReleaseType.Hotfix ? ReleaseType.Patch : type;
        if (wanted != inferred)
        {
            throw new ArgumentException($"A {type} release cannot go from {previous} to {next}: that step is a {inferred} release.", nameof(type));
        }
    }

    /// <summary>Returns whether the lifecycle allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The wanted status.</param>
    /// <returns><see langword="true"/> when the move is in the transition table.</returns>
    public static bool CanTransition(ReleaseStatus from, ReleaseStatus to) => s_moves.TryGetValue(from, out ReleaseStatus[]? next) && next.Contains(to);

    /// <summary>Returns the statuses the lifecycle allows moving to from <paramref name="from"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <returns>The allowed statuses; empty for a final status.</returns>
    public static IReadOnlyList<ReleaseStatus> AllowedMoves(ReleaseStatus from) => s_moves.TryGetValue(from, out ReleaseStatus[]? next) ? next : [];

    /// <summary>Gets when the release first entered <paramref name="status"/>, from its history.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The time, or <see langword="null"/> when it never entered it.</returns>
    public DateTimeOffset? EnteredAt(ReleaseStatus status)
    {
        foreach (ReleaseTransition transition in History)
        {
            if (transition.To == status)
            {
                return transition.At;
            }
        }

        return null;
    }

    /// <summary>Moves the release to <paramref name="status"/>, recording it in the history and setting the times it implies.</summary>
    /// <param name="status">The new status.</param>
    /// <param name="actor">Who moved it.</param>
    /// <param name="at">When.</param>
    /// <param name="note">Why, for the history.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The transition table does not allow the move (the message names both
    /// statuses and the allowed ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the last history entry.</exception>
    public Release TransitionTo(ReleaseStatus status, string actor, DateTimeOffset at, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!CanTransition(Status, status))
        {
            IReadOnlyList<ReleaseStatus> next = AllowedMoves(Status);
            string allowed = next.Count > 0 ? string.Join(", ", next) : "none (it is final)";
            throw new InvalidOperationException($"Release {Id} ({Version}) cannot move from {Status} to {status}; from {Status} it can move to {allowed}.");
        }

        CheckTime(at);
        return this with
        {
            Status = status,
            DeployedAt = DeployedAt ?? (status == ReleaseStatus.Production ? at : null),
            CompletedAt = status == ReleaseStatus.Completed ? at : CompletedAt,
            RolledBackAt = status == ReleaseStatus.RolledBack ? at : RolledBackAt,
            CancelledAt = status == ReleaseStatus.Cancelled ? at : CancelledAt,
            History = History.Add(new ReleaseTransition(at, actor, Status, status, string.IsNullOrWhiteSpace(note) ? null : note)),
        };
    }

    /// <summary>Adds changes (features, bug fixes, breaking changes).</summary>
    /// <param name="changes">The changes.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A change is not valid (see <see cref="ReleaseChange.Validate"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A change's kind is not defined.</exception>
    /// <exception cref="InvalidOperationException">The release is final.</exception>
    public Release WithChanges(params IEnumerable<ReleaseChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ImmutableArray<ReleaseChange> list = [.. changes];
        foreach (ReleaseChange change in list)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            change.Validate();
        }

        CheckNotFinal();
        return this with { Changes = Changes.AddRange(list) };
    }

    /// <summary>Adds feature flags the release controls (a name already there is not added twice).</summary>
    /// <param name="flagNames">The flag names.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="flagNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The release is final.</exception>
    public Release WithFeatureFlags(params IEnumerable<string> flagNames)
    {
        ArgumentNullException.ThrowIfNull(flagNames);
        string[] names = [.. flagNames];
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A feature flag name is null or white space.", nameof(flagNames));
        }

        CheckNotFinal();
        return this with { FeatureFlags = [.. FeatureFlags.Concat(names).Distinct(StringComparer.Ordinal)] };
    }

    /// <summary>
    /// Records a note in the history without a move: an entry whose <see cref="ReleaseTransition.From"/> and
    /// <see cref="ReleaseTransition.To"/> are both the current status (for example each step of a canary run).
    /// </summary>
    /// <param name="actor">Who or what wrote it.</param>
    /// <param name="at">When; not earlier than the last history entry.</param>
    /// <param name="text">The note.</param>
    /// <returns>The changed release.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="text"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is earlier than the last history entry.</exception>
    /// <exception cref="InvalidOperationException">The release is final.</exception>
    public Release WithNote(string actor, DateTimeOffset at, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        CheckNotFinal();
        CheckTime(at);
        return this with { History = History.Add(new ReleaseTransition(at, actor, Status, Status, text)) };
    }

    private void CheckNotFinal()
    {
        if (IsFinal)
        {
            throw new InvalidOperationException($"Release {Id} ({Version}) is {Status}; a final release does not change.");
        }
    }

    private void CheckTime(DateTimeOffset at)
    {
        if (!History.IsEmpty && at < History[^1].At)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, string.Create(CultureInfo.InvariantCulture,
                $"A move at {at:O} is earlier than the last history entry ({History[^1].At:O}) of release {Id}."));
        }
    }
}
