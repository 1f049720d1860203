namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Keeps incidents. <see cref="InMemoryIncidentStore"/> is for tests; <c>Musubi.Monitoring.Sqlite</c> keeps them in a
/// file. Implement it to share one incident list between hosts (for example in PostgreSQL).
/// </summary>
/// <remarks>
/// <para>Implementations must be thread-safe. Each call is one transaction: an incident is saved whole or not at all.</para>
/// <para>
/// Optimistic concurrency: a saved incident carries the <see cref="Incident.Version"/> it was read at; saving it when the
/// store holds another version throws <see cref="IncidentConflictException"/> and changes nothing. Re-read and retry.
/// </para>
/// </remarks>
public interface IIncidentStore
{
    /// <summary>Adds a new incident.</summary>
    /// <param name="incident">The incident; its <see cref="Incident.Version"/> must be 0.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored, at version 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="incident"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Its version is not 0.</exception>
    /// <exception cref="IncidentConflictException">
    /// An incident with the same id exists, or an open incident already holds its <see cref="Incident.AlertKey"/>.
    /// </exception>
    public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default);

    /// <summary>Saves a changed incident.</summary>
    /// <param name="incident">The incident, changed from the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored, its version one more.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="incident"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No incident has its id.</exception>
    /// <exception cref="IncidentConflictException">
    /// The store holds another version (someone else saved first), or the change makes it open while another open
    /// incident holds its <see cref="Incident.AlertKey"/> (such as a reopen after a new incident was opened for the alert).
    /// </exception>
    public Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default);

    /// <summary>Reads one incident.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Finds the most recently detected incident opened by an alert key (open or not).</summary>
    /// <param name="alertKey">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="alertKey"/> is null or white space.</exception>
    public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default);

    /// <summary>Lists incidents, newest detected first (ties by id), filtered and paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page, and how many incidents match in all.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page is invalid (see <see cref="IncidentQuery"/>).</exception>
    public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Filters and a page for <see cref="IIncidentStore.ListAsync"/>; every filter set must match.</summary>
public sealed record IncidentQuery
{
    /// <summary>Gets only incidents in this status.</summary>
    public IncidentStatus? Status { get; init; }

    /// <summary>Gets only incidents of this severity.</summary>
    public Severity? Severity { get; init; }

    /// <summary>Gets only open (<see langword="true"/>) or only resolved and closed (<see langword="false"/>) incidents.</summary>
    public bool? Open { get; init; }

    /// <summary>Gets only incidents detected at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets how many matching incidents to skip; 0 or more.</summary>
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

    /// <summary>Returns whether <paramref name="incident"/> passes the filters.</summary>
    /// <param name="incident">The incident.</param>
    /// <returns><see langword="true"/> when every filter set matches.</returns>
    public bool Matches(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return (Status is null || incident.Status == Status)
            && (Severity is null || incident.Severity == Severity)
            && (Open is null || incident.IsOpen == Open)
            && (Since is null || incident.DetectedAt >= Since);
    }
}

/// <summary>One page of incidents.</summary>
/// <param name="Items">The incidents on the page.</param>
/// <param name="Total">How many incidents match the filters in all.</param>
public sealed record IncidentPage(IReadOnlyList<Incident> Items, int Total);

/// <summary>
/// Thrown by an <see cref="IIncidentStore"/> when a save would overwrite someone else's change (a stale version), reuse
/// an id, or open a second incident for one alert key. Nothing was saved.
/// </summary>
public sealed class IncidentConflictException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="IncidentConflictException"/> class.</summary>
    public IncidentConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncidentConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public IncidentConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncidentConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IncidentConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncidentConflictException"/> class.</summary>
    /// <param name="incidentId">The incident.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="actualVersion">The version the store holds.</param>
    public IncidentConflictException(string incidentId, long expectedVersion, long actualVersion)
        : base(FormattableString.Invariant($"Incident {incidentId} was changed by someone else: it is at version {actualVersion}, the change was made to version {expectedVersion}. Read it again and retry."))
    {
        IncidentId = incidentId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the incident, when the conflict is about a version.</summary>
    public string? IncidentId { get; }

    /// <summary>Gets the version the change was made to.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the version the store holds.</summary>
    public long ActualVersion { get; }
}
