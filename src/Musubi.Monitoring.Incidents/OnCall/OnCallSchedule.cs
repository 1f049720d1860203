using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// An on-call schedule: rotation layers in an IANA time zone, and overrides. At any instant an override in force wins;
/// otherwise the last layer that has someone on call wins over the layers before it.
/// </summary>
/// <remarks>
/// <para>
/// Layer rotations and restrictions are measured on the wall clock of <see cref="TimeZone"/> (see
/// <see cref="ScheduleLayer"/> for how hand-offs at skipped and repeated local times are placed); overrides are instants.
/// </para>
/// <para>Thread-safe (immutable). <see cref="WithOverride"/> returns a new schedule.</para>
/// </remarks>
public sealed class OnCallSchedule
{
    /// <summary>The longest span <see cref="GetShifts"/> lists at once.</summary>
    public static readonly TimeSpan MaxShiftListSpan = TimeSpan.FromDays(366);

    private readonly ZoneClock _clock;

    /// <summary>Initializes a new instance of the <see cref="OnCallSchedule"/> class.</summary>
    /// <param name="id">The schedule's id, which escalation targets name; non-empty.</param>
    /// <param name="name">The schedule's name; non-empty.</param>
    /// <param name="timeZoneId">The IANA id of the zone the layers are measured in, such as <c>Europe/Berlin</c>.</param>
    /// <param name="layers">The layers, lowest first; at least one, names unique.</param>
    /// <param name="overrides">The overrides; where they overlap the last one wins.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/>, <paramref name="name"/> or <paramref name="timeZoneId"/> is null or white space; the zone is
    /// unknown or not an IANA id; there is no layer; or two layers share a name.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is <see langword="null"/>, or a layer or override is.</exception>
    public OnCallSchedule(string id, string name, string timeZoneId, IEnumerable<ScheduleLayer> layers, IEnumerable<ScheduleOverride>? overrides = null)
        : this(id, name, FindZone(timeZoneId), layers, overrides)
    {
    }

    private OnCallSchedule(string id, string name, TimeZoneInfo zone, IEnumerable<ScheduleLayer> layers, IEnumerable<ScheduleOverride>? overrides)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(layers);
        ScheduleLayer[] givenLayers = [.. layers];
        if (givenLayers.Length == 0)
        {
            throw new ArgumentException($"Schedule '{id}' needs at least one layer.", nameof(layers));
        }

        foreach (ScheduleLayer layer in givenLayers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
        }

        if (givenLayers.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Schedule '{id}' has two layers named '{twice.Key}'; layer names must be unique.", nameof(layers));
        }

        ScheduleOverride[] givenOverrides = overrides is null ? [] : [.. overrides];
        foreach (ScheduleOverride stand in givenOverrides)
        {
            ArgumentNullException.ThrowIfNull(stand, nameof(overrides));
        }

