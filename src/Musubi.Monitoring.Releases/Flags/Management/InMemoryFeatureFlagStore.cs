namespace Musubi.Monitoring.Releases;

/// <summary>
/// An <see cref="IFeatureFlagStore"/> in memory, with the same rules as the durable stores (revisions, audit trail).
/// For tests and for hosts whose flag changes need not outlive the process.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock, so each is atomic.</remarks>
public sealed class InMemoryFeatureFlagStore : IFeatureFlagStore
{
    private readonly Lock _lock = new();
    private readonly List<FeatureFlagChange> _changes = [];
    private StoredFeatureFlags? _current;

    /// <inheritdoc/>
    public Task<StoredFeatureFlags?> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_current);
        }
    }

    /// <inheritdoc/>
    public Task<long> SaveAsync(string unleashJson, long expectedRevision, FeatureFlagChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unleashJson);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long actual = _current?.Revision ?? 0;
            if (actual != expectedRevision)
            {
                throw new FeatureFlagConflictException(expectedRevision, actual);
            }

            long next = actual + 1;
            _current = new StoredFeatureFlags(unleashJson, next);
            _changes.Add(change with { Revision = next, At = change.At.ToUniversalTime() });
            return Task.FromResult(next);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<FeatureFlagChange>> GetChangesAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, 1000);
        lock (_lock)
        {
            IReadOnlyList<FeatureFlagChange> page = [.. Enumerable.Reverse(_changes).Take(take)];
            return Task.FromResult(page);
        }
    }
}
