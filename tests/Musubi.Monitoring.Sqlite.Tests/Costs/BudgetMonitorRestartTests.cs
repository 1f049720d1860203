using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Costs;
using static Musubi.Monitoring.Sqlite.Tests.Costs.CostLedgerContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

/// <summary>A host restarted on the same SQLite file: alerts raised before the restart are not raised again in the same period.</summary>
public sealed class BudgetMonitorRestartTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    private sealed class RecordingSink : IBudgetAlertSink
    {
        public List<BudgetAlert> Alerts { get; } = [];

        public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken)
        {
            Alerts.Add(alert);
            return Task.CompletedTask;
        }
    }

    /// <summary>What a host builds at start: a monitor over the SQLite ledger and budget store of the file.</summary>
    private BudgetMonitor Start(FakeTimeProvider time, RecordingSink sink, out SqliteCostLedger ledger)
    {
        SqliteConnection.ClearAllPools();
        ledger = new SqliteCostLedger(_database.ConnectionString, time);
        return new BudgetMonitor([], new LedgerBudgetSpend(ledger), time, [sink], store: new SqliteBudgetStore(_database.ConnectionString, time));
    }

    [Fact]
    public async Task EvaluateAllAsync_WarnedBeforeRestart_NoSecondWarningAfterRestartAndReArmsNextPeriod()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 10, 0, 0, 0, TimeSpan.Zero));
        await new SqliteBudgetStore(_database.ConnectionString).UpsertBudgetAsync(
            new Budget("monthly", 0.01m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" }, Token);

        var firstSink = new RecordingSink();
        BudgetMonitor first = Start(time, firstSink, out SqliteCostLedger ledger);
        decimal spent = 0m;
        while (spent < 0.008m)
        {
            spent += (await AppendAsync(ledger, Usage(input: 100, output: 10, at: time.GetUtcNow()))).Total!.Value;
        }

        Assert.True(spent < 0.01m, "the test needs spend between the warning share and the limit");
        BudgetStatus warned = Assert.Single(await first.EvaluateAllAsync(Token));
        Assert.Equal(BudgetState.Warning, warned.State);
        Assert.Equal(BudgetAlertKind.Warning, Assert.Single(firstSink.Alerts).Kind);

        // Restart: a new monitor on the same file, later in the same Tokyo month.
        time.Advance(TimeSpan.FromDays(5));
        var secondSink = new RecordingSink();
        BudgetMonitor second = Start(time, secondSink, out ledger);
        BudgetStatus again = Assert.Single(await second.EvaluateAllAsync(Token));
        Assert.Equal(BudgetState.Warning, again.State);
        Assert.Equal(spent, again.Spent);
        Assert.Empty(secondSink.Alerts);

        // Still the same period after another restart, now past the limit: the exceeded alert is new, and raised once.
        while (spent < 0.01m)
        {
            spent += (await AppendAsync(ledger, Usage(input: 100, output: 10, at: time.GetUtcNow()))).Total!.Value;
        }

        await second.EvaluateAllAsync(Token);
        var thirdSink = new RecordingSink();
        await Start(time, thirdSink, out _).EvaluateAllAsync(Token);
        Assert.Equal(BudgetAlertKind.Exceeded, Assert.Single(secondSink.Alerts).Kind);
        Assert.Empty(thirdSink.Alerts);

        // August starts at 2026-07-31T15:00Z in Tokyo: the alerts re-arm, also across a restart.
        time.SetUtcNow(new DateTimeOffset(2026, 7, 31, 15, 0, 0, TimeSpan.Zero));
        var augustSink = new RecordingSink();
        BudgetMonitor august = Start(time, augustSink, out ledger);
        Assert.Equal(0m, Assert.Single(await august.EvaluateAllAsync(Token)).Spent);
        while (spent > 0m)
        {
            spent -= (await AppendAsync(ledger, Usage(input: 100, output: 10, at: time.GetUtcNow()))).Total!.Value;
        }

        await august.EvaluateAllAsync(Token);
        await august.EvaluateAllAsync(Token);
        Assert.Equal(BudgetAlertKind.Exceeded, Assert.Single(augustSink.Alerts).Kind);
        BudgetAlertState? state = await new SqliteBudgetStore(_database.ConnectionString).GetAlertStateAsync("monthly", Token);
        Assert.Equal(new DateTimeOffset(2026, 7, 31, 15, 0, 0, TimeSpan.Zero), state!.PeriodStart);
        Assert.True(state.ExceededRaised);
        Assert.False(state.WarningRaised);
    }
}
