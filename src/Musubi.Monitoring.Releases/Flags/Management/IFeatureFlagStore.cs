namespace Musubi.Monitoring.Releases;

/// <summary>
/// Keeps the managed feature flags as one Unleash client features JSON document with a revision, and an audit trail of
/// the changes. <see cref="InMemoryFeatureFlagStore"/> is for tests; <c>Musubi.Monitoring.Sqlite</c> keeps them in a file.
/// </summary>
/// <remarks>
/// <para>Implementations must be thread-safe. Each save is one transaction: the document and its audit entry are saved
/// together or not at all.</para>
/// <para>
/// Optimistic concurrency: an empty store is at revision 0; each save names the revision it was made to and stores the
/// next one. Saving to another revision than the store holds throws <see cref="FeatureFlagConflictException"/> and
/// changes nothing. Load again and retry.
/// </para>
/// </remarks>
public interface IFeatureFlagStore
{
    /// <summary>Reads the flag set.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored document and its revision, or <see langword="null"/> when nothing was ever saved.</returns>
    public Task<StoredFeatureFlags?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the whole flag set and one audit entry.</summary>
    /// <param name="unleashJson">The flags as Unleash client features JSON (<c>{ "version": 2, "features": [...] }</c>).</param>
    /// <param name="expectedRevision">The revision the change was made to: 0 for an empty store.</param>
    /// <param name="change">Who changed what, and when; its <see cref="FeatureFlagChange.Revision"/> is ignored and the new revision stored instead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new revision, <paramref name="expectedRevision"/> + 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="unleashJson"/> or <paramref name="change"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedRevision"/> is negative.</exception>
    /// <exception cref="FeatureFlagConflictException">The store holds another revision (someone else saved first).</exception>
    public Task<long> SaveAsync(string unleashJson, long expectedRevision, FeatureFlagChange change, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, newest first.</summary>
    /// <param name="take">The most entries to return, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, newest (highest revision) first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="take"/> is not 1 to 1000.</exception>
    public Task<IReadOnlyList<FeatureFlagChange>> GetChangesAsync(int take = 100, CancellationToken cancellationToken = default);
}

/// <summary>The stored flag set.</summary>
/// <param name="UnleashJson">The flags as Unleash client features JSON.</param>
/// <param name="Revision">The revision, 1 or more.</param>
public sealed record StoredFeatureFlags(string UnleashJson, long Revision);

/// <summary>One entry of the flags' audit trail.</summary>
/// <param name="Revision">The revision the change made.</param>
/// <param name="At">When, in UTC (stores keep UTC).</param>
/// <param name="Actor">Who.</param>
/// <param name="Description">What, in culture-invariant text, for example <c>set rollout of 'new-checkout' to 25%</c>.</param>
public sealed record FeatureFlagChange(long Revision, DateTimeOffset At, string Actor, string Description);

/// <summary>Thrown by an <see cref="IFeatureFlagStore"/> when a save was made to a stale revision. Nothing was saved.</summary>
public sealed class FeatureFlagConflictException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="FeatureFlagConflictException"/> class.</summary>
    public FeatureFlagConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeatureFlagConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public FeatureFlagConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeatureFlagConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FeatureFlagConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeatureFlagConflictException"/> class.</summary>
    /// <param name="expectedRevision">The revision the change was made to.</param>
    /// <param name="actualRevision">The revision the store holds.</param>
    public FeatureFlagConflictException(long expectedRevision, long actualRevision)
        : base(FormattableString.Invariant($"The feature flags were changed by someone else: the store is at revision {actualRevision}, the change was made to revision {expectedRevision}. Load them again and retry."))
    {
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    /// <summary>Gets the revision the change was made to.</summary>
    public long ExpectedRevision { get; }

    /// <summary>Gets the revision the store holds.</summary>
    public long ActualRevision { get; }
}
