using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class BudgetCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SqliteBudgetStore Store => new($"Data Source={_folder.Database}");

    [Fact]
    public async Task BudgetSet_AmountAndPeriod_StoresABudgetTheLibrarysMonitorReads()
    {
        CliResult result = await CliRun.RunAsync(["budget", "set", "12.5", "daily", "--tz", "Asia/Tokyo", "--warn-at", "0.5", "--enforce", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Budget 'daily' added: $12.5 per day (Asia/Tokyo), global, warning at 50%, enforced; in '{_folder.Database}'.\n", result.Output);
        var monitor = new BudgetMonitor([], new InMemoryBudgetSpend(), new FakeTimeProvider(CliRun.s_now), store: Store);
        Budget budget = Assert.Single(await monitor.RefreshBudgetsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(new Budget("daily", 12.5m, BudgetPeriod.Daily) { TimeZoneId = "Asia/Tokyo", WarningShare = 0.5m, Enforce = true }, budget);
    }

    [Fact]
    public async Task BudgetSet_DefaultPeriodAndScopedName_IsMonthlyNamedAfterTheScope()
    {
        CliResult monthly = await CliRun.RunAsync(["budget", "set", "50", "--db", _folder.Database]);
        CliResult user = await CliRun.RunAsync(["budget", "set", "5", "weekly", "--user", "ana", "--db", _folder.Database]);
        CliResult replaced = await CliRun.RunAsync(["budget", "set", "60", "--db", _folder.Database]);

        Assert.Equal(0, monthly.ExitCode);
        Assert.Equal(0, user.ExitCode);
        Assert.StartsWith("Budget 'monthly' replaced: $60 per month", replaced.Output, StringComparison.Ordinal);
        IReadOnlyList<Budget> budgets = await Store.GetBudgetsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["monthly", "weekly-user-ana"], budgets.Select(b => b.Name));
        Assert.Equal(60m, budgets[0].Limit);
        Assert.Equal(BudgetPeriod.Monthly, budgets[0].Period);
        Assert.Equal(BudgetScope.User("ana"), budgets[1].Scope);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("1,000")]
    public async Task BudgetSet_BadAmount_ExitsOneNamingIt(string amount)
    {
        CliResult result = await CliRun.RunAsync(["budget", "set", amount, "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The budget amount '{amount}' is not a number of US dollars more than 0", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Database));
    }

    [Fact]
    public async Task BudgetSet_UnknownPeriod_ExitsOneNamingIt()
    {
        CliResult result = await CliRun.RunAsync(["budget", "set", "10", "yearly", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'yearly'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetSet_BadWarningShareOrTwoScopes_ExitsOneNamingIt()
    {
        CliResult share = await CliRun.RunAsync(["budget", "set", "10", "--warn-at", "1.5", "--db", _folder.Database]);
        CliResult scopes = await CliRun.RunAsync(["budget", "set", "10", "--user", "a", "--feature", "b", "--db", _folder.Database]);
        CliResult zone = await CliRun.RunAsync(["budget", "set", "10", "--tz", "Nowhere/City", "--db", _folder.Database]);

        Assert.Equal(1, share.ExitCode);
        Assert.Contains("error: --warn-at: Budget warning share 1.5 must be more than 0 and less than 1", share.Error, StringComparison.Ordinal);
        Assert.Equal(1, scopes.ExitCode);
        Assert.Contains("at most one of --user, --feature and --model", scopes.Error, StringComparison.Ordinal);
        Assert.Equal(1, zone.ExitCode);
        Assert.Contains("'Nowhere/City'", zone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetStatus_SpendFromTheLedger_ShowsExactSpendAndState()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);   // today (UTC): 0.0525 priced; this month: 0.1125
        await CliRun.RunAsync(["budget", "set", "0.06", "daily", "--db", _folder.Database]);
        await CliRun.RunAsync(["budget", "set", "0.1", "monthly", "--db", _folder.Database]);
        await CliRun.RunAsync(["budget", "set", "1", "daily", "--user", "ana", "--db", _folder.Database]);

        CliResult result = await CliRun.RunAsync(["budget", "status", "--format", "json", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        JsonElement[] items = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(["daily", "daily-user-ana", "monthly"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["0.0525", "0.036", "0.1125"], items.Select(i => i.GetProperty("spent").GetString()));
        Assert.Equal(["WARNING", "OK", "EXCEEDED"], items.Select(i => i.GetProperty("state").GetString()));
        Assert.Equal("0", items[2].GetProperty("remaining").GetString());
        Assert.Equal("2026-03-10T00:00:00+00:00", items[0].GetProperty("periodStart").GetString());
    }

    [Fact]
    public async Task BudgetStatusCheck_OverBudget_ExitsTwoAndSaysWhich()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        await CliRun.RunAsync(["budget", "set", "0.1", "monthly", "--db", _folder.Database]);

        CliResult check = await CliRun.RunAsync(["budget", "status", "--check", "--db", _folder.Database]);
        CliResult noCheck = await CliRun.RunAsync(["budget", "status", "--db", _folder.Database]);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains("over budget: 'monthly' has spent $0.1125 of $0.1 this month (until 2026-04-01T00:00:00+00:00).", check.Error, StringComparison.Ordinal);
        Assert.Matches(@"\nmonthly\s+global\s+2026-03-01T00:00:00\+00:00 to 2026-04-01T00:00:00\+00:00\s+\$0\.1125\s+\$0\.1\s+\$0\s+112\.5%\s+EXCEEDED\n", check.Output);
        Assert.Equal(0, noCheck.ExitCode);
    }

    [Fact]
    public async Task BudgetStatusCheck_UnderBudget_ExitsZero()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        await CliRun.RunAsync(["budget", "set", "1", "--db", _folder.Database]);

        CliResult result = await CliRun.RunAsync(["budget", "status", "--check", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task BudgetStatus_BudgetSetByTheLibrary_IsShownAndNoAlertIsClaimed()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        await Store.UpsertBudgetAsync(new Budget("team", 0.05m, BudgetPeriod.Daily), TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["budget", "status", "--check", "--name", "team", "--db", _folder.Database]);

        Assert.Equal(2, result.ExitCode);
        // status only reads: the host's monitor must still be the one that raises the alert for this period.
        Assert.Null(await Store.GetAlertStateAsync("team", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BudgetStatus_NoBudgets_SaysHowToAddOne()
    {
        await LedgerSeed.RecordAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["budget", "status", "--check", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No budgets are set", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetStatus_MissingLedger_ExitsOne()
    {
        CliResult result = await CliRun.RunAsync(["budget", "status", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("There is no cost ledger at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetClear_ByNameOrAll_DeletesBudgetsAndKeepsRecords()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        await CliRun.RunAsync(["budget", "set", "1", "daily", "--db", _folder.Database]);
        await CliRun.RunAsync(["budget", "set", "10", "weekly", "--db", _folder.Database]);
        await CliRun.RunAsync(["budget", "set", "50", "--db", _folder.Database]);

        CliResult one = await CliRun.RunAsync(["budget", "clear", "--name", "weekly", "--db", _folder.Database]);
        Assert.Equal(["daily", "monthly"], (await Store.GetBudgetsAsync(TestContext.Current.CancellationToken)).Select(b => b.Name));
        CliResult all = await CliRun.RunAsync(["budget", "clear", "--db", _folder.Database]);
        CliResult missing = await CliRun.RunAsync(["budget", "clear", "--name", "weekly", "--db", _folder.Database]);

        Assert.Equal(0, one.ExitCode);
        Assert.Equal($"Deleted 1 budget from '{_folder.Database}'.\n", one.Output);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal($"Deleted 2 budgets from '{_folder.Database}'.\n", all.Output);
        Assert.Empty(await Store.GetBudgetsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no budget named 'weekly'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(5, (await new SqliteCostLedger($"Data Source={_folder.Database}").GetTotalAsync(new CostQuery(), TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task BudgetStatus_UnreadableStoredBudget_ExitsOneNamingIt()
    {
        await LedgerSeed.RecordAsync(_folder.Database);
        await CliRun.RunAsync(["budget", "set", "10", "--db", _folder.Database]);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.Database};Pooling=False"))
        {
            connection.Open();
            using Microsoft.Data.Sqlite.SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE budgets SET period = 'fortnightly';";
            update.ExecuteNonQuery();
        }

        CliResult result = await CliRun.RunAsync(["budget", "status", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("monthly", result.Error, StringComparison.Ordinal);
        Assert.Contains("fortnightly", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set")]
    [InlineData("status")]
    [InlineData("clear")]
    public async Task BudgetHelp_EverySubcommand_ExitsZero(string subcommand)
    {
        CliResult result = await CliRun.RunAsync(["budget", subcommand, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetSet_LedgerPathInsideAFile_ExitsOneNamingThePathWithoutAStackTrace()
    {
        string notAFolder = _folder.File("not-a-folder");
        await File.WriteAllTextAsync(notAFolder, "x", TestContext.Current.CancellationToken);
        string database = Path.Combine(notAFolder, "musubi.db");

        CliResult result = await CliRun.RunAsync(["budget", "set", "50", "--db", database]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: the SQLite ledger '{database}' (from --db) could not be used: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task BudgetSet_BlankName_ExitsOneNamingTheOption(string name)
    {
        CliResult result = await CliRun.RunAsync(["budget", "set", "50", "--name", name, "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--name", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Database));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task BudgetClear_BlankName_ExitsOneNamingTheOptionWithoutAStackTrace(string name)
    {
        await CliRun.RunAsync(["budget", "set", "50", "--db", _folder.Database]);

        CliResult result = await CliRun.RunAsync(["budget", "clear", "--name", name, "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--name", result.Error, StringComparison.Ordinal);
        Assert.Single(await Store.GetBudgetsAsync(TestContext.Current.CancellationToken));
    }
}
