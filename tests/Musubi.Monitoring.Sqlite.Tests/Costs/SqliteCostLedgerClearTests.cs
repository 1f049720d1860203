using Musubi.Monitoring.Costs;
using static Musubi.Monitoring.Sqlite.Tests.Costs.CostLedgerContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

public sealed class SqliteCostLedgerClearTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ClearAsync_WithRecords_DeletesThemAllAndNeverReusesSequences()
    {
        var ledger = new SqliteCostLedger(_database.ConnectionString);
        CostRecord last = null!;
        for (int i = 0; i < 3; i++)
        {
            last = await AppendAsync(ledger, Usage());
        }

        long deleted = await ledger.ClearAsync(Token);

        Assert.Equal(3, deleted);
        CostTotal empty = await new SqliteCostLedger(_database.ConnectionString).GetTotalAsync(new CostQuery(), Token);
        Assert.Equal(0, empty.Count);
        Assert.Equal(0m, empty.Total);
        CostRecord next = await AppendAsync(ledger, Usage());
        Assert.Equal(last.Sequence + 1, next.Sequence);
    }

    [Fact]
    public async Task ClearAsync_NewFile_DeletesNothing()
    {
        var ledger = new SqliteCostLedger(_database.ConnectionString);

        Assert.Equal(0, await ledger.ClearAsync(Token));
    }
}
