namespace Musubi.Monitoring.Releases;

/// <summary>
/// Keeps releases. <see cref="InMemoryReleaseStore"/> is for tests; <c>Musubi.Monitoring.Sqlite</c> keeps them in a file.
/// Implement it to share one release list between hosts (for example in PostgreSQL).
/// </summary>
/// <remarks>
/// <para>Implementations must be thread-safe. Each call is one transaction: a release is saved whole or not at all.</para>
/// <para>
/// Optimistic concurrency: a saved release carries the <see cref="Release.Revision"/> it was read at; saving it when the
/// store holds another revision throws <see cref="ReleaseConflictException"/> and changes nothing. Re-read and retry.
/// </para>
/// </remarks>
public interface IReleaseStore
{
    /// <summary>Adds a new release.</summary>
    /// <param name="release">The release; its <see cref="Release.Revision"/> must be 0.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored, at revision 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Its revision is not 0.</exception>
    /// <exception cref="ReleaseConflictException">A release with the same id exists.</exception>
    public Task<Release> AddAsync(Release release, CancellationToken cancellationToken = default);

    /// <summary>Saves a changed release.</summary>
    /// <param name="release">The release, changed from the revision it was read at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored, its revision one more.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No release has its id.</exception>
    /// <exception cref="ReleaseConflictException">The store holds another revision (someone else saved first).</exception>
    public Task<Release> UpdateAsync(Release release, CancellationToken cancellationToken = default);

    /// <summary>Reads one release.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    public Task<Release?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists releases, newest created first (ties by id), filtered and paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page, and how many releases match in all.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page is invalid (see <see cref="ReleaseQuery"/>).</exception>
    public Task<ReleasePage> ListAsync(ReleaseQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Filters and a page for <see cref="IReleaseStore.ListAsync"/>; every filter set must match.</summary>
public sealed record ReleaseQuery
{
    /// <summary>Gets only releases in this status.</summary>
    public ReleaseStatus? Status { get; init; }

    /// <summary>Gets only releases of this type.</summary>
    public ReleaseType? Type { get; init; }

    /// <summary>Gets only releases created at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets how many matching releases to skip; 0 or more.</summary>
    public int Skip { get; init; }

    /// <summary>Gets the most to return; 1 to 1000, default 50.</summary>
    public int Take { get; init; } = 50;

    /// <summary>Throws when the page is invalid.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Skip"/> is negative or <see cref="Take"/> is not 1 to 1000.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Skip);
        if (Take is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Take), Take, "Take must be 1 to 1000.");
        }
    }

    /// <summary>Returns whether <paramref name="release"/> passes the filters.</summary>
    /// <param name="release">The release.</param>
    /// <returns><see langword="true"/> when every filter set matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is <see langword="null"/>.</exception>
    public bool Matches(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return (Status is null || release.Status == Status)
            && (Type is null || release.Type == Type)
            && (Since is null || release.CreatedAt >= Since);
    }
}

/// <summary>One page of releases.</summary>
/// <param name="Items">The releases on the page.</param>
/// <param name="Total">How many releases match the filters in all.</param>
public sealed record ReleasePage(IReadOnlyList<Release> Items, int Total);

/// <summary>
/// Thrown by an <see cref="IReleaseStore"/> when a save would overwrite someone else's change (a stale revision) or reuse
/// an id. Nothing was saved.
/// </summary>
public sealed class ReleaseConflictException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="ReleaseConflictException"/> class.</summary>
    public ReleaseConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReleaseConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ReleaseConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReleaseConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ReleaseConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReleaseConflictException"/> class.</summary>
    /// <param name="releaseId">The release.</param>
    /// <param name="expectedRevision">The revision the caller read.</param>
    /// <param name="actualRevision">The revision the store holds.</param>
    public ReleaseConflictException(string releaseId, long expectedRevision, long actualRevision)
        : base(FormattableString.Invariant($"Release {releaseId} was changed by someone else: it is at revision {actualRevision}, the change was made to revision {expectedRevision}. Read it again and retry."))
    {
        ReleaseId = releaseId;
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    /// <summary>Gets the release, when the conflict is about a revision.</summary>
    public string? ReleaseId { get; }

    /// <summary>Gets the revision the change was made to.</summary>
    public long ExpectedRevision { get; }

    /// <summary>Gets the revision the store holds.</summary>
    public long ActualRevision { get; }
}
