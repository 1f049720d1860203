using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetMonitorStoreTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static LlmUsage Call(DateTimeOffset at, string? user = null) =>
        new LlmUsage("openai", "gpt-4o", at, 100, 10) with { Attribution = new UsageAttribution { User = user } };

    /// <summary>A store whose reads or claims fail, as a locked or unreachable database would.</summary>
    private sealed class FailingStore(bool failReads, bool failClaims) : IBudgetStore
    {
        private readonly InMemoryBudgetStore _inner = new();

        public Task<IReadOnlyList<Budget>> GetBudgetsAsync(CancellationToken cancellationToken = default) =>
            failReads ? throw new IOException("disk gone") : _inner.GetBudgetsAsync(cancellationToken);

        public Task<Budget?> GetBudgetAsync(string name, CancellationToken cancellationToken = default) => _inner.GetBudgetAsync(name, cancellationToken);

        public Task<bool> UpsertBudgetAsync(Budget budget, CancellationToken cancellationToken = default) => _inner.UpsertBudgetAsync(budget, cancellationToken);

        public Task<bool> DeleteBudgetAsync(string name, CancellationToken cancellationToken = default) => _inner.DeleteBudgetAsync(name, cancellationToken);

        public Task<BudgetAlertState?> GetAlertStateAsync(string budgetName, CancellationToken cancellationToken = default) => _inner.GetAlertStateAsync(budgetName, cancellationToken);

        public Task<bool> TryMarkAlertRaisedAsync(string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind, CancellationToken cancellationToken = default) =>
            failClaims ? throw new IOException("disk gone") : _inner.TryMarkAlertRaisedAsync(budgetName, periodStart, kind, cancellationToken);
    }

    [Fact]
    public async Task EvaluateAllAsync_StoreChangedBetweenEvaluations_MonitorsTheStoresCurrentBudgets()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var store = new InMemoryBudgetStore();
        var spend = new InMemoryBudgetSpend();
        var configured = new Budget("configured", 100m, BudgetPeriod.Monthly);
        var monitor = new BudgetMonitor([configured], spend, time, store: store);
        spend.Add(Call(time.GetUtcNow()), 9m);

        Assert.Equal([configured], await monitor.EvaluateAllAsync(TestContext.Current.CancellationToken) is var first ? first.Select(s => s.Budget) : null);

        await store.UpsertBudgetAsync(new Budget("daily", 10m, BudgetPeriod.Daily), TestContext.Current.CancellationToken);
        IReadOnlyList<BudgetStatus> second = await monitor.EvaluateAllAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["configured", "daily"], second.Select(s => s.Budget.Name));
        Assert.Equal(BudgetState.Warning, second[1].State);

        await store.DeleteBudgetAsync("daily", TestContext.Current.CancellationToken);
        Assert.Equal(["configured"], (await monitor.EvaluateAllAsync(TestContext.Current.CancellationToken)).Select(s => s.Budget.Name));
        Assert.Equal(["configured"], monitor.Budgets.Select(b => b.Name));
    }

    [Fact]
    public async Task RefreshBudgetsAsync_StoredBudgetNamedLikeConfiguredOne_ConfiguredWinsAndWarnsOnce()
    {
        var store = new InMemoryBudgetStore();
        var logger = new ListLogger();
        var configured = new Budget("monthly", 100m, BudgetPeriod.Monthly);
        await store.UpsertBudgetAsync(configured with { Limit = 1m }, TestContext.Current.CancellationToken);
        var monitor = new BudgetMonitor([configured], new InMemoryBudgetSpend(), logger: logger, store: store);

        await monitor.RefreshBudgetsAsync(TestContext.Current.CancellationToken);
        await monitor.RefreshBudgetsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(100m, Assert.Single(monitor.Budgets).Limit);
        (LogLevel level, EventId id, string message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(4107, id.Id);
        Assert.Contains("monthly", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_AlertClaimedByAnotherMonitorOnTheSameStore_IsNotRaisedTwice()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var store = new InMemoryBudgetStore();
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("monthly", 100m, BudgetPeriod.Monthly);
        var sinkA = new RecordingSink();
        var sinkB = new RecordingSink();
        var a = new BudgetMonitor([budget], spend, time, [sinkA], store: store);
        var b = new BudgetMonitor([budget], spend, time, [sinkB], store: store);
        spend.Add(Call(time.GetUtcNow()), 85m);

        await Task.WhenAll(a.EvaluateAsync(budget, TestContext.Current.CancellationToken), b.EvaluateAsync(budget, TestContext.Current.CancellationToken));

        Assert.Single(sinkA.Alerts.Concat(sinkB.Alerts));
        Assert.True((await store.GetAlertStateAsync("monthly", TestContext.Current.CancellationToken))!.WarningRaised);
    }

    [Fact]
    public async Task EvaluateAllAsync_StoreCannotBeRead_LogsAndStillEvaluatesConfiguredBudgets()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var logger = new ListLogger();
        var sink = new RecordingSink();
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("monthly", 100m, BudgetPeriod.Monthly);
        var monitor = new BudgetMonitor([budget], spend, time, [sink], logger, store: new FailingStore(failReads: true, failClaims: false));
        spend.Add(Call(time.GetUtcNow()), 100m);

        IReadOnlyList<BudgetStatus> statuses = await monitor.EvaluateAllAsync(TestContext.Current.CancellationToken);

        Assert.Equal(BudgetState.Exceeded, Assert.Single(statuses).State);
        Assert.Equal(BudgetAlertKind.Exceeded, Assert.Single(sink.Alerts).Kind);
        Assert.Contains(logger.Entries, e => e.Id.Id == 4105 && e.Level == LogLevel.Error);
        await Assert.ThrowsAsync<IOException>(() => monitor.RefreshBudgetsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EvaluateAsync_StoreClaimFails_LogsAndRaisesOncePerProcess()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var logger = new ListLogger();
        var sink = new RecordingSink();
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("monthly", 100m, BudgetPeriod.Monthly);
        var monitor = new BudgetMonitor([budget], spend, time, [sink], logger, store: new FailingStore(failReads: false, failClaims: true));
        spend.Add(Call(time.GetUtcNow()), 90m);

        await monitor.EvaluateAsync(budget, TestContext.Current.CancellationToken);
        await monitor.EvaluateAsync(budget, TestContext.Current.CancellationToken);

        Assert.Equal(BudgetAlertKind.Warning, Assert.Single(sink.Alerts).Kind);
        Assert.Single(logger.Entries, e => e.Id.Id == 4106);
    }

    [Fact]
    public async Task CheckAsync_EnforcedBudgetOnlyInStore_RefusesWithoutEvaluateAll()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var store = new InMemoryBudgetStore();
        var spend = new InMemoryBudgetSpend();
        await store.UpsertBudgetAsync(new Budget("ana-daily", 1m, BudgetPeriod.Daily) { Scope = BudgetScope.User("ana"), Enforce = true }, TestContext.Current.CancellationToken);
        var monitor = new BudgetMonitor([], spend, time, store: store);
        spend.Add(Call(time.GetUtcNow(), "ana"), 0.99m);

        BudgetCheck check = await monitor.CheckAsync(Call(time.GetUtcNow(), "ana"), 0.02m, TestContext.Current.CancellationToken);

        Assert.False(check.IsAllowed);
        Assert.Equal("ana-daily", check.RefusedBy!.Budget.Name);
    }

    [Fact]
    public async Task CheckAsync_StoreCannotBeRead_LogsOnceAndChecksConfiguredBudgets()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var logger = new ListLogger();
        var spend = new InMemoryBudgetSpend();
        var budget = new Budget("daily", 1m, BudgetPeriod.Daily) { Enforce = true };
        var monitor = new BudgetMonitor([budget], spend, time, logger: logger, store: new FailingStore(failReads: true, failClaims: false));
        spend.Add(Call(time.GetUtcNow()), 1m);

        BudgetCheck first = await monitor.CheckAsync(Call(time.GetUtcNow()), 0m, TestContext.Current.CancellationToken);
        BudgetCheck second = await monitor.CheckAsync(Call(time.GetUtcNow()), 0m, TestContext.Current.CancellationToken);

        Assert.False(first.IsAllowed);
        Assert.False(second.IsAllowed);
        Assert.Single(logger.Entries, e => e.Id.Id == 4105);
    }

    /// <summary>A store whose claim waits until the caller's token is cancelled.</summary>
    private sealed class BlockingClaimStore : IBudgetStore
    {
        private readonly InMemoryBudgetStore _inner = new();

        public volatile bool Block = true;

        public Task<IReadOnlyList<Budget>> GetBudgetsAsync(CancellationToken cancellationToken = default) => _inner.GetBudgetsAsync(cancellationToken);

        public Task<Budget?> GetBudgetAsync(string name, CancellationToken cancellationToken = default) => _inner.GetBudgetAsync(name, cancellationToken);

        public Task<bool> UpsertBudgetAsync(Budget budget, CancellationToken cancellationToken = default) => _inner.UpsertBudgetAsync(budget, cancellationToken);

        public Task<bool> DeleteBudgetAsync(string name, CancellationToken cancellationToken = default) => _inner.DeleteBudgetAsync(name, cancellationToken);

        public Task<BudgetAlertState?> GetAlertStateAsync(string budgetName, CancellationToken cancellationToken = default) => _inner.GetAlertStateAsync(budgetName, cancellationToken);

        public async Task<bool> TryMarkAlertRaisedAsync(string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind, CancellationToken cancellationToken = default)
        {
            if (Block)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await _inner.TryMarkAlertRaisedAsync(budgetName, periodStart, kind, cancellationToken);
        }
    }

    [Fact]
    public async Task EvaluateAsync_CancelledWhileClaiming_AlertIsRaisedByTheNextEvaluation()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var sink = new RecordingSink();
        var spend = new InMemoryBudgetSpend();
        var store = new BlockingClaimStore();
        var budget = new Budget("monthly", 100m, BudgetPeriod.Monthly);
        var monitor = new BudgetMonitor([budget], spend, time, [sink], store: store);
        spend.Add(Call(time.GetUtcNow()), 90m);
        using var cts = new CancellationTokenSource();

        Task<BudgetStatus> cancelled = monitor.EvaluateAsync(budget, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Empty(sink.Alerts);

        store.Block = false;
        await monitor.EvaluateAsync(budget, TestContext.Current.CancellationToken);
        Assert.Equal(BudgetAlertKind.Warning, Assert.Single(sink.Alerts).Kind);
    }
}
