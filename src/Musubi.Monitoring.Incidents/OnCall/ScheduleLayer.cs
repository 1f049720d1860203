using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// One rotation of an <see cref="OnCallSchedule"/>: <see cref="Users"/> take turns, one shift each, starting with the
/// first user at <see cref="RotationStart"/>; outside its <see cref="Restrictions"/> the layer has nobody on call.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shifts are measured on the wall clock of the schedule's zone.</b> Shift <c>k</c> begins at the local time
/// <c>RotationStart + k × ShiftLength</c>. A daily rotation starting at 09:00 therefore hands off at 09:00 local every day,
/// and the shift that spans a DST change lasts 23 or 25 hours of real time; a 12-hour rotation from 09:00 hands off at
/// 09:00 and 21:00 local, so the night shift over a change lasts 11 or 13 hours.
/// </para>
/// <para>
/// A hand-off at a local time the clocks skip (02:30 on a spring-forward day) happens when the clocks jump (03:00); a
/// hand-off at a local time the clocks show twice (02:30 on a fall-back day) happens at its first occurrence, still on
/// daylight time. In both cases: the first instant the wall clock reads the hand-off time or later.
/// </para>
/// <para>Before <see cref="RotationStart"/> the layer has nobody on call. Thread-safe (immutable).</para>
/// </remarks>
public sealed class ScheduleLayer
{
    /// <summary>The shortest shift: one hour, so that no shift can vanish inside a daylight-saving jump.</summary>
    public static readonly TimeSpan MinShiftLength = TimeSpan.FromHours(1);

    /// <summary>The longest shift: a year.</summary>
    public static readonly TimeSpan MaxShiftLength = TimeSpan.FromDays(366);

    /// <summary>The earliest year of a rotation start and of an instant a schedule answers for.</summary>
    internal const int MinYear = 1900;

    /// <summary>The latest year of a rotation start and of an instant a schedule answers for.</summary>
    internal const int MaxYear = 9000;

