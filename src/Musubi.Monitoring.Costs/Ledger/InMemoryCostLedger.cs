namespace Musubi.Monitoring.Costs;

/// <summary>An <see cref="ICostLedger"/> kept in memory; everything is lost when the process ends.</summary>
/// <remarks>
/// Thread-safe: appends and reads take a lock. Records are kept in fixed-size chunks of 4,096, so appending never
/// copies the records already held and no chunk lands on the large-object heap. Use the SQLite ledger
/// (<c>UseSqlite</c>) to keep records across restarts.
/// </remarks>
public sealed class InMemoryCostLedger : ICostLedger
{
    /// <summary>Records per chunk: 32 KB of references, below the 85,000-byte large-object threshold.</summary>
    internal const int ChunkSize = 4096;

    private readonly Lock _lock = new();
    private readonly List<CostRecord[]> _chunks = [];
    private readonly TimeProvider _timeProvider;
    private long _count;

    /// <summary>Initializes a new, empty ledger.</summary>
    /// <param name="timeProvider">The clock for <see cref="CostRecord.RecordedAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryCostLedger(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(cost);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            CostRecord record = CostRecord.Create(_count + 1, usage, cost, _timeProvider.GetUtcNow());
            Add(record);
            return Task.FromResult(record);
        }
    }

    /// <inheritdoc/>
    public Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(CostTotal.Sum(Snapshot(query)));
    }

    /// <inheritdoc/>
    public Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        List<CostRecord> matching = Snapshot(query);
        return Task.FromResult(new CostPage(matching.Skip(query.Skip).Take(query.Take).ToArray(), matching.Count));
    }

    /// <summary>
    /// The synchronous append <see cref="CostTracker"/> uses: builds the record straight from the cost figures and
    /// allocates nothing but the record (and, once per <see cref="ChunkSize"/> records, the next chunk).
    /// </summary>
    internal CostRecord Append(LlmUsage usage, in CostParts cost)
    {
        lock (_lock)
        {
            CostRecord record = CostRecord.Create(_count + 1, usage, in cost, _timeProvider.GetUtcNow());
            Add(record);
            return record;
        }
    }

    /// <summary>Stores <paramref name="record"/> as number <c>_count + 1</c>; the caller holds the lock.</summary>
    private void Add(CostRecord record)
    {
        int slot = (int)(_count % ChunkSize);
        if (slot == 0)
        {
            _chunks.Add(new CostRecord[ChunkSize]);
        }

        _chunks[^1][slot] = record;
        _count++;
    }

    private List<CostRecord> Snapshot(CostQuery query)
    {
        var matching = new List<CostRecord>();
        lock (_lock)
        {
            long left = _count;
            foreach (CostRecord[] chunk in _chunks)
            {
                int used = (int)Math.Min(left, ChunkSize);
                for (int i = 0; i < used; i++)
                {
                    if (query.Matches(chunk[i]))
                    {
                        matching.Add(chunk[i]);
                    }
                }

                left -= used;
            }
        }

        return matching;
    }
}
