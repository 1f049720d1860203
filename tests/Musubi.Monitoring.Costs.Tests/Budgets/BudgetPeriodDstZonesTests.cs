using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetPeriodDstZonesTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("America/New_York", "2026-03-08T17:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z")]
    [InlineData("America/New_York", "2026-11-01T17:00:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z")]
    [InlineData("Europe/Berlin", "2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z")]
    [InlineData("Australia/Lord_Howe", "2026-10-04T06:00:00Z", "2026-10-03T13:30:00Z", "2026-10-04T13:00:00Z")]
    [InlineData("Australia/Lord_Howe", "2026-04-05T06:00:00Z", "2026-04-04T13:00:00Z", "2026-04-05T13:30:00Z")]
    [InlineData("Asia/Tokyo", "2026-03-08T17:00:00Z", "2026-03-08T15:00:00Z", "2026-03-09T15:00:00Z")]
    public void PeriodAt_DailyAcrossDst_StartsAndEndsAtLocalMidnight(string zone, string at, string start, string end)
    {
        var budget = new Budget("b", 10m, BudgetPeriod.Daily) { TimeZoneId = zone };
        Assert.Equal((At(start), At(end)), budget.PeriodAt(At(at)));
    }

    [Theory]
    [InlineData("America/New_York", DayOfWeek.Sunday, "2026-03-10T17:00:00Z", "2026-03-08T05:00:00Z", "2026-03-15T04:00:00Z")]
    [InlineData("America/New_York", DayOfWeek.Monday, "2026-03-08T17:00:00Z", "2026-03-02T05:00:00Z", "2026-03-09T04:00:00Z")]
    [InlineData("Australia/Lord_Howe", DayOfWeek.Monday, "2026-10-04T06:00:00Z", "2026-09-27T13:30:00Z", "2026-10-04T13:00:00Z")]
    [InlineData("Europe/Berlin", DayOfWeek.Sunday, "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z", "2026-10-31T23:00:00Z")]
    public void PeriodAt_WeeklyAcrossDst_StartsOnTheFirstDay(string zone, DayOfWeek first, string at, string start, string end)
    {
        var budget = new Budget("b", 10m, BudgetPeriod.WeeklyStartingOn(first)) { TimeZoneId = zone };
        Assert.Equal((At(start), At(end)), budget.PeriodAt(At(at)));
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-15T00:00:00Z", "2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z")]
    [InlineData("Australia/Lord_Howe", "2026-10-15T00:00:00Z", "2026-09-30T13:30:00Z", "2026-10-31T13:00:00Z")]
    [InlineData("Asia/Tokyo", "2026-07-31T15:00:00Z", "2026-07-31T15:00:00Z", "2026-08-31T15:00:00Z")]
    public void PeriodAt_MonthlyAcrossDst_StartsOnTheFirst(string zone, string at, string start, string end)
    {
        var budget = new Budget("b", 10m, BudgetPeriod.Monthly) { TimeZoneId = zone };
        Assert.Equal((At(start), At(end)), budget.PeriodAt(At(at)));
    }

    private sealed class Sink : IBudgetAlertSink
    {
        public List<BudgetAlert> Alerts { get; } = [];

        public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken)
        {
            Alerts.Add(alert);
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Europe/Berlin")]
    [InlineData("Asia/Tokyo")]
    public async Task EvaluateAsync_DailyAcrossDst_AlertsOncePerPeriodAndReArms(string zone)
    {
        var time = new FakeTimeProvider(At("2026-10-03T00:00:00Z"));
        var budget = new Budget("b", 1m, BudgetPeriod.Daily) { TimeZoneId = zone };
        var spend = new InMemoryBudgetSpend();
        var sink = new Sink();
        var monitor = new BudgetMonitor([budget], spend, time, [sink]);
        int expected = 0;
        for (int hour = 0; hour < 24 * 40; hour++)
        {
            (DateTimeOffset start, _) = budget.PeriodAt(time.GetUtcNow());
            if (time.GetUtcNow() - start < TimeSpan.FromHours(1))
            {
                spend.Add(new LlmUsage("openai", "gpt-4o", time.GetUtcNow(), 1, 1), 0.9m);
                await monitor.EvaluateAsync(budget);
                await monitor.EvaluateAsync(budget);
                spend.Add(new LlmUsage("openai", "gpt-4o", time.GetUtcNow(), 1, 1), 0.2m);
                await monitor.EvaluateAsync(budget);
                expected += 2;
            }
            else
            {
                await monitor.EvaluateAsync(budget);
            }

            time.Advance(TimeSpan.FromHours(1));
            Assert.Equal(expected, sink.Alerts.Count);
        }
    }
}
