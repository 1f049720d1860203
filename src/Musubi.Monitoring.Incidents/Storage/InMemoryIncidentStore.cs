namespace Musubi.Monitoring.Incidents;

/// <summary>
/// An <see cref="IIncidentStore"/> in memory, with the same rules as the durable stores (versions, one open incident
/// per alert key). For tests and for hosts that do not need incidents to outlive the process.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock, so each is atomic.</remarks>
public sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (incident.Version != 0)
        {
            throw new ArgumentException($"Incident {incident.Id} is at version {incident.Version}; only a new incident (version 0) can be added.", nameof(incident));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_incidents.ContainsKey(incident.Id))
            {
                throw new IncidentConflictException($"An incident with id {incident.Id} already exists.");
            }

            if (incident.AlertKey is { } key && incident.IsOpen
                && _incidents.Values.FirstOrDefault(i => i.IsOpen && i.AlertKey == key) is { } holder)
            {
                throw new IncidentConflictException($"Open incident {holder.Id} already holds alert key '{key}'.");
            }

            Incident stored = incident with { Version = 1 };
            _incidents.Add(stored.Id, stored);
            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_incidents.TryGetValue(incident.Id, out Incident? current))
            {
                throw new KeyNotFoundException($"No incident has id {incident.Id}.");
            }

            if (current.Version != incident.Version)
            {
                throw new IncidentConflictException(incident.Id, incident.Version, current.Version);
            }

            if (incident.AlertKey is { } key && incident.IsOpen
                && _incidents.Values.FirstOrDefault(i => i.IsOpen && i.AlertKey == key && i.Id != incident.Id) is { } holder)
            {
                throw new IncidentConflictException($"Open incident {holder.Id} already holds alert key '{key}'; incident {incident.Id} cannot be open with it too.");
            }

            Incident stored = incident with { Version = incident.Version + 1 };
            _incidents[stored.Id] = stored;
            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        lock (_lock)
        {
            return Task.FromResult(_incidents.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc/>
    public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alertKey);
        lock (_lock)
        {
            return Task.FromResult(Newest(_incidents.Values.Where(i => i.AlertKey == alertKey)).FirstOrDefault());
        }
    }

    /// <inheritdoc/>
    public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (_lock)
        {
            Incident[] matching = [.. Newest(_incidents.Values.Where(query.Matches))];
            return Task.FromResult(new IncidentPage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Length));
        }
    }

    private static IOrderedEnumerable<Incident> Newest(IEnumerable<Incident> incidents) =>
        incidents.OrderByDescending(i => i.DetectedAt).ThenBy(i => i.Id, StringComparer.Ordinal);
}
