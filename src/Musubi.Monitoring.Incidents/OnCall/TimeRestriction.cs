using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// A weekly window of local wall-clock time in which a <see cref="ScheduleLayer"/> is active: it opens at
/// <see cref="Start"/> on each of <see cref="Days"/> and closes at <see cref="End"/>, on the next day when
/// <see cref="End"/> is not after <see cref="Start"/> (a night window such as 18:00–08:00).
/// </summary>
/// <remarks>
/// <para>
/// Measured on the schedule zone's wall clock: a window 09:00–17:00 is 09:00–17:00 local on both sides of a DST change
/// (eight hours of real time). On the fall-back day a window that contains the repeated hour covers both of its
/// occurrences; on the spring-forward day the skipped hour is simply missing. <see cref="End"/> equal to
/// <see cref="Start"/> is a 24-hour window.
/// </para>
/// <para>Thread-safe (immutable).</para>
/// </remarks>
public sealed class TimeRestriction
{
    /// <summary>Initializes a new instance of the <see cref="TimeRestriction"/> class.</summary>
    /// <param name="days">The days on which the window opens; at least one.</param>
    /// <param name="start">The local time the window opens.</param>
    /// <param name="end">The local time the window closes; not after <paramref name="start"/> means the next day.</param>
    /// <exception cref="ArgumentNullException"><paramref name="days"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="days"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A day is not a defined <see cref="DayOfWeek"/>.</exception>
    public TimeRestriction(IEnumerable<DayOfWeek> days, TimeOnly start, TimeOnly end)
    {
        ArgumentNullException.ThrowIfNull(days);
        DayOfWeek[] given = [.. days];
        if (given.Length == 0)
        {
            throw new ArgumentException("A time restriction needs at least one day of the week.", nameof(days));
        }

        foreach (DayOfWeek day in given)
        {
            if (!Enum.IsDefined(day))
            {
                throw new ArgumentOutOfRangeException(nameof(days), day, "Days must be Sunday to Saturday.");
            }
        }

        Days = [.. given.Distinct().Order()];
        Start = start;
        End = end;
    }

    /// <summary>Gets the days on which the window opens, Sunday first.</summary>
    public ImmutableArray<DayOfWeek> Days { get; }

    /// <summary>Gets the local time the window opens.</summary>
    public TimeOnly Start { get; }

    /// <summary>Gets the local time the window closes (on the next day when it is not after <see cref="Start"/>).</summary>
    public TimeOnly End { get; }

    /// <summary>Gets whether the window runs past midnight into the next day.</summary>
    public bool CrossesMidnight => End <= Start;

    /// <summary>A window every day of the week.</summary>
    /// <param name="start">The local time the window opens.</param>
    /// <param name="end">The local time it closes (the next day when not after <paramref name="start"/>).</param>
    /// <returns>The restriction.</returns>
    public static TimeRestriction Daily(TimeOnly start, TimeOnly end) => new(Enum.GetValues<DayOfWeek>(), start, end);

    /// <summary>A window Monday to Friday.</summary>
    /// <param name="start">The local time the window opens.</param>
    /// <param name="end">The local time it closes (the next day when not after <paramref name="start"/>).</param>
    /// <returns>The restriction.</returns>
    public static TimeRestriction Weekdays(TimeOnly start, TimeOnly end) =>
        new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], start, end);

    /// <summary>Returns whether the wall-clock reading <paramref name="local"/> is inside the window.</summary>
    /// <param name="local">A local date and time in the schedule's zone.</param>
    /// <returns><see langword="true"/> when the window is open then.</returns>
    public bool Contains(DateTime local)
    {
        TimeOnly time = TimeOnly.FromDateTime(local);
        DayOfWeek day = local.DayOfWeek;
        DayOfWeek previous = (DayOfWeek)(((int)day + 6) % 7);
        if (!CrossesMidnight)
        {
            return Days.Contains(day) && time >= Start && time < End;
        }

        return (Days.Contains(day) && time >= Start) || (Days.Contains(previous) && time < End);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(",", Days.Select(d => d.ToString()[..3]))} {Start:HH\\:mm}-{End:HH\\:mm}");

    /// <summary>The local date-times on <paramref name="date"/> at which the window opens or closes.</summary>
    internal IEnumerable<DateTime> Edges(DateOnly date)
    {
        yield return date.ToDateTime(Start);
        yield return date.ToDateTime(End);
    }
}
