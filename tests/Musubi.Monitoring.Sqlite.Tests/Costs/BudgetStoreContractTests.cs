using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

/// <summary>The <see cref="IBudgetStore"/> contract, run against every implementation.</summary>
public abstract class BudgetStoreContractTests : IDisposable
{
    internal static readonly DateTimeOffset s_july = new(2026, 6, 30, 15, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset s_august = new(2026, 7, 31, 15, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IBudgetStore Store { get; }

    /// <summary>Budgets that use every field, with values other than the defaults.</summary>
    internal static Budget[] EveryKind() =>
    [
        new Budget("monthly", 50.00m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" },
        new Budget("daily-ana", 0.000001m, BudgetPeriod.Daily) { Scope = BudgetScope.User("ana"), WarningShare = 0.95m, Enforce = true },
        new Budget("weekly-search", 12.5m, BudgetPeriod.WeeklyStartingOn(DayOfWeek.Sunday)) { Scope = BudgetScope.Feature("search"), TimeZoneId = "America/New_York" },
        new Budget("custom-gpt", 79228162514264337593543950335m, BudgetPeriod.Custom(TimeSpan.FromHours(36) + TimeSpan.FromTicks(7), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(5.5)).AddTicks(1)))
        {
            Scope = BudgetScope.Model("gpt-4o"),
            WarningShare = 0.0001m,
        },
    ];

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task UpsertBudgetAsync_EveryField_ReadsBackEqualWithScaleAndOffset()
    {
        Budget[] budgets = EveryKind();
        foreach (Budget budget in budgets)
        {
            Assert.True(await Store.UpsertBudgetAsync(budget, Token));
        }

        IReadOnlyList<Budget> all = await Store.GetBudgetsAsync(Token);

        Assert.Equal(budgets.OrderBy(b => b.Name, StringComparer.Ordinal), all);
        foreach (Budget budget in budgets)
        {
            Budget read = Assert.Single(all, b => b.Name == budget.Name);
            Assert.Equal(budget.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), read.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(budget.Period.Anchor.Offset, read.Period.Anchor.Offset);
            Assert.Equal(budget.Period.Anchor.UtcTicks, read.Period.Anchor.UtcTicks);
            Assert.Equal(budget, await Store.GetBudgetAsync(budget.Name, Token));
        }
    }

    [Fact]
    public async Task UpsertBudgetAsync_SameName_ReplacesAndKeepsAlertState()
    {
        var first = new Budget("monthly", 50m, BudgetPeriod.Monthly);
        Assert.True(await Store.UpsertBudgetAsync(first, Token));
        Assert.True(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));

        Assert.False(await Store.UpsertBudgetAsync(first with { Limit = 80m, Enforce = true }, Token));

        Budget read = Assert.Single(await Store.GetBudgetsAsync(Token));
        Assert.Equal(80m, read.Limit);
        Assert.True(read.Enforce);
        Assert.True((await Store.GetAlertStateAsync("monthly", Token))!.WarningRaised);
    }

    [Fact]
    public async Task DeleteBudgetAsync_Existing_RemovesBudgetAndAlertState()
    {
        await Store.UpsertBudgetAsync(new Budget("a", 1m, BudgetPeriod.Daily), Token);
        await Store.UpsertBudgetAsync(new Budget("b", 2m, BudgetPeriod.Daily), Token);
        await Store.TryMarkAlertRaisedAsync("a", s_july, BudgetAlertKind.Exceeded, Token);

        Assert.True(await Store.DeleteBudgetAsync("a", Token));
        Assert.False(await Store.DeleteBudgetAsync("a", Token));

        Assert.Equal("b", Assert.Single(await Store.GetBudgetsAsync(Token)).Name);
        Assert.Null(await Store.GetBudgetAsync("a", Token));
        Assert.Null(await Store.GetAlertStateAsync("a", Token));
    }

    [Fact]
    public async Task GetBudgetAsync_NamesAreCaseSensitive()
    {
        await Store.UpsertBudgetAsync(new Budget("Monthly", 1m, BudgetPeriod.Monthly), Token);

        Assert.Null(await Store.GetBudgetAsync("monthly", Token));
        Assert.False(await Store.DeleteBudgetAsync("monthly", Token));
        Assert.True(await Store.UpsertBudgetAsync(new Budget("monthly", 2m, BudgetPeriod.Monthly), Token));
        Assert.Equal(["Monthly", "monthly"], (await Store.GetBudgetsAsync(Token)).Select(b => b.Name));
    }

    [Fact]
    public async Task TryMarkAlertRaisedAsync_WarningThenExceededThenNextPeriod_RaisesEachOncePerPeriod()
    {
        Assert.Null(await Store.GetAlertStateAsync("monthly", Token));

        Assert.True(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));
        Assert.False(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));
        Assert.True(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Exceeded, Token));
        Assert.False(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Exceeded, Token));
        Assert.Equal(new BudgetAlertState { BudgetName = "monthly", PeriodStart = s_july, WarningRaised = true, ExceededRaised = true }, await Store.GetAlertStateAsync("monthly", Token));

        Assert.True(await Store.TryMarkAlertRaisedAsync("monthly", s_august, BudgetAlertKind.Warning, Token));
        Assert.False(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Exceeded, Token)); // a late evaluation of July
        Assert.Equal(new BudgetAlertState { BudgetName = "monthly", PeriodStart = s_august, WarningRaised = true }, await Store.GetAlertStateAsync("monthly", Token));
    }

    [Fact]
    public async Task TryMarkAlertRaisedAsync_WarningAfterExceeded_IsNotRaised()
    {
        Assert.True(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Exceeded, Token));

        Assert.False(await Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));
        Assert.Equal(new BudgetAlertState { BudgetName = "monthly", PeriodStart = s_july, ExceededRaised = true }, await Store.GetAlertStateAsync("monthly", Token));
    }

    [Fact]
    public async Task TryMarkAlertRaisedAsync_ManyConcurrentCallers_ExactlyOneRaises()
    {
        bool[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Methods_BadArguments_ThrowNamingTheParameter()
    {
        await Assert.ThrowsAsync<ArgumentNullException>("budget", () => Store.UpsertBudgetAsync(null!, Token));
        await Assert.ThrowsAsync<ArgumentNullException>("name", () => Store.GetBudgetAsync(null!, Token));
        await Assert.ThrowsAsync<ArgumentException>("name", () => Store.DeleteBudgetAsync(" ", Token));
        await Assert.ThrowsAsync<ArgumentException>("budgetName", () => Store.GetAlertStateAsync("", Token));
        ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>("kind", () => Store.TryMarkAlertRaisedAsync("monthly", s_july, (BudgetAlertKind)7, Token));
        Assert.Contains("7", ex.Message, StringComparison.Ordinal);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

public sealed class InMemoryBudgetStoreContractTests : BudgetStoreContractTests
{
    protected override IBudgetStore Store { get; } = new InMemoryBudgetStore();
}

public sealed class SqliteBudgetStoreContractTests : BudgetStoreContractTests
{
    private readonly TestDatabase _database = new();

    public SqliteBudgetStoreContractTests()
    {
        Store = new SqliteBudgetStore(_database.ConnectionString);
    }

    protected override IBudgetStore Store { get; }

    protected override void Dispose(bool disposing)
    {
        _database.Dispose();
        base.Dispose(disposing);
    }
}
