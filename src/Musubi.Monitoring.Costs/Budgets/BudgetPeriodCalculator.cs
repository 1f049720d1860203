namespace Musubi.Monitoring.Costs;

/// <summary>Computes the <c>[start, end)</c> instants of a budget period on the wall clock of a time zone.</summary>
internal static class BudgetPeriodCalculator
{
    public static (DateTimeOffset Start, DateTimeOffset End) PeriodAt(BudgetPeriod period, TimeZoneInfo zone, DateTimeOffset instant)
    {
        if (period.Kind == BudgetPeriodKind.Custom)
        {
            long length = period.Length.Ticks;
            long elapsed = instant.UtcTicks - period.Anchor.UtcTicks;
            long index = elapsed >= 0 ? elapsed / length : -((-elapsed + length - 1) / length);
            var start = new DateTimeOffset(period.Anchor.UtcTicks + (index * length), TimeSpan.Zero);
            return (start, start + period.Length);
        }

        DateTime local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.Date;
        DateTime startDate;
        DateTime endDate;
        switch (period.Kind)
        {
            case BudgetPeriodKind.Daily:
                startDate = local;
                endDate = local.AddDays(1);
                break;
            case BudgetPeriodKind.Weekly:
                int back = ((int)local.DayOfWeek - (int)period.FirstDayOfWeek + 7) % 7;
                startDate = local.AddDays(-back);
                endDate = startDate.AddDays(7);
                break;
            default:
                startDate = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
                endDate = startDate.AddMonths(1);
                break;
        }

        return (ToInstant(startDate, zone), ToInstant(endDate, zone));
    }

    /// <summary>
    /// The instant at which the wall clock of <paramref name="zone"/> shows <paramref name="local"/>. A local time
    /// skipped by a transition resolves to the first valid instant after it (the transition itself); a local time
    /// that occurs twice resolves to the earlier instant.
    /// </summary>
    internal static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The clocks jump forward over `local`: the transition happens when the old offset would show `local`.
            TimeSpan before = zone.GetUtcOffset(local.AddDays(-1));
            return new DateTimeOffset(local - before, TimeSpan.Zero).ToOffset(zone.GetUtcOffset(local.AddDays(1)));
        }

        if (zone.IsAmbiguousTime(local))
        {
            TimeSpan largest = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, largest);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
