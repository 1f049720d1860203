namespace Musubi.Monitoring.Releases;

/// <summary>
/// An <see cref="IReleaseStore"/> in memory, with the same rules as the durable stores (revisions, unique ids). For tests
/// and for hosts that do not need releases to outlive the process.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock, so each is atomic.</remarks>
public sealed class InMemoryReleaseStore : IReleaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Release> _releases = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<Release> AddAsync(Release release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.Revision != 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"Release {release.Id} is at revision {release.Revision}; only a new release (revision 0) can be added."), nameof(release));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_releases.ContainsKey(release.Id))
            {
                throw new ReleaseConflictException($"A release with id {release.Id} already exists.");
            }

            Release stored = release with { Revision = 1 };
            _releases.Add(stored.Id, stored);
            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<Release> UpdateAsync(Release release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_releases.TryGetValue(release.Id, out Release? current))
            {
                throw new KeyNotFoundException($"No release has id {release.Id}.");
            }

            if (current.Revision != release.Revision)
            {
                throw new ReleaseConflictException(release.Id, release.Revision, current.Revision);
            }

            Release stored = release with { Revision = release.Revision + 1 };
            _releases[stored.Id] = stored;
            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<Release?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        lock (_lock)
        {
            return Task.FromResult(_releases.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc/>
    public Task<ReleasePage> ListAsync(ReleaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (_lock)
        {
            Release[] matching = [.. _releases.Values.Where(query.Matches).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
            return Task.FromResult(new ReleasePage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Length));
        }
    }
}
