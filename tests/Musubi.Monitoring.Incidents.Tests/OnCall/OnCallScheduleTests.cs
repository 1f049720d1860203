using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.OnCall;

// The instants below are worked out by hand from the zone rules:
// Europe/Berlin is CET (+01:00) in winter and CEST (+02:00) in summer; in 2026 the clocks go 02:00 → 03:00 on 29 March
// (at 01:00Z) and 03:00 → 02:00 on 25 October (at 01:00Z).
// America/New_York is EST (-05:00) and EDT (-04:00); in 2026 the clocks go 02:00 → 03:00 on 8 March (at 07:00Z) and
// 02:00 → 01:00 on 1 November (at 06:00Z).
public sealed class OnCallScheduleTests
{
    private static readonly string[] s_team = ["ana", "ben", "cleo"];

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static OnCallSchedule Schedule(string zone, params ScheduleLayer[] layers) => new("ops", "Ops", zone, layers);

    private static ScheduleLayer DailyFrom(DateTime localStart, IEnumerable<TimeRestriction>? restrictions = null) =>
        ScheduleLayer.Daily("primary", s_team, localStart, restrictions);

    [Theory]
    // Spring forward: Saturday's 09:00 is CET (08:00Z), Sunday's 09:00 is CEST (07:00Z); ben's shift is 23 hours.
    [InlineData(3, 28, 7, 59, "ana")]
    [InlineData(3, 28, 8, 0, "ben")]
    [InlineData(3, 29, 6, 59, "ben")]
    [InlineData(3, 29, 7, 0, "cleo")]
    [InlineData(3, 30, 7, 0, "ana")]
    public void WhoIsOnCall_DailyNineOClockHandOffAroundBerlinSpringForward_HandsOffAtNineLocal(int month, int day, int hour, int minute, string expected)
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 3, 27, 9, 0, 0)));

        OnCallAssignment? who = schedule.WhoIsOnCall(Utc(month, day, hour, minute));

        Assert.Equal(expected, who?.User);
        Assert.Equal("primary", who?.LayerName);
        Assert.False(who?.IsOverride);
    }

    [Theory]
    // Fall back: Saturday's 09:00 is CEST (07:00Z), Sunday's 09:00 is CET (08:00Z); ben's shift is 25 hours.
    [InlineData(10, 24, 6, 59, "ana")]
    [InlineData(10, 24, 7, 0, "ben")]
    [InlineData(10, 25, 7, 59, "ben")]
    [InlineData(10, 25, 8, 0, "cleo")]
    public void WhoIsOnCall_DailyNineOClockHandOffAroundBerlinFallBack_HandsOffAtNineLocal(int month, int day, int hour, int minute, string expected)
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 10, 23, 9, 0, 0)));

        Assert.Equal(expected, schedule.WhoIsOnCall(Utc(month, day, hour, minute))?.User);
    }

    [Theory]
    // Spring forward: Saturday's 09:00 is EST (14:00Z), Sunday's is EDT (13:00Z).
    [InlineData(3, 7, 13, 59, "ana")]
    [InlineData(3, 7, 14, 0, "ben")]
    [InlineData(3, 8, 12, 59, "ben")]
    [InlineData(3, 8, 13, 0, "cleo")]
    // Fall back: Saturday's 09:00 is EDT (13:00Z), Sunday's is EST (14:00Z).
    [InlineData(10, 31, 12, 59, "ana")]
    [InlineData(10, 31, 13, 0, "ben")]
    [InlineData(11, 1, 13, 59, "ben")]
    [InlineData(11, 1, 14, 0, "cleo")]
    public void WhoIsOnCall_DailyNineOClockHandOffAroundNewYorkChanges_HandsOffAtNineLocal(int month, int day, int hour, int minute, string expected)
    {
        var start = month == 3 ? new DateTime(2026, 3, 6, 9, 0, 0) : new DateTime(2026, 10, 30, 9, 0, 0);
        OnCallSchedule schedule = Schedule("America/New_York", DailyFrom(start));

        Assert.Equal(expected, schedule.WhoIsOnCall(Utc(month, day, hour, minute))?.User);
    }

    [Fact]
    public void GetShifts_DailyRotationOverBerlinChanges_Lists23And25HourShifts()
    {
        OnCallSchedule spring = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 3, 27, 9, 0, 0)));
        OnCallSchedule autumn = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 10, 23, 9, 0, 0)));

        IReadOnlyList<OnCallShift> springShifts = spring.GetShifts(Utc(3, 28, 8), Utc(3, 30, 7));
        IReadOnlyList<OnCallShift> autumnShifts = autumn.GetShifts(Utc(10, 24, 7), Utc(10, 26, 8));

        Assert.Equal(
            [new OnCallShift("ben", Utc(3, 28, 8), Utc(3, 29, 7), "primary", false), new OnCallShift("cleo", Utc(3, 29, 7), Utc(3, 30, 7), "primary", false)],
            springShifts);
        Assert.Equal(TimeSpan.FromHours(23), springShifts[0].End - springShifts[0].Start);
        Assert.Equal(
            [new OnCallShift("ben", Utc(10, 24, 7), Utc(10, 25, 8), "primary", false), new OnCallShift("cleo", Utc(10, 25, 8), Utc(10, 26, 8), "primary", false)],
            autumnShifts);
        Assert.Equal(TimeSpan.FromHours(25), autumnShifts[0].End - autumnShifts[0].Start);
    }

    [Theory]
    // Berlin, hand-off at 02:30, which 29 March 2026 skips: it happens when the clocks jump, at 03:00 CEST (01:00Z).
    [InlineData("Europe/Berlin", 3, 28, 3, 29, 0, 59, 1, 0)]
    // New York, hand-off at 02:30, which 8 March 2026 skips: at 03:00 EDT (07:00Z).
    [InlineData("America/New_York", 3, 7, 3, 8, 6, 59, 7, 0)]
    public void WhoIsOnCall_HandOffAtSkippedLocalTime_HappensWhenTheClocksJump(
        string zone, int startMonth, int startDay, int month, int day, int beforeHour, int beforeMinute, int atHour, int atMinute)
    {
        OnCallSchedule schedule = Schedule(zone, DailyFrom(new DateTime(2026, startMonth, startDay, 2, 30, 0)));

        Assert.Equal("ana", schedule.WhoIsOnCall(Utc(month, day, beforeHour, beforeMinute))?.User);
        Assert.Equal("ben", schedule.WhoIsOnCall(Utc(month, day, atHour, atMinute))?.User);
    }

    [Fact]
    public void WhoIsOnCall_HandOffAtRepeatedLocalTime_HappensAtTheFirstOccurrenceOnly()
    {
        // Berlin, hand-off at 02:30, which 25 October 2026 shows twice: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z).
        OnCallSchedule berlin = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 10, 24, 2, 30, 0)));
        // New York, hand-off at 01:30, shown twice on 1 November 2026: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z).
        OnCallSchedule newYork = Schedule("America/New_York", DailyFrom(new DateTime(2026, 10, 31, 1, 30, 0)));

        Assert.Equal("ana", berlin.WhoIsOnCall(Utc(10, 25, 0, 29))?.User);
        Assert.Equal("ben", berlin.WhoIsOnCall(Utc(10, 25, 0, 30))?.User);
        Assert.Equal("ben", berlin.WhoIsOnCall(Utc(10, 25, 1, 30))?.User);
        Assert.Equal("ben", berlin.WhoIsOnCall(Utc(10, 26, 1, 29))?.User);
        Assert.Equal("cleo", berlin.WhoIsOnCall(Utc(10, 26, 1, 30))?.User);
        Assert.Equal("ana", newYork.WhoIsOnCall(Utc(11, 1, 5, 29))?.User);
        Assert.Equal("ben", newYork.WhoIsOnCall(Utc(11, 1, 5, 30))?.User);
        Assert.Equal("ben", newYork.WhoIsOnCall(Utc(11, 1, 6, 30))?.User);
    }

    [Fact]
    public void WhoIsOnCall_TwelveHourRotationOverSpringForward_HandsOffAtNineAndTwentyOneLocal()
    {
        var layer = new ScheduleLayer("follow-the-sun", ["day", "night"], new DateTime(2026, 3, 28, 9, 0, 0), TimeSpan.FromHours(12));
        OnCallSchedule schedule = Schedule("Europe/Berlin", layer);

        // Saturday 21:00 CET is 20:00Z; Sunday 09:00 CEST is 07:00Z, so the night shift lasts 11 hours.
        IReadOnlyList<OnCallShift> shifts = schedule.GetShifts(Utc(3, 28, 8), Utc(3, 29, 19));

        Assert.Equal([Utc(3, 28, 8), Utc(3, 28, 20), Utc(3, 29, 7)], shifts.Select(s => s.Start));
        Assert.Equal(["day", "night", "day"], shifts.Select(s => s.User));
    }

    [Fact]
    public void WhoIsOnCall_BeforeRotationStart_IsNobody()
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin", DailyFrom(new DateTime(2026, 3, 27, 9, 0, 0)));

        Assert.Null(schedule.WhoIsOnCall(Utc(3, 27, 7, 59)));
        Assert.Equal("ana", schedule.WhoIsOnCall(Utc(3, 27, 8))?.User);
    }

    [Fact]
    public void WhoIsOnCall_WeekdayBusinessHoursRestriction_MeasuredInLocalTimeOnBothSidesOfTheChange()
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin",
            ScheduleLayer.Weekly("office", ["ana"], new DateTime(2026, 3, 2, 9, 0, 0), [TimeRestriction.Weekdays(new TimeOnly(9, 0), new TimeOnly(17, 0))]));

        // Friday 27 March, CET: 09:00 is 08:00Z, 17:00 is 16:00Z.
        Assert.Null(schedule.WhoIsOnCall(Utc(3, 27, 7, 59)));
        Assert.Equal("ana", schedule.WhoIsOnCall(Utc(3, 27, 8))?.User);
        Assert.Null(schedule.WhoIsOnCall(Utc(3, 27, 16)));
        // Saturday and Sunday: nobody.
        Assert.Null(schedule.WhoIsOnCall(Utc(3, 28, 12)));
        // Monday 30 March, CEST: 09:00 is 07:00Z, 17:00 is 15:00Z.
        Assert.Null(schedule.WhoIsOnCall(Utc(3, 30, 6, 59)));
        Assert.Equal("ana", schedule.WhoIsOnCall(Utc(3, 30, 7))?.User);
        Assert.Equal("ana", schedule.WhoIsOnCall(Utc(3, 30, 14, 59))?.User);
        Assert.Null(schedule.WhoIsOnCall(Utc(3, 30, 15)));
    }

    [Fact]
    public void WhoIsOnCall_NightRestrictionCrossingMidnight_CoversTheEarlyHoursOfTheNextDay()
    {
        // Friday nights only, 22:00 to 06:00 Saturday; New York in summer (EDT, -04:00).
        OnCallSchedule schedule = Schedule("America/New_York",
            DailyFrom(new DateTime(2026, 6, 1, 9, 0, 0), [new TimeRestriction([DayOfWeek.Friday], new TimeOnly(22, 0), new TimeOnly(6, 0))]));

        Assert.Null(schedule.WhoIsOnCall(Utc(6, 6, 1, 59)));          // Friday 21:59
        Assert.NotNull(schedule.WhoIsOnCall(Utc(6, 6, 2)));            // Friday 22:00
        Assert.NotNull(schedule.WhoIsOnCall(Utc(6, 6, 9, 59)));        // Saturday 05:59
        Assert.Null(schedule.WhoIsOnCall(Utc(6, 6, 10)));              // Saturday 06:00
        Assert.Null(schedule.WhoIsOnCall(Utc(6, 7, 3)));               // Saturday 23:00: the window opens on Fridays only
    }

    [Fact]
    public void GetShifts_RestrictionOverTheRepeatedHour_CoversBothOccurrences()
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin",
            DailyFrom(new DateTime(2026, 10, 1, 9, 0, 0), [TimeRestriction.Daily(new TimeOnly(2, 0), new TimeOnly(3, 0))]));

        IReadOnlyList<OnCallShift> fallBack = schedule.GetShifts(Utc(10, 24, 12), Utc(10, 25, 12));
        IReadOnlyList<OnCallShift> springForward = schedule.GetShifts(Utc(3, 27, 23, year: 2027), Utc(3, 28, 22, year: 2027));

        // 02:00–03:00 local on 25 October is 00:00Z–02:00Z: the wall clock reads 02:xx for two hours.
        OnCallShift only = Assert.Single(fallBack);
        Assert.Equal((Utc(10, 25, 0), Utc(10, 25, 2)), (only.Start, only.End));
        // 28 March 2027 (midnight to midnight local) skips 02:00–03:00 in Berlin: the window never opens.
        Assert.Empty(springForward);
    }

    [Fact]
    public void WhoIsOnCall_LaterLayerActive_WinsOverEarlierLayer()
    {
        ScheduleLayer baseLayer = ScheduleLayer.Weekly("base", ["ana"], new DateTime(2026, 3, 2, 0, 0, 0));
        ScheduleLayer nights = ScheduleLayer.Daily("nights", ["nina"], new DateTime(2026, 3, 2, 0, 0, 0),
            [TimeRestriction.Daily(new TimeOnly(20, 0), new TimeOnly(8, 0))]);
        OnCallSchedule schedule = Schedule("Europe/Berlin", baseLayer, nights);

        Assert.Equal(new OnCallAssignment("ana", "base", null), schedule.WhoIsOnCall(Utc(3, 10, 12)));
        Assert.Equal(new OnCallAssignment("nina", "nights", null), schedule.WhoIsOnCall(Utc(3, 10, 22)));
    }

    [Fact]
    public void WhoIsOnCall_OverrideInForce_WinsOverEveryLayerAndTheLastOverrideWins()
    {
        OnCallSchedule schedule = Schedule("Europe/Berlin",
                ScheduleLayer.Weekly("base", ["ana"], new DateTime(2026, 3, 2, 0, 0, 0)),
                ScheduleLayer.Daily("top", ["ben"], new DateTime(2026, 3, 2, 0, 0, 0)))
            .WithOverride(new ScheduleOverride("olga", Utc(3, 29, 0), Utc(3, 29, 12)))
            .WithOverride(new ScheduleOverride("omar", Utc(3, 29, 6), Utc(3, 29, 8)));

        Assert.Equal("ben", schedule.WhoIsOnCall(Utc(3, 28, 23, 59))?.User);
        OnCallAssignment? olga = schedule.WhoIsOnCall(Utc(3, 29, 0));
        Assert.Equal(("olga", true, null), (olga?.User, olga?.IsOverride, olga?.LayerName));
        Assert.Equal("omar", schedule.WhoIsOnCall(Utc(3, 29, 7))?.User);
        Assert.Equal("olga", schedule.WhoIsOnCall(Utc(3, 29, 8))?.User);
        Assert.Equal("ben", schedule.WhoIsOnCall(Utc(3, 29, 12))?.User);
        Assert.Equal(
            [("ben", false), ("olga", true), ("omar", true), ("olga", true), ("ben", false)],
            schedule.GetShifts(Utc(3, 28, 22), Utc(3, 29, 14)).Select(s => (s.User, s.IsOverride)));
    }

    [Fact]
    public void WhoIsOnCall_OverrideAcrossSpringForward_CoversItsInstantsExactly()
    {
        OnCallSchedule schedule = Schedule("America/New_York", DailyFrom(new DateTime(2026, 3, 1, 9, 0, 0)))
            .WithOverride(new ScheduleOverride("olga", new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-5)), new DateTimeOffset(2026, 3, 8, 4, 0, 0, TimeSpan.FromHours(-4))));

        // 01:00 EST to 04:00 EDT is two real hours, 06:00Z to 08:00Z.
        Assert.NotEqual("olga", schedule.WhoIsOnCall(Utc(3, 8, 5, 59))?.User);
        Assert.Equal("olga", schedule.WhoIsOnCall(Utc(3, 8, 6))?.User);
        Assert.Equal("olga", schedule.WhoIsOnCall(Utc(3, 8, 7, 59))?.User);
        Assert.NotEqual("olga", schedule.WhoIsOnCall(Utc(3, 8, 8))?.User);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("W. Europe Standard Time")]
    [InlineData(" ")]
    public void Constructor_UnknownTimeZone_ThrowsNamingIt(string zone)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => Schedule(zone, DailyFrom(new DateTime(2026, 3, 1, 9, 0, 0))));

        Assert.Contains(zone.Trim().Length == 0 ? "timeZoneId" : zone, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidSchedules_ThrowWithClearMessages()
    {
        ScheduleLayer layer = DailyFrom(new DateTime(2026, 3, 1, 9, 0, 0));

        Assert.Contains("at least one layer", Assert.Throws<ArgumentException>(() => Schedule("Europe/Berlin")).Message, StringComparison.Ordinal);
        Assert.Contains("'primary'", Assert.Throws<ArgumentException>(() => Schedule("Europe/Berlin", layer, layer)).Message, StringComparison.Ordinal);
        Assert.Contains("at least one user", Assert.Throws<ArgumentException>(() => ScheduleLayer.Daily("l", [], new DateTime(2026, 3, 1))).Message, StringComparison.Ordinal);
        Assert.Contains("position 1", Assert.Throws<ArgumentException>(() => ScheduleLayer.Daily("l", ["a", " "], new DateTime(2026, 3, 1))).Message, StringComparison.Ordinal);
        Assert.Contains("Utc", Assert.Throws<ArgumentException>(() => ScheduleLayer.Daily("l", ["a"], new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc))).Message, StringComparison.Ordinal);
        Assert.Contains("00:30:00", Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleLayer("l", ["a"], new DateTime(2026, 3, 1), TimeSpan.FromMinutes(30))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleLayer("l", ["a"], new DateTime(2026, 3, 1), TimeSpan.FromSeconds(3630)));
        Assert.Contains("olga", Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleOverride("olga", Utc(3, 1, 1), Utc(3, 1, 1))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TimeRestriction([], new TimeOnly(9, 0), new TimeOnly(17, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeRestriction([(DayOfWeek)7], new TimeOnly(9, 0), new TimeOnly(17, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule("Europe/Berlin", layer).GetShifts(Utc(3, 1, 0), Utc(3, 1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule("Europe/Berlin", layer).GetShifts(Utc(3, 1, 0), Utc(3, 1, 0, year: 2027).AddDays(2)));
    }

    [Fact]
    public void WhoIsOnCall_InstantsAtTheCalendarsEnds_ThrowArgumentOutOfRangeNotIndexOutOfRange()
    {
        var schedule = new OnCallSchedule("s", "S", "America/Los_Angeles",
            [new ScheduleLayer("l", ["a", "b", "c"], new DateTime(2026, 1, 2), TimeSpan.FromHours(1))]);

        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.WhoIsOnCall(DateTimeOffset.MinValue.AddHours(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.WhoIsOnCall(DateTimeOffset.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.GetShifts(DateTimeOffset.MaxValue.AddDays(-3), DateTimeOffset.MaxValue));
        Assert.Null(schedule.WhoIsOnCall(new DateTimeOffset(1900, 1, 2, 0, 0, 0, TimeSpan.Zero)));   // before the rotation: nobody
        Assert.NotNull(schedule.WhoIsOnCall(new DateTimeOffset(9000, 12, 31, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void ScheduleLayer_RotationStartOrShiftLengthOutOfRange_Throws()
    {
        var early = Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleLayer("l", ["a"], DateTime.MinValue, TimeSpan.FromDays(7)));
        Assert.Contains("year 1", early.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleLayer("l", ["a"], new DateTime(9999, 1, 1), TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleLayer("l", ["a"], new DateTime(2026, 1, 1), TimeSpan.FromDays(3_650_000)));
    }
}
