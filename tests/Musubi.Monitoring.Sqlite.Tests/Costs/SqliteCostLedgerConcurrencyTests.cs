using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Costs;
using static Musubi.Monitoring.Sqlite.Tests.Costs.CostLedgerContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

public sealed class SqliteCostLedgerConcurrencyTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken T => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AppendAsync_TwoLedgersOnOneFileConcurrentlyAndReopened_TotalsEqualSumOfRecords()
    {
        var start = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        for (int round = 0; round < 3; round++)
        {
            SqliteConnection.ClearAllPools();
            var a = new SqliteCostLedger(_database.ConnectionString);
            var b = new SqliteCostLedger(_database.ConnectionString);
            await Task.WhenAll(
                Task.Run(async () => { for (int i = 0; i < 25; i++) { await AppendAsync(a, Usage(input: 100 + i, output: 7, at: start.AddHours(i))); } }, T),
                Task.Run(async () => { for (int i = 0; i < 25; i++) { await AppendAsync(b, Usage(input: 300 + i, output: 3, at: start.AddHours(i + 0.5))); } }, T));
        }

        SqliteConnection.ClearAllPools();
        var reopened = new SqliteCostLedger(_database.ConnectionString);
        var query = new CostQuery { From = start, To = start.AddHours(12), Take = 1000 };
        CostPage page = await reopened.ListAsync(query, T);
        CostTotal total = await reopened.GetTotalAsync(query, T);
        Assert.Equal(page.Items.Count, total.Count);
        Assert.Equal(72, total.Count);
        Assert.Equal(page.Items.Sum(r => r.Total ?? 0m), total.Total);
        Assert.Equal(page.Items.Sum(r => r.Usage.InputTokens), total.InputTokens);
        Assert.Equal(150, (await reopened.GetTotalAsync(new CostQuery(), T)).Count);
        Assert.Equal(150, page.Items.Concat((await reopened.ListAsync(new CostQuery { Take = 1000 }, T)).Items).Select(r => r.Sequence).Distinct().Count());
    }
}
