using System.Globalization;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetPeriodTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void PeriodAt_MonthlyInTokyo_ResetsForAugustAt20260731T1500Z()
    {
        var budget = new Budget("tokyo", 500m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" };

        (DateTimeOffset julyStart, DateTimeOffset julyEnd) = budget.PeriodAt(At("2026-07-31T14:59:59Z"));
        (DateTimeOffset augustStart, _) = budget.PeriodAt(At("2026-07-31T15:00:00Z"));

        Assert.Equal(At("2026-06-30T15:00:00Z"), julyStart);
        Assert.Equal(At("2026-07-31T15:00:00Z"), julyEnd);
        Assert.Equal(At("2026-07-31T15:00:00Z"), augustStart);
    }

    [Fact]
    public void PeriodAt_DailyInBerlinOnSpringForward_Is23Hours()
    {
        var budget = new Budget("berlin", 10m, BudgetPeriod.Daily) { TimeZoneId = "Europe/Berlin" };

        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(At("2026-03-29T12:00:00Z"));

        Assert.Equal(At("2026-03-28T23:00:00Z"), start);
        Assert.Equal(At("2026-03-29T22:00:00Z"), end);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void PeriodAt_DailyInBerlinOnFallBack_Is25Hours()
    {
        var budget = new Budget("berlin", 10m, BudgetPeriod.Daily) { TimeZoneId = "Europe/Berlin" };

        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(At("2026-10-25T12:00:00Z"));

        Assert.Equal(At("2026-10-24T22:00:00Z"), start);
        Assert.Equal(At("2026-10-25T23:00:00Z"), end);
        Assert.Equal(TimeSpan.FromHours(25), end - start);
    }

    [Fact]
    public void PeriodAt_WeeklyDefault_StartsOnMonday()
    {
        var budget = new Budget("week", 10m, BudgetPeriod.Weekly);

        // Wednesday 2026-07-15.
        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(At("2026-07-15T10:00:00Z"));

        Assert.Equal(DayOfWeek.Monday, BudgetPeriod.Weekly.FirstDayOfWeek);
        Assert.Equal(At("2026-07-13T00:00:00Z"), start);
        Assert.Equal(At("2026-07-20T00:00:00Z"), end);
    }

    [Fact]
    public void PeriodAt_WeeklyStartingOnSunday_StartsOnSunday()
    {
        var budget = new Budget("week", 10m, BudgetPeriod.WeeklyStartingOn(DayOfWeek.Sunday)) { TimeZoneId = "America/New_York" };

        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(At("2026-07-15T10:00:00Z"));

        Assert.Equal(At("2026-07-12T04:00:00Z"), start); // Sunday 00:00 EDT
        Assert.Equal(At("2026-07-19T04:00:00Z"), end);
    }

    [Fact]
    public void PeriodAt_WeeklyOnItsFirstDay_StartsThatDay()
    {
        var budget = new Budget("week", 10m, BudgetPeriod.Weekly);

        (DateTimeOffset start, _) = budget.PeriodAt(At("2026-07-13T00:00:00Z"));

        Assert.Equal(At("2026-07-13T00:00:00Z"), start);
    }

    [Fact]
    public void PeriodAt_Custom_RepeatsFromAnchorBothWays()
    {
        var budget = new Budget("custom", 10m, BudgetPeriod.Custom(TimeSpan.FromHours(6), At("2026-01-01T01:00:00Z")));

        Assert.Equal((At("2026-01-01T07:00:00Z"), At("2026-01-01T13:00:00Z")), budget.PeriodAt(At("2026-01-01T12:59:59Z")));
        Assert.Equal((At("2025-12-31T19:00:00Z"), At("2026-01-01T01:00:00Z")), budget.PeriodAt(At("2025-12-31T19:00:00Z")));
    }

    [Fact]
    public void PeriodAt_ZoneSkippingMidnight_StartsAtFirstValidInstant()
    {
        // America/Santiago springs forward at local 00:00 on 2026-09-06 (-04:00 -> -03:00): 00:00 to 00:59 do not exist.
        var budget = new Budget("santiago", 10m, BudgetPeriod.Daily) { TimeZoneId = "America/Santiago" };

        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(At("2026-09-06T12:00:00Z"));

        Assert.Equal(At("2026-09-06T04:00:00Z"), start);
        Assert.Equal(At("2026-09-07T03:00:00Z"), end);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void Of_UnknownKind_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPeriod.Of((BudgetPeriodKind)42));

        Assert.Contains("42", ex.Message, StringComparison.Ordinal);
        Assert.Equal("kind", ex.ParamName);
    }

    [Fact]
    public void Of_Custom_ThrowsPointingToFactory()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPeriod.Of(BudgetPeriodKind.Custom));

        Assert.Contains("BudgetPeriod.Custom", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_CalendarKinds_ReturnsPeriods()
    {
        Assert.Same(BudgetPeriod.Daily, BudgetPeriod.Of(BudgetPeriodKind.Daily));
        Assert.Same(BudgetPeriod.Weekly, BudgetPeriod.Of(BudgetPeriodKind.Weekly));
        Assert.Same(BudgetPeriod.Monthly, BudgetPeriod.Of(BudgetPeriodKind.Monthly));
    }

    [Fact]
    public void WeeklyStartingOn_UndefinedDay_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPeriod.WeeklyStartingOn((DayOfWeek)9));

        Assert.Contains("9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_LengthUnderOneSecond_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPeriod.Custom(TimeSpan.Zero, default));

        Assert.Contains("00:00:00", ex.Message, StringComparison.Ordinal);
    }
}