    /// <summary>Initializes a new instance of the <see cref="ScheduleLayer"/> class.</summary>
    /// <param name="name">The layer's name, unique in its schedule; non-empty.</param>
    /// <param name="users">The users in rotation order; at least one, none blank (a user may appear more than once).</param>
    /// <param name="rotationStart">The local date and time, in the schedule's zone, at which the first user's first shift begins; kind <see cref="DateTimeKind.Unspecified"/>.</param>
    /// <param name="shiftLength">The length of each shift on the local wall clock (see the remarks); at least one hour, in whole minutes.</param>
    /// <param name="restrictions">The windows in which the layer is active; none means always.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space, <paramref name="users"/> is empty or holds a blank user, or <paramref name="rotationStart"/> is not of kind Unspecified.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> is <see langword="null"/>, or a restriction is.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shiftLength"/> is shorter than an hour, longer than 366 days or not whole minutes, or <paramref name="rotationStart"/> is outside the years 1900 to 9000.</exception>
    public ScheduleLayer(string name, IEnumerable<string> users, DateTime rotationStart, TimeSpan shiftLength, IEnumerable<TimeRestriction>? restrictions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(users);
        string[] given = [.. users];
        if (given.Length == 0)
        {
            throw new ArgumentException($"Layer '{name}' needs at least one user.", nameof(users));
        }

        if (Array.FindIndex(given, string.IsNullOrWhiteSpace) is int blank and >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Layer '{name}' has a blank user at position {blank}."), nameof(users));
        }

        if (rotationStart.Kind != DateTimeKind.Unspecified)
        {
            throw new ArgumentException(
                $"Layer '{name}': the rotation start is a local time in the schedule's zone, so its kind must be Unspecified, not {rotationStart.Kind}.",
                nameof(rotationStart));
        }

        if (shiftLength < MinShiftLength || shiftLength > MaxShiftLength || shiftLength.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shiftLength), shiftLength, string.Create(CultureInfo.InvariantCulture,
                $"Layer '{name}' has a shift length of {shiftLength:c}; it must be 01:00:00 to 366 days and a whole number of minutes."));
        }

        if (rotationStart.Year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(rotationStart), rotationStart, string.Create(CultureInfo.InvariantCulture,
                $"Layer '{name}' starts its rotation in the year {rotationStart.Year}; use a year from {MinYear} to {MaxYear}."));
        }

        TimeRestriction[] windows = restrictions is null ? [] : [.. restrictions];
        foreach (TimeRestriction window in windows)
        {
            ArgumentNullException.ThrowIfNull(window, nameof(restrictions));
        }

        Name = name;
        Users = [.. given];
        RotationStart = rotationStart;
        ShiftLength = shiftLength;
        Restrictions = [.. windows];
    }

    /// <summary>Gets the layer's name.</summary>
    public string Name { get; }

    /// <summary>Gets the users in rotation order.</summary>
    public ImmutableArray<string> Users { get; }

    /// <summary>Gets the local date and time at which the first user's first shift begins.</summary>
    public DateTime RotationStart { get; }

    /// <summary>Gets the length of each shift on the local wall clock.</summary>
    public TimeSpan ShiftLength { get; }

    /// <summary>Gets the windows in which the layer is active; empty means always.</summary>
    public ImmutableArray<TimeRestriction> Restrictions { get; }

    /// <summary>A layer whose shifts last one local day, handing off at the time of day of <paramref name="rotationStart"/>.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="users">The users in rotation order.</param>
    /// <param name="rotationStart">The local start of the first shift.</param>
    /// <param name="restrictions">The windows in which the layer is active; none means always.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    /// <exception cref="ArgumentNullException">See the constructor.</exception>
    public static ScheduleLayer Daily(string name, IEnumerable<string> users, DateTime rotationStart, IEnumerable<TimeRestriction>? restrictions = null) =>
        new(name, users, rotationStart, TimeSpan.FromDays(1), restrictions);

    /// <summary>A layer whose shifts last one local week, handing off on the day and at the time of <paramref name="rotationStart"/>.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="users">The users in rotation order.</param>
    /// <param name="rotationStart">The local start of the first shift.</param>
    /// <param name="restrictions">The windows in which the layer is active; none means always.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    /// <exception cref="ArgumentNullException">See the constructor.</exception>
    public static ScheduleLayer Weekly(string name, IEnumerable<string> users, DateTime rotationStart, IEnumerable<TimeRestriction>? restrictions = null) =>
        new(name, users, rotationStart, TimeSpan.FromDays(7), restrictions);

    /// <summary>Returns the user this layer has on call at <paramref name="at"/>, or <see langword="null"/> (before the rotation starts, or outside every restriction).</summary>
    internal string? UserAt(ZoneClock clock, DateTimeOffset at)
    {
        if (at < Boundary(clock, 0))
        {
            return null;
        }

        if (!Restrictions.IsEmpty)
        {
            DateTime reading = clock.Reading(at);
            if (!Restrictions.Any(r => r.Contains(reading)))
            {
                return null;
            }
        }

        long shift = ShiftIndex(clock, at);
        return Users[(int)(shift % Users.Length)];
    }

    /// <summary>Returns the index of the shift running at <paramref name="at"/> (negative before the rotation starts).</summary>
    internal long ShiftIndex(ZoneClock clock, DateTimeOffset at)
    {
        long elapsed = (clock.Reading(at) - RotationStart).Ticks;
        long length = ShiftLength.Ticks;
        long shift = elapsed >= 0 ? elapsed / length : -((-elapsed + length - 1) / length);
        // The wall-clock estimate is off by at most one around a DST jump; settle it against the real boundaries.
        for (int i = 0; i < 3 && Boundary(clock, shift + 1) <= at; i++)
        {
            shift++;
        }

        for (int i = 0; i < 3 && Boundary(clock, shift) > at; i++)
        {
            shift--;
        }

        return shift;
    }

    /// <summary>Returns the instant shift <paramref name="shift"/> begins.</summary>
    internal DateTimeOffset Boundary(ZoneClock clock, long shift)
    {
        // Shifts beyond the calendar (within two days of year 1 or 9999) begin at its ends rather than throw.
        long margin = TimeSpan.TicksPerDay * 2;
        long length = ShiftLength.Ticks;
        if (shift > (DateTime.MaxValue.Ticks - margin - RotationStart.Ticks) / length)
        {
            return DateTimeOffset.MaxValue;
        }

        if (shift < -((RotationStart.Ticks - margin) / length))
        {
            return DateTimeOffset.MinValue;
        }

        return clock.FirstInstant(RotationStart.AddTicks(shift * length));
    }
}
