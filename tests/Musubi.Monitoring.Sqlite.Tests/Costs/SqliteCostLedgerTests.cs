using Musubi.Monitoring.Costs;
using static Musubi.Monitoring.Sqlite.Tests.Costs.CostLedgerContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

public sealed class SqliteCostLedgerTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetTotalAsync_AfterRestart_KeepsEveryRecordAndTotalsEqualTheSumOfRecords()
    {
        var first = new SqliteCostLedger(_database.ConnectionString);
        var appended = new List<CostRecord>();
        var random = new Random(7);
        for (int i = 0; i < 25; i++)
        {
            appended.Add(await AppendAsync(first, Usage(input: random.Next(1, 500_000), output: random.Next(1, 50_000), at: s_at.AddHours(i * 7))));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var restarted = new SqliteCostLedger(_database.ConnectionString);
        CostPage page = await restarted.ListAsync(new CostQuery { Take = 1000 }, Token);
        CostTotal total = await restarted.GetTotalAsync(new CostQuery(), Token);
        DateTimeOffset monthStart = new(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);
        CostTotal fromDay2 = await restarted.GetTotalAsync(new CostQuery { From = monthStart }, Token);

        Assert.Equal(appended.Select(r => (r.Sequence, r.Total, r.Usage.InputTokens, r.RecordedAt)), page.Items.Select(r => (r.Sequence, r.Total, r.Usage.InputTokens, r.RecordedAt)));
        Assert.Equal(appended.Sum(r => r.Total!.Value), total.Total);
        Assert.Equal(page.Items.Sum(r => r.Total!.Value), total.Total);
        Assert.Equal(appended.Where(r => r.Usage.Timestamp >= monthStart).Sum(r => r.Total!.Value), fromDay2.Total);

        CostRecord next = await AppendAsync(restarted, Usage());
        Assert.Equal(appended[^1].Sequence + 1, next.Sequence);
    }

    [Fact]
    public async Task AppendAsync_TwoInstancesConcurrently_LoseNothing()
    {
        var a = new SqliteCostLedger(_database.ConnectionString);
        var b = new SqliteCostLedger(_database.ConnectionString);

        CostRecord[][] results = await Task.WhenAll(
            Task.Run(async () => await Many(a, 1)),
            Task.Run(async () => await Many(b, 2)));

        CostTotal total = await a.GetTotalAsync(new CostQuery(), Token);
        Assert.Equal(80, total.Count);
        Assert.Equal(results.SelectMany(r => r).Sum(r => r.Total!.Value), total.Total);
        Assert.Equal(80, results.SelectMany(r => r).Select(r => r.Sequence).Distinct().Count());

        static async Task<CostRecord[]> Many(ICostLedger ledger, int seed)
        {
            var records = new List<CostRecord>();
            for (int i = 0; i < 40; i++)
            {
                records.Add(await AppendAsync(ledger, Usage(input: (seed * 1000) + i, output: i)));
            }

            return [.. records];
        }
    }

    [Fact]
    public async Task AppendAsync_StoresMoneyAsExactDecimalText()
    {
        var ledger = new SqliteCostLedger(_database.ConnectionString);
        CostRecord record = await AppendAsync(ledger, Usage(model: "claude-sonnet-4-20250514", provider: "anthropic", input: 3, output: 7));

        object? stored = _database.Scalar("SELECT total FROM cost_records;");

        Assert.Equal(record.Total!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), stored);
    }
}