        Id = id;
        Name = name;
        TimeZone = zone;
        Layers = [.. givenLayers];
        Overrides = [.. givenOverrides];
        _clock = new ZoneClock(zone);
    }

    /// <summary>Gets the schedule's id.</summary>
    public string Id { get; }

    /// <summary>Gets the schedule's name.</summary>
    public string Name { get; }

    /// <summary>Gets the zone the layers are measured in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Gets the layers, lowest first: a later layer wins where it has someone on call.</summary>
    public ImmutableArray<ScheduleLayer> Layers { get; }

    /// <summary>Gets the overrides; where they overlap the last one wins.</summary>
    public ImmutableArray<ScheduleOverride> Overrides { get; }

    /// <summary>Returns a copy of this schedule with <paramref name="scheduleOverride"/> added last (so it wins over earlier overrides).</summary>
    /// <param name="scheduleOverride">The override.</param>
    /// <returns>The new schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduleOverride"/> is <see langword="null"/>.</exception>
    public OnCallSchedule WithOverride(ScheduleOverride scheduleOverride)
    {
        ArgumentNullException.ThrowIfNull(scheduleOverride);
        return new OnCallSchedule(Id, Name, TimeZone, Layers, Overrides.Add(scheduleOverride));
    }

    /// <summary>Returns who is on call at <paramref name="at"/>.</summary>
    /// <param name="at">The instant, in the years 1900 to 9000.</param>
    /// <returns>The user and the override or layer that puts them on call, or <see langword="null"/> when nobody is.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is outside the years 1900 to 9000.</exception>
    public OnCallAssignment? WhoIsOnCall(DateTimeOffset at)
    {
        CheckInstant(at, nameof(at));
        for (int i = Overrides.Length - 1; i >= 0; i--)
        {
            if (Overrides[i].Covers(at))
            {
                return new OnCallAssignment(Overrides[i].User, null, Overrides[i]);
            }
        }

        for (int i = Layers.Length - 1; i >= 0; i--)
        {
            if (Layers[i].UserAt(_clock, at) is { } user)
            {
                return new OnCallAssignment(user, Layers[i].Name, null);
            }
        }

        return null;
    }

    /// <summary>
    /// Lists the final schedule from <paramref name="from"/> to <paramref name="to"/>: consecutive shifts of the same user
    /// for the same layer or override are merged, and times with nobody on call are left out. Shifts are cut to the span.
    /// </summary>
    /// <param name="from">The start of the span (inclusive).</param>
    /// <param name="to">The end of the span (exclusive).</param>
    /// <returns>The shifts, in time order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is not after <paramref name="from"/>, the span is longer than <see cref="MaxShiftListSpan"/>, or it reaches outside the years 1900 to 9000.</exception>
    public IReadOnlyList<OnCallShift> GetShifts(DateTimeOffset from, DateTimeOffset to)
    {
        CheckInstant(from, nameof(from));
        CheckInstant(to, nameof(to));
        if (to <= from || to - from > MaxShiftListSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, string.Create(CultureInfo.InvariantCulture,
                $"The span {from:O} to {to:O} must be positive and at most {MaxShiftListSpan.TotalDays} days."));
        }

        var changes = new SortedSet<DateTimeOffset> { from };
        void Add(DateTimeOffset instant)
        {
            if (instant > from && instant < to)
            {
                changes.Add(instant);
            }
        }

        foreach (ScheduleOverride stand in Overrides)
        {
            Add(stand.Start);
            Add(stand.End);
        }

        DateOnly firstDay = DateOnly.FromDateTime(_clock.Reading(from)).AddDays(-1);
        DateOnly lastDay = DateOnly.FromDateTime(_clock.Reading(to)).AddDays(1);
        foreach (ScheduleLayer layer in Layers)
        {
            for (long shift = Math.Max(0, layer.ShiftIndex(_clock, from) + 1); ; shift++)
            {
                DateTimeOffset boundary = layer.Boundary(_clock, shift);
                if (boundary >= to)
                {
                    break;
                }

                Add(boundary);
            }

            foreach (TimeRestriction window in layer.Restrictions)
            {
                for (DateOnly day = firstDay; day <= lastDay; day = day.AddDays(1))
                {
                    foreach (DateTime edge in window.Edges(day))
                    {
                        foreach (DateTimeOffset instant in _clock.AllInstants(edge))
                        {
                            Add(instant);
                        }
                    }
                }
            }
        }

        var shifts = new List<OnCallShift>();
        DateTimeOffset[] points = [.. changes];
        for (int i = 0; i < points.Length; i++)
        {
            DateTimeOffset end = i + 1 < points.Length ? points[i + 1] : to;
            if (WhoIsOnCall(points[i]) is not { } who)
            {
                continue;
            }

            if (shifts.Count > 0 && shifts[^1] is { } last && last.End == points[i] && last.User == who.User
                && last.LayerName == who.LayerName && last.IsOverride == who.IsOverride)
            {
                shifts[^1] = last with { End = end };
            }
            else
            {
                shifts.Add(new OnCallShift(who.User, points[i], end, who.LayerName, who.IsOverride));
            }
        }

        return shifts;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Id}, {TimeZone.Id})";

    private static TimeZoneInfo FindZone(string timeZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"The time zone '{timeZoneId}' is unknown on this system; give an IANA id such as 'Europe/Berlin'.", nameof(timeZoneId), e);
        }

        if (!zone.HasIanaId)
        {
            throw new ArgumentException($"The time zone '{timeZoneId}' is not an IANA id; give one such as 'Europe/Berlin' or 'America/New_York'.", nameof(timeZoneId));
        }

        return zone;
    }

    /// <summary>Schedules answer for the years 1900 to 9000: far enough from the calendar's ends for any shift and zone.</summary>
    internal static void CheckInstant(DateTimeOffset at, string parameterName)
    {
        if (at.UtcDateTime.Year is < ScheduleLayer.MinYear or > ScheduleLayer.MaxYear)
        {
            throw new ArgumentOutOfRangeException(parameterName, at, string.Create(CultureInfo.InvariantCulture,
                $"Schedules answer for the years {ScheduleLayer.MinYear} to {ScheduleLayer.MaxYear}; {at:O} is outside them."));
        }
    }
}
