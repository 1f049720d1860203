using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Costs;
using static Musubi.Monitoring.Sqlite.Tests.Costs.BudgetStoreContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

public sealed class SqliteBudgetStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetBudgetsAsync_AfterRestart_ReadsBackEveryBudgetAndAlertState()
    {
        var first = new SqliteBudgetStore(_database.ConnectionString);
        foreach (Budget budget in EveryKind())
        {
            await first.UpsertBudgetAsync(budget, Token);
        }

        await first.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token);

        SqliteConnection.ClearAllPools();
        var restarted = new SqliteBudgetStore(_database.ConnectionString);

        Assert.Equal(EveryKind().OrderBy(b => b.Name, StringComparer.Ordinal), await restarted.GetBudgetsAsync(Token));
        Assert.Equal(new BudgetAlertState { BudgetName = "monthly", PeriodStart = s_july, WarningRaised = true }, await restarted.GetAlertStateAsync("monthly", Token));
        Assert.False(await restarted.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));
    }

    [Fact]
    public async Task TwoInstances_SameFile_SeeEachOthersWritesAndRaiseOnce()
    {
        var host = new SqliteBudgetStore(_database.ConnectionString);
        var tool = new SqliteBudgetStore(_database.ConnectionString);

        await tool.UpsertBudgetAsync(new Budget("monthly", 50m, BudgetPeriod.Monthly), Token);
        Assert.Equal(50m, Assert.Single(await host.GetBudgetsAsync(Token)).Limit);

        Assert.True(await host.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));
        Assert.False(await tool.TryMarkAlertRaisedAsync("monthly", s_july, BudgetAlertKind.Warning, Token));

        Assert.True(await host.DeleteBudgetAsync("monthly", Token));
        Assert.Empty(await tool.GetBudgetsAsync(Token));
    }

    [Fact]
    public async Task UpsertBudgetAsync_StoresMoneyAsInvariantDecimalText()
    {
        var store = new SqliteBudgetStore(_database.ConnectionString);
        await store.UpsertBudgetAsync(new Budget("monthly", 50.10m, BudgetPeriod.Monthly) { WarningShare = 0.75m }, Token);

        Assert.Equal("50.10", _database.Scalar("SELECT limit_usd FROM budgets;"));
        Assert.Equal("0.75", _database.Scalar("SELECT warning_share FROM budgets;"));
        Assert.Equal("monthly", _database.Scalar("SELECT period FROM budgets;"));
    }

    [Theory]
    [InlineData("UPDATE budgets SET period = 'fortnightly';", "period 'fortnightly'")]
    [InlineData("UPDATE budgets SET scope = 'team';", "scope 'team'")]
    [InlineData("UPDATE budgets SET limit_usd = '1,5';", "limit_usd '1,5'")]
    [InlineData("UPDATE budgets SET first_day_of_week = '9';", "first_day_of_week '9'")]
    [InlineData("UPDATE budgets SET limit_usd = '-3';", "-3")]
    [InlineData("UPDATE budgets SET time_zone_id = 'Mars/Olympus';", "Mars/Olympus")]
    public async Task GetBudgetsAsync_UnreadableRow_ThrowsInvalidDataExceptionNamingTheBudget(string corruption, string named)
    {
        var store = new SqliteBudgetStore(_database.ConnectionString);
        await store.UpsertBudgetAsync(new Budget("team-x", 5m, BudgetPeriod.Weekly), Token);
        _database.Execute(corruption);

        InvalidDataException all = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetBudgetsAsync(Token));
        InvalidDataException one = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetBudgetAsync("team-x", Token));

        Assert.Contains("Budget 'team-x'", all.Message, StringComparison.Ordinal);
        Assert.Contains(named, all.Message, StringComparison.Ordinal);
        Assert.Contains(_database.Path, all.Message, StringComparison.Ordinal);
        Assert.Equal(all.Message, one.Message);
    }

    [Fact]
    public async Task Migrations_CostsScope_IsAtVersionTwoWithBothTables()
    {
        var ledger = new SqliteCostLedger(_database.ConnectionString);
        await ledger.GetTotalAsync(new CostQuery(), Token);   // the ledger migrates the shared scope too

        Assert.Equal(2L, _database.Scalar("SELECT MAX(id) FROM schema_migrations WHERE scope = 'costs';"));
        Assert.Equal("create budgets and budget_alerts", _database.Scalar("SELECT name FROM schema_migrations WHERE scope = 'costs' AND id = 2;"));
        Assert.Equal(0L, _database.Scalar("SELECT COUNT(*) FROM budgets;"));
        Assert.Equal(0L, _database.Scalar("SELECT COUNT(*) FROM budget_alerts;"));
    }

    [Fact]
    public async Task Migrations_DatabaseAtVersionOne_IsUpgradedKeepingCostRecords()
    {
        // A file written by the previous version: only migration 1 of the costs scope.
        _database.Execute("""
            CREATE TABLE schema_migrations (scope TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (scope, id));
            """);
        foreach (var migration in Musubi.Monitoring.Sqlite.Costs.CostMigrations.All.Take(1))
        {
            _database.Execute(migration.Sql);
            _database.Execute($"INSERT INTO schema_migrations VALUES ('costs', {migration.Id}, '{migration.Name}', '2026-01-01T00:00:00Z');");
        }

        var ledger = new SqliteCostLedger(_database.ConnectionString);
        await CostLedgerContractTests.AppendAsync(ledger, CostLedgerContractTests.Usage());
        var store = new SqliteBudgetStore(_database.ConnectionString);
        await store.UpsertBudgetAsync(new Budget("monthly", 5m, BudgetPeriod.Monthly), Token);

        Assert.Equal(1, (await ledger.GetTotalAsync(new CostQuery(), Token)).Count);
        Assert.Single(await store.GetBudgetsAsync(Token));
    }

    [Fact]
    public void Constructor_BadConnectionString_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentNullException>(() => new SqliteBudgetStore(null!));
        Assert.ThrowsAny<ArgumentException>(() => new SqliteBudgetStore("Data Source=:memory:"));
    }
}
