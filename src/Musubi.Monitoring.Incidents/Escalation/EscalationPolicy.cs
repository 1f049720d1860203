using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>What an escalation level notifies: a user, or whoever a schedule has on call at that moment.</summary>
public enum EscalationTargetKind
{
    /// <summary>A user, notified directly.</summary>
    User,

    /// <summary>An <see cref="OnCallSchedule"/>, resolved to the user on call when the level is notified.</summary>
    Schedule,
}

/// <summary>One target of an <see cref="EscalationLevel"/>: a user, or an on-call schedule.</summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed class EscalationTarget
{
    private EscalationTarget(EscalationTargetKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Gets whether the target is a user or a schedule.</summary>
    public EscalationTargetKind Kind { get; }

    /// <summary>Gets the user id, or the schedule's <see cref="OnCallSchedule.Id"/>.</summary>
    public string Id { get; }

    /// <summary>A user, notified directly.</summary>
    /// <param name="userId">The user; non-empty.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or white space.</exception>
    public static EscalationTarget User(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new EscalationTarget(EscalationTargetKind.User, userId);
    }

    /// <summary>Whoever the schedule has on call when the level is notified (nobody, when the schedule has nobody).</summary>
    /// <param name="scheduleId">The schedule's id; non-empty.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ArgumentException"><paramref name="scheduleId"/> is null or white space.</exception>
    public static EscalationTarget Schedule(string scheduleId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        return new EscalationTarget(EscalationTargetKind.Schedule, scheduleId);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind == EscalationTargetKind.User ? "user:" + Id : "schedule:" + Id;
}

/// <summary>
/// One level of an <see cref="EscalationPolicy"/>: its targets are notified together, and when nobody has acknowledged
/// the incident after <see cref="Delay"/> the next level is notified.
/// </summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed class EscalationLevel
{
    /// <summary>The longest delay of a level: a week.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>Initializes a new instance of the <see cref="EscalationLevel"/> class.</summary>
    /// <param name="targets">The users and schedules to notify; at least one.</param>
    /// <param name="delay">
    /// How long to wait for an acknowledgement before notifying the next level (after the last level: before the policy
    /// repeats); positive, at most <see cref="MaxDelay"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> is <see langword="null"/>, or holds a <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="targets"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is not positive or longer than <see cref="MaxDelay"/>.</exception>
    public EscalationLevel(IEnumerable<EscalationTarget> targets, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(targets);
        EscalationTarget[] given = [.. targets];
        if (given.Length == 0)
        {
            throw new ArgumentException("An escalation level needs at least one target (a user or a schedule).", nameof(targets));
        }

        foreach (EscalationTarget target in given)
        {
            ArgumentNullException.ThrowIfNull(target, nameof(targets));
        }

        if (delay <= TimeSpan.Zero || delay > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, string.Create(CultureInfo.InvariantCulture,
                $"The escalation delay is {delay:c}; it must be positive and at most {MaxDelay:c}."));
        }

        Targets = [.. given];
        Delay = delay;
    }

    /// <summary>Gets the users and schedules notified together.</summary>
    public ImmutableArray<EscalationTarget> Targets { get; }

    /// <summary>Gets how long to wait for an acknowledgement before the next level (or the next round).</summary>
    public TimeSpan Delay { get; }
}

/// <summary>
/// An escalation policy: levels notified one after another while nobody acknowledges the incident, the whole list
/// repeated <see cref="RepeatCount"/> more times.
/// </summary>
/// <remarks>
/// <para>
/// With levels L1 (delay d1) and L2 (delay d2) and a repeat count of 1, an incident started at t0 and never acknowledged
/// notifies L1 at t0, L2 at t0+d1, L1 again at t0+d1+d2, L2 again at t0+2·d1+d2, and then stops.
/// </para>
/// <para>Thread-safe (immutable).</para>
/// </remarks>
public sealed class EscalationPolicy
{
    /// <summary>The most times a policy may repeat: 9, as in PagerDuty.</summary>
    public const int MaxRepeatCount = 9;

    /// <summary>Initializes a new instance of the <see cref="EscalationPolicy"/> class.</summary>
    /// <param name="id">The policy's id; non-empty.</param>
    /// <param name="name">The policy's name; non-empty.</param>
    /// <param name="levels">The levels, first notified first; at least one.</param>
    /// <param name="repeatCount">How many more times to go through all levels when nobody acknowledges; 0 (once through) to <see cref="MaxRepeatCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is null or white space, or there is no level.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> is <see langword="null"/>, or holds a <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repeatCount"/> is negative or more than <see cref="MaxRepeatCount"/>.</exception>
    public EscalationPolicy(string id, string name, IEnumerable<EscalationLevel> levels, int repeatCount = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(levels);
        EscalationLevel[] given = [.. levels];
        if (given.Length == 0)
        {
            throw new ArgumentException($"Escalation policy '{id}' needs at least one level.", nameof(levels));
        }

        foreach (EscalationLevel level in given)
        {
            ArgumentNullException.ThrowIfNull(level, nameof(levels));
        }

        if (repeatCount is < 0 or > MaxRepeatCount)
        {
            throw new ArgumentOutOfRangeException(nameof(repeatCount), repeatCount, string.Create(CultureInfo.InvariantCulture,
                $"Escalation policy '{id}' has a repeat count of {repeatCount}; it must be 0 (once through the levels) to {MaxRepeatCount}."));
        }

        Id = id;
        Name = name;
        Levels = [.. given];
        RepeatCount = repeatCount;
    }

    /// <summary>Gets the policy's id.</summary>
    public string Id { get; }

    /// <summary>Gets the policy's name.</summary>
    public string Name { get; }

    /// <summary>Gets the levels, first notified first.</summary>
    public ImmutableArray<EscalationLevel> Levels { get; }

    /// <summary>Gets how many more times the levels are gone through when nobody acknowledges (0: once through).</summary>
    public int RepeatCount { get; }
}
