using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetMonitorTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static LlmUsage Call(DateTimeOffset at, string model = "gpt-4o", string? user = null) =>
        new LlmUsage("openai", model, at, 100, 10) with { Attribution = new UsageAttribution { User = user } };

    private sealed class ThrowingSink : IBudgetAlertSink
    {
        public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public async Task EvaluateAsync_SpendCrossesWarningThenLimit_RaisesEachOnceAndReArmsNextPeriod()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var sink = new RecordingSink();
        var budget = new Budget("monthly", 100m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" };
        var monitor = new BudgetMonitor([budget], spend, time, [sink]);

        spend.Add(Call(time.GetUtcNow()), 79.99m);
        Assert.Equal(BudgetState.Ok, (await monitor.EvaluateAsync(budget)).State);
        Assert.Empty(sink.Alerts);

        spend.Add(Call(time.GetUtcNow()), 0.01m);
        BudgetStatus warning = await monitor.EvaluateAsync(budget);
        await monitor.EvaluateAsync(budget);
        Assert.Equal(BudgetState.Warning, warning.State);
        Assert.Equal(0.8m, warning.Share);
        Assert.Equal(BudgetAlertKind.Warning, Assert.Single(sink.Alerts).Kind);

        spend.Add(Call(time.GetUtcNow()), 20m);
        BudgetStatus exceeded = await monitor.EvaluateAsync(budget);
        await monitor.EvaluateAsync(budget);
        Assert.Equal(BudgetState.Exceeded, exceeded.State);
        Assert.Equal(0m, exceeded.Remaining);
        Assert.Equal([BudgetAlertKind.Warning, BudgetAlertKind.Exceeded], sink.Alerts.Select(a => a.Kind));

        // August starts in Tokyo at 2026-07-31T15:00:00Z: spend resets and the alerts re-arm.
        time.SetUtcNow(At("2026-07-31T15:00:00Z"));
        BudgetStatus august = await monitor.EvaluateAsync(budget);
        Assert.Equal(At("2026-07-31T15:00:00Z"), august.PeriodStart);
        Assert.Equal(0m, august.Spent);
        Assert.Equal(BudgetState.Ok, august.State);

        spend.Add(Call(time.GetUtcNow()), 85m);
        await monitor.EvaluateAsync(budget);
        Assert.Equal(3, sink.Alerts.Count);
        Assert.Equal(BudgetAlertKind.Warning, sink.Alerts[2].Kind);
        Assert.Equal(At("2026-07-31T15:00:00Z"), sink.Alerts[2].Status.PeriodStart);
    }

    [Fact]
    public async Task EvaluateAsync_StraightPastLimit_RaisesOnlyExceeded()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var sink = new RecordingSink();
        var budget = new Budget("daily", 1m, BudgetPeriod.Daily);
        var monitor = new BudgetMonitor([budget], spend, time, [sink]);

        spend.Add(Call(time.GetUtcNow()), 2m);
        await monitor.EvaluateAsync(budget);
        time.Advance(TimeSpan.FromHours(1));
        await monitor.EvaluateAsync(budget);

        Assert.Equal(BudgetAlertKind.Exceeded, Assert.Single(sink.Alerts).Kind);
    }

    [Fact]
    public async Task EvaluateAsync_SinkThrows_OtherSinksStillCalledAndCallerUnaffected()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var sink = new RecordingSink();
        var budget = new Budget("daily", 1m, BudgetPeriod.Daily);
        var monitor = new BudgetMonitor([budget], spend, time, [new ThrowingSink(), sink]);

        spend.Add(Call(time.GetUtcNow()), 1m);
        BudgetStatus status = await monitor.EvaluateAsync(budget);

        Assert.Equal(BudgetState.Exceeded, status.State);
        Assert.Single(sink.Alerts);
    }

    [Fact]
    public async Task CheckAsync_EnforcedBudgetOver_RefusesWithNumbers()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("alice-daily", 5m, BudgetPeriod.Daily) { Scope = BudgetScope.User("alice"), Enforce = true };
        var monitor = new BudgetMonitor([budget], spend, time);

        spend.Add(Call(time.GetUtcNow(), user: "alice"), 4.5m);

        BudgetCheck small = await monitor.CheckAsync(Call(time.GetUtcNow(), user: "alice"), 0.5m);
        BudgetCheck large = await monitor.CheckAsync(Call(time.GetUtcNow(), user: "alice"), 0.51m);
        BudgetCheck otherUser = await monitor.CheckAsync(Call(time.GetUtcNow(), user: "bob"), 100m);

        Assert.True(small.IsAllowed);
        Assert.False(large.IsAllowed);
        Assert.Same(budget, large.RefusedBy!.Budget);
        Assert.Equal(4.5m, large.RefusedBy.Spent);
        Assert.Equal("budget 'alice-daily' (user:alice) has spent 4.5 of 5 USD until 2026-07-11T00:00:00.0000000+00:00; the estimated cost is 0.51 USD.", large.Reason);
        Assert.True(otherUser.IsAllowed);
    }

    [Fact]
    public async Task CheckAsync_AlreadyExceeded_RefusesEvenWithoutEstimate()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("model", 5m, BudgetPeriod.Daily) { Scope = BudgetScope.Model("gpt-4o"), Enforce = true };
        var monitor = new BudgetMonitor([budget], spend, time);
        spend.Add(Call(time.GetUtcNow()), 5m);

        Assert.False((await monitor.CheckAsync(Call(time.GetUtcNow()))).IsAllowed);
        Assert.True((await monitor.CheckAsync(Call(time.GetUtcNow(), model: "gpt-4o-mini"))).IsAllowed);

        time.Advance(TimeSpan.FromDays(1));
        Assert.True((await monitor.CheckAsync(Call(time.GetUtcNow()))).IsAllowed);
    }

    [Fact]
    public async Task CheckAsync_NotEnforced_Allows()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("global", 1m, BudgetPeriod.Daily);
        var monitor = new BudgetMonitor([budget], spend, time);
        spend.Add(Call(time.GetUtcNow()), 5m);

        Assert.True((await monitor.CheckAsync(Call(time.GetUtcNow()), 1m)).IsAllowed);
    }

    [Fact]
    public async Task CheckAsync_NegativeEstimate_ThrowsNamingValue()
    {
        var monitor = new BudgetMonitor([], new InMemoryBudgetSpend());

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => monitor.CheckAsync(Call(DateTimeOffset.UnixEpoch), -1.5m));

        Assert.Contains("-1.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateNames_ThrowsNamingName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BudgetMonitor(
            [new Budget("same", 1m, BudgetPeriod.Daily), new Budget("same", 2m, BudgetPeriod.Monthly)], new InMemoryBudgetSpend()));

        Assert.Contains("'same'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new BudgetMonitor(null!, new InMemoryBudgetSpend()));
        Assert.Throws<ArgumentNullException>(() => new BudgetMonitor([], null!));
    }

    [Fact]
    public async Task EvaluateAllAsync_WithMeter_ReportsSpentAndLimitGauges()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        using var meter = new Meter("test.budgets." + Guid.NewGuid().ToString("N"));
        var measured = new List<(string Name, double Value, string? Budget, string? Scope)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string? budget = null, scope = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "budget") budget = (string?)tag.Value;
                if (tag.Key == "scope") scope = (string?)tag.Value;
            }

            measured.Add((instrument.Name, value, budget, scope));
        });
        listener.Start();
        var monitor = new BudgetMonitor([new Budget("b", 10m, BudgetPeriod.Daily) { Scope = BudgetScope.Feature("search") }], spend, time, meter: meter);
        spend.Add(Call(time.GetUtcNow()) with { Attribution = new UsageAttribution { Feature = "search" } }, 2.5m);

        IReadOnlyList<BudgetStatus> statuses = await monitor.EvaluateAllAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(2.5m, Assert.Single(statuses).Spent);
        Assert.Contains(("musubi.budget.spent", 2.5, "b", "feature:search"), measured);
        Assert.Contains(("musubi.budget.limit", 10.0, "b", "feature:search"), measured);
    }

    [Fact]
    public async Task EvaluateAsync_WithLogger_LogsWarningExceededAndSinkFailure()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var spend = new InMemoryBudgetSpend();
        var logger = new ListLogger();
        var budget = new Budget("daily", 10m, BudgetPeriod.Daily);
        var monitor = new BudgetMonitor([budget], spend, time, [new ThrowingSink()], logger);

        spend.Add(Call(time.GetUtcNow()), 8.5m);
        await monitor.EvaluateAsync(budget);
        spend.Add(Call(time.GetUtcNow()), 1.5m);
        await monitor.EvaluateAsync(budget);

        Assert.Equal([4101, 4104, 4102, 4104], logger.Entries.Select(e => e.Id.Id));
        Assert.Contains("spent 8.5 of 10 USD", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, logger.Entries[2].Level);
    }
}
