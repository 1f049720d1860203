using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests;

public sealed class CostTrackerTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, long, long, long, long, long, long> Usages => new()
    {
        { "gpt-4o-mini", 1200, 300, 400, 0, 0, 0 },
        { "gpt-4o", 5000, 800, 2000, 0, 0, 0 },
        { "claude-3-7-sonnet-20250219", 9000, 1000, 1000, 3000, 2000, 0 },
        { "gemini-2.5-pro", 250_000, 4000, 0, 0, 0, 1000 },
        { "o3", 100, 2000, 0, 0, 0, 1500 },
        { "made-up-model", 10, 10, 0, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Usages))]
    public async Task RecordAsync_InMemoryLedger_StoresExactlyWhatCalculateGives(
        string model, long input, long output, long cached, long write5m, long write1h, long reasoning)
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();
        var time = new FakeTimeProvider(s_at.AddMinutes(1));
        var tracker = new CostTracker(new InMemoryCostLedger(time), catalog);
        var usage = new LlmUsage("any", model, s_at, input, output, cached, write5m, write1h, reasoning);

        CostRecord record = await tracker.RecordAsync(usage);
        CostBreakdown expected = CostCalculator.Calculate(usage, catalog);

        // Same figures and the same decimal scale (the text a report shows), not only equal values.
        Assert.Equal(Text(expected.Total), Text(record.Total));
        Assert.Equal(
            [Text(expected.Input), Text(expected.CachedRead), Text(expected.CacheWrite5Minute), Text(expected.CacheWrite1Hour), Text(expected.Output), Text(expected.Reasoning)],
            [Text(record.Input), Text(record.CachedRead), Text(record.CacheWrite5Minute), Text(record.CacheWrite1Hour), Text(record.Output), Text(record.Reasoning)]);
        Assert.Equal((expected.Resolution.Rule, expected.Resolution.Key), (record.ResolutionRule, record.ResolutionKey));
        Assert.Equal((1L, s_at.AddMinutes(1)), (record.Sequence, record.RecordedAt));
        Assert.Same(usage, record.Usage);
    }

    [Fact]
    public void RecordAsync_InMemoryLedger_CompletesSynchronously()
    {
        var tracker = new CostTracker(new InMemoryCostLedger(), PricingCatalog.CreateDefault());

        ValueTask<CostRecord> pending = tracker.RecordAsync(new LlmUsage("openai", "gpt-4o-mini", s_at, 10, 10));

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(1, Completed(pending).Sequence);
    }

    [Fact]
    public void RecordAsync_KnownModelInMemory_AllocatesOnlyTheLedgerEntry()
    {
        var tracker = new CostTracker(new InMemoryCostLedger(), PricingCatalog.CreateDefault());
        var usage = new LlmUsage("openai", "gpt-4o-mini", s_at, 1200, 300, cachedReadTokens: 400);
        for (int i = 0; i < 2000; i++)
        {
            _ = Completed(tracker.RecordAsync(usage));
        }

        CostRecord? kept = null;
        long entry = Allocated(() => kept = new CostRecord { Sequence = 1, Usage = usage, RecordedAt = s_at });
        Assert.NotNull(kept);
        const int N = InMemoryCostLedger.ChunkSize; // one new chunk of references is allocated per ChunkSize records
        long recorded = Allocated(() =>
        {
            for (int i = 0; i < N; i++)
            {
                _ = Completed(tracker.RecordAsync(usage));
            }
        });

        long chunk = (N * IntPtr.Size) + 64; // the array of references, with its header
        Assert.InRange(recorded, N * entry, (N * entry) + chunk);
    }

    [Fact]
    public async Task RecordAsync_OtherLedger_AppendsTheBreakdown()
    {
        var ledger = new RecordingLedger();
        var tracker = new CostTracker(ledger, PricingCatalog.CreateDefault());

        CostRecord record = await tracker.RecordAsync(new LlmUsage("openai", "gpt-4o-mini", s_at, 1_000_000, 0));

        Assert.Equal(0.15m, record.Total);
        Assert.Equal(0.15m, Assert.Single(ledger.Costs).Total);
    }

    [Fact]
    public async Task RecordAsync_CancelledToken_ThrowsAndRecordsNothing()
    {
        var ledger = new InMemoryCostLedger();
        var tracker = new CostTracker(ledger, PricingCatalog.CreateDefault());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await tracker.RecordAsync(new LlmUsage("openai", "gpt-4o", s_at, 1, 1), cancelled.Token));

        Assert.Equal(0, (await ledger.GetTotalAsync(new CostQuery())).Count);
    }

    [Fact]
    public async Task RecordAsync_NullUsage_Throws()
    {
        var tracker = new CostTracker(new InMemoryCostLedger(), PricingCatalog.CreateDefault());

        await Assert.ThrowsAsync<ArgumentNullException>("usage", async () => await tracker.RecordAsync(null!));
    }

    private static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    /// <summary>The result of a recording that must have completed synchronously.</summary>
    private static CostRecord Completed(ValueTask<CostRecord> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("The recording did not complete synchronously.");

    /// <summary>Bytes allocated on this thread by <paramref name="action"/>, after one warm-up run.</summary>
    private static long Allocated(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private sealed class RecordingLedger : ICostLedger
    {
        public List<CostBreakdown> Costs { get; } = [];

        public Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default)
        {
            Costs.Add(cost);
            return Task.FromResult(CostRecord.Create(Costs.Count, usage, cost, s_at));
        }

        public Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
