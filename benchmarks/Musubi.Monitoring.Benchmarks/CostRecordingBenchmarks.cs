using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// Recording one usage of a known model: <c>CostTracker.RecordAsync(usage)</c> for <c>gpt-4o-mini</c> (1,200 input
/// tokens of which 400 cached, 300 output) into an <see cref="InMemoryCostLedger"/> — model resolution, the exact
/// decimal cost, the record and the append under the ledger's lock. Target: ≤ 200 ns and no allocation beyond the
/// ledger entry. Mean is per recording (<see cref="PerInvoke"/> per invocation).
/// </summary>
/// <remarks>
/// <para>There is no .NET peer: the tools the issue names (LiteLLM's cost tracking, Langfuse, Helicone's cost
/// calculator) are Python or services. So the baseline is the floor any in-process ledger pays, measured in the same
/// run: allocating the ledger entry alone — one <see cref="CostRecord"/> with the same field values, not priced, not
/// stored. <see cref="KeepEntryOnly"/> also keeps each entry, in chunks as the ledger does, for as many records as the
/// ledger holds: what the runtime charges for records that stay alive (their promotion by the GC), with no pricing,
/// clock, lock or sequence.</para>
/// <para>The usage is built once, as the caller builds it before recording. The ledger keeps every record (that is
/// its job), so it is replaced by a fresh one after <see cref="RecordsPerLedger"/> records to bound the memory of a
/// long run: 10,000 (a ledger that is mostly young) or 1,000,000 (about 200 MB alive, most of it in generation 2).</para>
/// </remarks>
[MemoryDiagnoser]
public class CostRecordingBenchmarks
{
    /// <summary>Recordings per invocation.</summary>
    public const int PerInvoke = 1000;

    private static readonly DateTimeOffset s_at = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private readonly PricingCatalog _catalog = PricingCatalog.CreateDefault();
    private readonly LlmUsage _usage = new("openai", "gpt-4o-mini", s_at, inputTokens: 1200, outputTokens: 300, cachedReadTokens: 400);
    private readonly List<CostRecord[]> _kept = [];
    private CostTracker _tracker = null!;
    private int _recorded;
    private long _sequence;

    /// <summary>Records a ledger holds before the benchmark starts a new one.</summary>
    [Params(10_000, 1_000_000)]
    public int RecordsPerLedger { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NewLedger();
        CostRecord record = RecordOne();
        decimal expected = (800 * 0.00000015m) + (400 * 0.000000075m) + (300 * 0.0000006m);
        if (record.Total != expected || record.ResolutionKey != "gpt-4o-mini" || record.Sequence != 1)
        {
            throw new InvalidOperationException($"Recorded {record.Total} under '{record.ResolutionKey}' as #{record.Sequence}; expected {expected} under gpt-4o-mini as #1.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PerInvoke)]
    public CostRecord AllocateEntryOnly()
    {
        CostRecord last = null!;
        for (int i = 0; i < PerInvoke; i++)
        {
            last = NewEntry();
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public CostRecord KeepEntryOnly()
    {
        if (_recorded >= RecordsPerLedger)
        {
            _kept.Clear();
            _recorded = 0;
        }

        CostRecord last = null!;
        for (int i = 0; i < PerInvoke; i++)
        {
            int slot = _recorded % InMemoryCostLedger.ChunkSize;
            if (slot == 0)
            {
                _kept.Add(new CostRecord[InMemoryCostLedger.ChunkSize]);
            }

            last = NewEntry();
            _kept[^1][slot] = last;
            _recorded++;
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public CostRecord Musubi()
    {
        if (_recorded >= RecordsPerLedger)
        {
            NewLedger();
        }

        CostRecord last = null!;
        for (int i = 0; i < PerInvoke; i++)
        {
            last = RecordOne();
        }

        _recorded += PerInvoke;
        return last;
    }

    /// <summary>The entry with the same field values the ledger stores, not priced and not kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CostRecord NewEntry() => new()
    {
        Sequence = ++_sequence,
        Usage = _usage,
        Total = 0.00033m,
        Input = 0.00012m,
        CachedRead = 0.00003m,
        Output = 0.00018m,
        ResolutionRule = ResolutionRule.ExactKey,
        ResolutionKey = "gpt-4o-mini",
        RecordedAt = s_at,
    };

    /// <summary>What <c>await</c> does with the completed <see cref="ValueTask{TResult}"/> an in-memory ledger returns.</summary>
    private CostRecord RecordOne()
    {
        ValueTask<CostRecord> pending = _tracker.RecordAsync(_usage);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private void NewLedger()
    {
        _tracker = new CostTracker(new InMemoryCostLedger(), _catalog);
        _recorded = 0;
    }
}
