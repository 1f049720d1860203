namespace Musubi.Monitoring.Costs;

/// <summary>An <see cref="ICostLedger"/> kept in memory; everything is lost when the process ends.</summary>
/// <remarks>Thread-safe: appends and reads take a lock. Use the SQLite ledger (<c>UseSqlite</c>) to keep records across restarts.</remarks>
public sealed class InMemoryCostLedger : ICostLedger
{
    private readonly Lock _lock = new();
    private readonly List<CostRecord> _records = [];
    private readonly TimeProvider _timeProvider;

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
            CostRecord record = CostRecord.Create(_records.Count + 1, usage, cost, _timeProvider.GetUtcNow());
            _records.Add(record);
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

    private List<CostRecord> Snapshot(CostQuery query)
    {
        lock (_lock)
        {
            return _records.Where(query.Matches).ToList();
        }
    }
}
