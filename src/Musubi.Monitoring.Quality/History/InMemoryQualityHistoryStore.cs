using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>An <see cref="IQualityHistoryStore"/> in memory, bounded: when full, the oldest snapshot is dropped and counted.</summary>
/// <remarks>
/// Thread-safe. Snapshots are kept in chronological order (see <see cref="IQualityHistoryStore"/>); when more than
/// <see cref="Capacity"/> are stored the oldest by timestamp is dropped and <see cref="DroppedCount"/> grows. Nothing
/// survives the process: use the SQLite store for history that must.
/// </remarks>
public sealed class InMemoryQualityHistoryStore : IQualityHistoryStore
{
    /// <summary>The capacity when none is given.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly List<QualitySnapshot> _snapshots = [];
    private long _dropped;

    /// <summary>Creates a store.</summary>
    /// <param name="capacity">How many snapshots are kept at most; 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public InMemoryQualityHistoryStore(int capacity = DefaultCapacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, string.Create(CultureInfo.InvariantCulture, $"capacity is {capacity}; keep 1 snapshot or more."));
        }

        Capacity = capacity;
    }

    /// <summary>How many snapshots are kept at most.</summary>
    public int Capacity { get; }

    /// <summary>How many snapshots are stored now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _snapshots.Count;
            }
        }
    }

    /// <summary>How many of the oldest snapshots were dropped because the store was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <inheritdoc/>
    public Task AppendAsync(QualitySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // After the last snapshot with the same or an earlier instant: appends in time order cost O(1).
            int index = _snapshots.Count;
            while (index > 0 && _snapshots[index - 1].Timestamp > snapshot.Timestamp)
            {
                index--;
            }

            _snapshots.Insert(index, snapshot);
            if (_snapshots.Count > Capacity)
            {
                _snapshots.RemoveAt(0);
                Interlocked.Increment(ref _dropped);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<QualitySnapshot>> GetLatestAsync(int count, CancellationToken cancellationToken = default)
    {
        QualityHistoryArguments.CheckCount(count);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            int take = Math.Min(count, _snapshots.Count);
            QualitySnapshot[] result = new QualitySnapshot[take];
            for (int i = 0; i < take; i++)
            {
                result[i] = _snapshots[_snapshots.Count - take + i];
            }

            return Task.FromResult<IReadOnlyList<QualitySnapshot>>(result);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<QualitySnapshot>> GetRangeAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        QualityHistoryArguments.CheckRange(since, until);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            QualitySnapshot[] result = [.. _snapshots.Where(s => s.Timestamp >= since && s.Timestamp < until)];
            return Task.FromResult<IReadOnlyList<QualitySnapshot>>(result);
        }
    }
}
