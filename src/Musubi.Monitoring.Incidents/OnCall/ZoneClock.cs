namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Local wall-clock times of one time zone and the instants they fall on, with one rule for the hours that daylight
/// saving time skips or repeats.
/// </summary>
/// <remarks>
/// <para>
/// A local time names the <em>first instant at which the wall clock reads that time or later</em>. For an ordinary time
/// that is the one instant it names. For a time the clocks skip (02:30 on a spring-forward day in Europe/Berlin) it is the
/// instant the clocks jump (03:00 CEST, 01:00Z). For a time the clocks show twice (02:30 on a fall-back day) it is the
/// first occurrence, still on daylight time (02:30 CEST, 00:30Z). The mapping never goes backwards: a later local time
/// never names an earlier instant.
/// </para>
/// <para>Thread-safe (immutable).</para>
/// </remarks>
internal sealed class ZoneClock
{
    private readonly TimeZoneInfo _zone;

    public ZoneClock(TimeZoneInfo zone) => _zone = zone;

    /// <summary>Returns what the wall clock reads at <paramref name="instant"/> (kind Unspecified).</summary>
    public DateTime Reading(DateTimeOffset instant) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, _zone).DateTime, DateTimeKind.Unspecified);

    /// <summary>Returns the first instant at which the wall clock reads <paramref name="local"/> or later (see the remarks).</summary>
    public DateTimeOffset FirstInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsAmbiguousTime(local))
        {
            // The earlier occurrence has the larger offset (daylight time, before the clocks go back).
            TimeSpan offset = _zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }

        if (!_zone.IsInvalidTime(local))
        {
            return new DateTimeOffset(local, _zone.GetUtcOffset(local)).ToUniversalTime();
        }

        return GapEnd(local);
    }

    /// <summary>
    /// Returns every instant at which the wall clock starts reading <paramref name="local"/>: two for a time shown twice,
    /// the end of the gap for a skipped time, otherwise one.
    /// </summary>
    public IEnumerable<DateTimeOffset> AllInstants(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsAmbiguousTime(local))
        {
            return _zone.GetAmbiguousTimeOffsets(local)
                .Select(offset => new DateTimeOffset(local, offset).ToUniversalTime())
                .Distinct()
                .Order();
        }

        return [FirstInstant(local)];
    }

    /// <summary>The instant the clocks jump over the skipped <paramref name="local"/> time: a binary search between the offsets on either side.</summary>
    private DateTimeOffset GapEnd(DateTime local)
    {
        TimeSpan before = _zone.GetUtcOffset(local.AddDays(-1));
        TimeSpan after = _zone.GetUtcOffset(local.AddDays(1));
        long low = (local - (before > after ? before : after)).Ticks;
        long high = (local - (before > after ? after : before)).Ticks;
        // Invariant: the clock reads earlier than `local` at `low` (before the jump) and `local` or later at `high`.
        while (high - low > 1)
        {
            long middle = low + ((high - low) / 2);
            if (Reading(new DateTimeOffset(middle, TimeSpan.Zero)) >= local)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return new DateTimeOffset(high, TimeSpan.Zero);
    }
}
