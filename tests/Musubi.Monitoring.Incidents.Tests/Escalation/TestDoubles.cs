using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

internal sealed class RecordingNotifier : IIncidentNotifier
{
    private readonly Lock _gate = new();
    private readonly List<IncidentNotification> _received = [];

    public Func<IncidentNotification, NotificationResult>? Behavior { get; set; }

    public IReadOnlyList<IncidentNotification> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _received.Add(notification);
        }

        return Task.FromResult(Behavior?.Invoke(notification) ?? NotificationResult.Success());
    }
}

internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, EventId Id, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _entries.Add((logLevel, eventId, formatter(state, exception), exception));
        }
    }
}

/// <summary>An in-memory store whose next saves fail with a conflict, as when someone else saved first.</summary>
internal sealed class ConflictingStore(int conflicts) : IIncidentStore
{
    private readonly InMemoryIncidentStore _inner = new();
    private int _conflictsLeft = conflicts;

    public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default) => _inner.AddAsync(incident, cancellationToken);

    public async Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _conflictsLeft) >= 0)
        {
            // Someone else adds a note first, so the caller's version is stale.
            Incident current = (await _inner.GetAsync(incident.Id, cancellationToken))!;
            await _inner.UpdateAsync(current.WithNote("someone", current.Timeline[^1].At, "meanwhile"), cancellationToken);
        }

        return await _inner.UpdateAsync(incident, cancellationToken);
    }

    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

    public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default) => _inner.FindByAlertKeyAsync(alertKey, cancellationToken);

    public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default) => _inner.ListAsync(query, cancellationToken);
}
