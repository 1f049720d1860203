namespace Musubi.Monitoring.Quality;

/// <summary>Keeps quality snapshots over time, so trends and alerts can compare them.</summary>
/// <remarks>
/// <para>
/// Every read returns snapshots oldest first (chronological order): by <see cref="QualitySnapshot.Timestamp"/> as an
/// instant, and snapshots with the same instant in the order they were appended. Implementations must be thread-safe.
/// </para>
/// <para>
/// <see cref="InMemoryQualityHistoryStore"/> keeps a bounded number in memory; the Musubi.Monitoring.Sqlite package
/// keeps them in a file (<c>.UseSqlite(…)</c>).
/// </para>
/// </remarks>
public interface IQualityHistoryStore
{
    /// <summary>Appends a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the snapshot is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    public Task AppendAsync(QualitySnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Reads the latest <paramref name="count"/> snapshots.</summary>
    /// <param name="count">How many snapshots at most; 1 or more.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="count"/> of the newest snapshots, oldest first; empty when none is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public Task<IReadOnlyList<QualitySnapshot>> GetLatestAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Reads the snapshots taken from <paramref name="since"/> (inclusive) to <paramref name="until"/> (exclusive).</summary>
    /// <param name="since">The first instant included.</param>
    /// <param name="until">The first instant excluded; not before <paramref name="since"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshots in the range, oldest first.</returns>
    /// <exception cref="ArgumentException"><paramref name="until"/> is before <paramref name="since"/>; the message names both.</exception>
    public Task<IReadOnlyList<QualitySnapshot>> GetRangeAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);
}
