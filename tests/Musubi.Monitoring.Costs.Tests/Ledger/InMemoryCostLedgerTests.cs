using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests;

public sealed class InMemoryCostLedgerTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly PricingCatalog s_catalog = PricingCatalog.CreateDefault();

    private static LlmUsage Usage(string model = "gpt-4o-mini", long input = 1000) => new("openai", model, s_at, input, 100);

    [Fact]
    public async Task AppendAsync_MoreThanOneChunk_KeepsEveryRecordInOrder()
    {
        var ledger = new InMemoryCostLedger(new FakeTimeProvider(s_at));
        int count = (2 * InMemoryCostLedger.ChunkSize) + 3;
        for (int i = 1; i <= count; i++)
        {
            CostRecord appended = await ledger.AppendAsync(Usage(input: i), CostCalculator.Calculate(Usage(input: i), s_catalog));
            Assert.Equal(i, appended.Sequence);
        }

        CostPage page = await ledger.ListAsync(new CostQuery { Skip = InMemoryCostLedger.ChunkSize - 1, Take = 3 });
        CostTotal total = await ledger.GetTotalAsync(new CostQuery());

        Assert.Equal(count, page.Total);
        Assert.Equal([InMemoryCostLedger.ChunkSize, InMemoryCostLedger.ChunkSize + 1, InMemoryCostLedger.ChunkSize + 2], page.Items.Select(r => r.Sequence));
        Assert.Equal((long)count * (count + 1) / 2, total.InputTokens);
    }

    [Fact]
    public async Task AppendAsync_ManyThreads_LosesNothingAndNumbersEachRecordOnce()
    {
        var ledger = new InMemoryCostLedger();
        var tracker = new CostTracker(ledger, s_catalog);
        const int Threads = 4;
        const int PerThread = 2500;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                if (i % 2 == 0)
                {
                    await tracker.RecordAsync(Usage());
                }
                else
                {
                    await ledger.AppendAsync(Usage(), CostCalculator.Calculate(Usage(), s_catalog));
                }
            }
        })));

        CostPage page = await ledger.ListAsync(new CostQuery { Take = Threads * PerThread });
        Assert.Equal(Threads * PerThread, page.Total);
        Assert.Equal(Enumerable.Range(1, Threads * PerThread).Select(i => (long)i), page.Items.Select(r => r.Sequence));
    }

    [Fact]
    public async Task AppendAsync_CancelledToken_ThrowsAndAppendsNothing()
    {
        var ledger = new InMemoryCostLedger();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => ledger.AppendAsync(Usage(), CostCalculator.Calculate(Usage(), s_catalog), cancelled.Token));

        Assert.Equal(0, (await ledger.ListAsync(new CostQuery())).Total);
    }
}
