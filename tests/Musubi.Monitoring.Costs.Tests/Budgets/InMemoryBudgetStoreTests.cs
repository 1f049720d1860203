namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class InMemoryBudgetStoreTests
{
    private static readonly DateTimeOffset s_july = new(2026, 6, 30, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_august = new(2026, 7, 31, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task UpsertBudgetAsync_ThenGet_ReturnsEqualBudgetsInNameOrder()
    {
        var store = new InMemoryBudgetStore();
        var b = new Budget("b", 2.50m, BudgetPeriod.Custom(TimeSpan.FromDays(3), s_july)) { Scope = BudgetScope.Model("gpt-4o"), Enforce = true };
        var a = new Budget("a", 1m, BudgetPeriod.Daily) { TimeZoneId = "Asia/Tokyo" };

        Assert.True(await store.UpsertBudgetAsync(b));
        Assert.True(await store.UpsertBudgetAsync(a));
        Assert.False(await store.UpsertBudgetAsync(a with { Limit = 3m }));

        Assert.Equal([a with { Limit = 3m }, b], await store.GetBudgetsAsync());
        Assert.Equal(b, await store.GetBudgetAsync("b"));
        Assert.Null(await store.GetBudgetAsync("c"));
    }

    [Fact]
    public async Task TryMarkAlertRaisedAsync_SamePeriod_RaisesOnceAndReArmsNextPeriod()
    {
        var store = new InMemoryBudgetStore();

        Assert.True(await store.TryMarkAlertRaisedAsync("m", s_july, BudgetAlertKind.Warning));
        Assert.False(await store.TryMarkAlertRaisedAsync("m", s_july, BudgetAlertKind.Warning));
        Assert.True(await store.TryMarkAlertRaisedAsync("m", s_august, BudgetAlertKind.Warning));
        Assert.Equal(s_august, (await store.GetAlertStateAsync("m"))!.PeriodStart);

        Assert.True(await store.DeleteBudgetAsync("m") is false);
        Assert.Null(await store.GetAlertStateAsync("m"));
    }

    [Fact]
    public async Task Methods_CancelledToken_ThrowOperationCanceledException()
    {
        var store = new InMemoryBudgetStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetBudgetsAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TryMarkAlertRaisedAsync("m", s_july, BudgetAlertKind.Exceeded, cts.Token));
    }
}
