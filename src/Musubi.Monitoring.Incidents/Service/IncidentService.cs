using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Opens and changes incidents in an <see cref="IIncidentStore"/> on the injected <see cref="TimeProvider"/>: ids,
/// times, retries on concurrent changes, alerts that open and resolve exactly one incident each, observers, and the
/// exported incident metrics. Registered by <c>.AddIncidents()</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Every change is read, applied to the stored version and saved in one store call; when another writer
/// saved first (<see cref="IncidentConflictException"/>), the change is applied again to the fresh copy, up to
/// <see cref="IncidentOptions.ConflictRetries"/> times. Changes that make no difference are not saved.
/// </remarks>
public sealed class IncidentService
{
    private const string IdAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private readonly IIncidentStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly string _idPrefix;
    private readonly int _conflictRetries;
    private readonly IReadOnlyList<IIncidentObserver> _observers;
    private readonly ILogger _logger;
    private readonly IncidentMetrics? _metrics;
    private int _refreshState;   // 0 idle, 1 refreshing, 2 refreshing and asked again
    private Task _metricsRefresh = Task.CompletedTask;

    /// <summary>Creates a service.</summary>
    /// <param name="store">Where incidents are kept.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="options">The options, copied now; <see langword="null"/> for the defaults.</param>
    /// <param name="observers">Told about every saved change, in this order.</param>
    /// <param name="logger">Where failures of observers are logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message names each bad option).</exception>
    public IncidentService(
        IIncidentStore store,
        TimeProvider? timeProvider = null,
        IncidentOptions? options = null,
        IEnumerable<IIncidentObserver>? observers = null,
        ILogger<IncidentService>? logger = null)
        : this(store, timeProvider, options, observers, logger, metrics: null)
    {
    }

    internal IncidentService(
        IIncidentStore store,
        TimeProvider? timeProvider,
        IncidentOptions? options,
        IEnumerable<IIncidentObserver>? observers,
        ILogger? logger,
        IncidentMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new IncidentOptions();
        ValidateOptionsResult result = new IncidentOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage, nameof(options));
        }

        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _idPrefix = options.IdPrefix;
        _conflictRetries = options.ConflictRetries;
        _observers = [.. observers ?? []];
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
    }

    /// <summary>Gets the store the service writes to.</summary>
    public IIncidentStore Store => _store;

    /// <summary>Opens an incident, detected now.</summary>
    /// <param name="title">What is wrong.</param>
    /// <param name="severity">SEV1 to SEV5.</param>
    /// <param name="actor">Who opens it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="title"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="severity"/> is not SEV1 to SEV5.</exception>
    public Task<Incident> OpenAsync(string title, Severity severity, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return AddAsync(id => Incident.Open(id, title, severity, _timeProvider.GetUtcNow(), actor), cancellationToken);
    }

    /// <summary>Reads one incident.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    /// <summary>Lists incidents, newest first.</summary>
    /// <param name="query">Filters and page; <see langword="null"/> for the first 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page and the total.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page is invalid.</exception>
    public Task<IncidentPage> ListAsync(IncidentQuery? query = null, CancellationToken cancellationToken = default) =>
        _store.ListAsync(query ?? new IncidentQuery(), cancellationToken);

    /// <summary>
    /// Applies a change to the stored incident and saves it, applying it again to a fresh copy when another writer
    /// saved first.
    /// </summary>
    /// <param name="id">The incident's id.</param>
    /// <param name="change">Makes the change from the stored incident and the current time (it may run more than once).
    /// Returning the same instance saves nothing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No incident has the id.</exception>
    /// <exception cref="IncidentConflictException">Other writers won every retry.</exception>
    /// <exception cref="InvalidOperationException">
    /// The change is not allowed (such as an impossible status move), or it returned null or another incident.
    /// </exception>
    public async Task<Incident> ChangeAsync(string id, Func<Incident, DateTimeOffset, Incident> change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; ; attempt++)
        {
            Incident current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"There is no incident with the id '{id}'.");
            Incident changed = change(current, _timeProvider.GetUtcNow())
                ?? throw new InvalidOperationException($"The change of incident {id} returned null; return the incident (changed or not).");
            if (ReferenceEquals(changed, current))
            {
                return current;
            }

            if (changed.Id != current.Id || changed.Version != current.Version)
            {
                throw new InvalidOperationException(
                    $"The change of incident {id} returned incident {changed.Id} at version {changed.Version}; change the incident it is given.");
            }

            try
            {
                Incident saved = await _store.UpdateAsync(changed, cancellationToken).ConfigureAwait(false);
                await ChangedAsync(current, saved, cancellationToken).ConfigureAwait(false);
                return saved;
            }
            catch (IncidentConflictException) when (attempt < _conflictRetries)
            {
            }
        }
    }

    /// <summary>Acknowledges an incident now.</summary>
    /// <param name="id">The incident's id.</param>
    /// <param name="actor">Who acknowledges it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No incident has the id.</exception>
    /// <exception cref="InvalidOperationException">It is acknowledged already, or no longer open.</exception>
    public Task<Incident> AcknowledgeAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(id, (i, now) => i.Acknowledge(actor, now), cancellationToken);
    }

    /// <summary>Moves an incident to another status now (see <see cref="Incident.CanTransition"/>).</summary>
    /// <param name="id">The incident's id.</param>
    /// <param name="status">The new status.</param>
    /// <param name="actor">Who moves it.</param>
    /// <param name="note">Why, for the timeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No incident has the id.</exception>
    /// <exception cref="InvalidOperationException">The move is not allowed.</exception>
    public Task<Incident> TransitionAsync(string id, IncidentStatus status, string actor, string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(id, (i, now) => i.TransitionTo(status, actor, now, note), cancellationToken);
    }

    /// <summary>Reopens a resolved incident now.</summary>
    /// <param name="id">The incident's id.</param>
    /// <param name="actor">Who reopens it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incident as stored.</returns>
    /// <exception cref="ArgumentException">An argument is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No incident has the id.</exception>
    /// <exception cref="InvalidOperationException">It is not resolved.</exception>
    public Task<Incident> ReopenAsync(string id, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return ChangeAsync(id, (i, now) => i.Reopen(actor, now, reason), cancellationToken);
    }

    /// <summary>
    /// Opens or resolves the incident of an alert: a firing alert opens one unless its key already has one; a resolved
    /// alert resolves its key's open incident. Resends change nothing, and two copies of one alert handled at once
    /// open one incident (the store allows one open incident per key).
    /// </summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done, and the incident's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="alert"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A required field of the alert is missing (see <see cref="IncidentAlert.Validate"/>).</exception>
    public async Task<AlertResult> HandleAlertAsync(IncidentAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        alert.Validate();
        AlertResult result = alert.State == IncidentAlertState.Firing
            ? await OpenForAlertAsync(alert, cancellationToken).ConfigureAwait(false)
            : await ResolveForAlertAsync(alert, cancellationToken).ConfigureAwait(false);
        Log.AlertHandled(_logger, alert.Key, alert.State, alert.Source, result.Outcome, result.IncidentId);
        return result;
    }

    /// <summary>
    /// Computes MTTA, time to mitigate and MTTR (mean, median, p90) overall and by severity for the incidents detected
    /// in a period.
    /// </summary>
    /// <param name="from">The start of the period (inclusive).</param>
    /// <param name="to">The end (exclusive); <see langword="null"/> for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The figures overall and by severity.</returns>
    /// <exception cref="ArgumentException">The period ends before it starts.</exception>
    public async Task<(IncidentFigures Overall, IReadOnlyDictionary<Severity, IncidentFigures> BySeverity)> GetFiguresAsync(
        DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        DateTimeOffset end = to ?? _timeProvider.GetUtcNow();
        if (end <= from)
        {
            throw new ArgumentException($"The period ends ({end:O}) before it starts ({from:O}).", nameof(to));
        }

        var incidents = new List<Incident>();
        for (int skip = 0; ; skip += 1000)
        {
            IncidentPage page = await _store.ListAsync(new IncidentQuery { Since = from, Skip = skip, Take = 1000 }, cancellationToken).ConfigureAwait(false);
            incidents.AddRange(page.Items);
            if (page.Items.Count < 1000)
            {
                break;
            }
        }

        return IncidentFigures.Compute(incidents, from, end);
    }

    /// <summary>Recomputes the exported incident metrics from the store (done after each change and on a timer).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the metrics are updated; it never fails (failures are logged).</returns>
    internal async Task RefreshMetricsAsync(CancellationToken cancellationToken)
    {
        if (_metrics is null)
        {
            return;
        }

        try
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            var open = new Dictionary<Severity, int>();
            for (Severity s = Severity.Sev1; s <= Severity.Sev5; s++)
            {
                IncidentPage page = await _store.ListAsync(new IncidentQuery { Open = true, Severity = s, Take = 1 }, cancellationToken).ConfigureAwait(false);
                open[s] = page.Total;
            }

            (_, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) =
                await GetFiguresAsync(now - _metrics.Window, now.AddTicks(1), cancellationToken).ConfigureAwait(false);
            _metrics.Update(open, bySeverity);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.StatisticsFailed(_logger, ex);
        }
    }

    private async Task<AlertResult> OpenForAlertAsync(IncidentAlert alert, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            Incident? existing = await _store.FindByAlertKeyAsync(alert.Key, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.IsOpen)
            {
                return new AlertResult(AlertOutcome.AlreadyOpen, existing.Id);
            }

            if (existing is not null && alert.KeyIsOccurrence)
            {
                return new AlertResult(AlertOutcome.AlreadyResolved, existing.Id);
            }

            try
            {
                Incident opened = await AddAsync(id => Opened(id, alert), cancellationToken).ConfigureAwait(false);
                return new AlertResult(AlertOutcome.Opened, opened.Id);
            }
            catch (IncidentConflictException) when (attempt < _conflictRetries)
            {
                // Another copy of the alert opened it first: the next read finds it.
            }
        }
    }

    private Incident Opened(string id, IncidentAlert alert)
    {
        // Detected at the first trigger (the alert's start), so MTTA counts from it; never in the future.
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (alert.At is { } startedAt && startedAt < now)
        {
            now = startedAt;
        }

        Incident incident = Incident.Open(id, alert.Title, alert.Severity, now, alert.Source, alert.Key);
        string text = "Alert " + alert.Key + " is firing"
            + (alert.At is { } at ? string.Create(CultureInfo.InvariantCulture, $" since {at.ToUniversalTime():O}") : string.Empty)
            + (alert.Description is { Length: > 0 } d ? ": " + d : ".");
        incident = incident.WithTimelineEntry(alert.Source, now, "alert", text);
        return alert.AffectedServices.Count == 0
            ? incident
            : incident.WithDetails(alert.Source, now, affectedServices: alert.AffectedServices.Where(s => !string.IsNullOrWhiteSpace(s)));
    }

    private async Task<AlertResult> ResolveForAlertAsync(IncidentAlert alert, CancellationToken cancellationToken)
    {
        Incident? existing = await _store.FindByAlertKeyAsync(alert.Key, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return new AlertResult(AlertOutcome.NoIncident, null);
        }

        if (!existing.IsOpen)
        {
            return new AlertResult(AlertOutcome.AlreadyResolved, existing.Id);
        }

        bool resolvedNow = false;
        Incident saved = await ChangeAsync(existing.Id, (i, now) =>
        {
            if (!i.IsOpen)
            {
                return i;
            }

            resolvedNow = true;

            // Dated at the alert's end when it says one, but not in the future nor before the last change.
            if (alert.At is { } endedAt && endedAt < now)
            {
                now = endedAt > i.Timeline[^1].At ? endedAt : i.Timeline[^1].At;
            }

            string note = "Alert " + alert.Key + " resolved"
                + (alert.At is { } at ? string.Create(CultureInfo.InvariantCulture, $" at {at.ToUniversalTime():O}") : string.Empty)
                + (alert.Description is { Length: > 0 } d ? ": " + d : ".");
            return i.TransitionTo(IncidentStatus.Resolved, alert.Source, now, note);
        }, cancellationToken).ConfigureAwait(false);
        return new AlertResult(resolvedNow ? AlertOutcome.Resolved : AlertOutcome.AlreadyResolved, saved.Id);
    }

    private async Task<Incident> AddAsync(Func<string, Incident> create, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            Incident incident = create(NewId());
            try
            {
                Incident saved = await _store.AddAsync(incident, cancellationToken).ConfigureAwait(false);
                await ChangedAsync(null, saved, cancellationToken).ConfigureAwait(false);
                return saved;
            }
            catch (IncidentConflictException) when (attempt < 3 && incident.AlertKey is null)
            {
                // Ids are random (32^6 per day); a clash only needs a new one.
            }
        }
    }

    private string NewId()
    {
        Span<char> suffix = stackalloc char[6];
        for (int i = 0; i < suffix.Length; i++)
        {
            suffix[i] = IdAlphabet[RandomNumberGenerator.GetInt32(IdAlphabet.Length)];
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}-{_timeProvider.GetUtcNow():yyyyMMdd}-{suffix}");
    }

    private async Task ChangedAsync(Incident? previous, Incident current, CancellationToken cancellationToken)
    {
        var change = new IncidentChange(previous, current);
        foreach (IIncidentObserver observer in _observers)
        {
            try
            {
                await observer.OnIncidentChangedAsync(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ObserverFailed(_logger, observer.GetType().Name, current.Id, ex);
            }
        }

        RequestMetricsRefresh();
    }

    /// <summary>Gets the metrics refresh running now (or the last one), for tests that read the metrics after changes.</summary>
    internal Task MetricsRefresh => Volatile.Read(ref _metricsRefresh);

    /// <summary>
    /// Recomputes the exported metrics in the background after a change. Refreshes never overlap, and changes made during
    /// one are folded into a single next one, so a notification with thousands of alerts costs two refreshes, not
    /// thousands of reads of the whole statistics window.
    /// </summary>
    internal void RequestMetricsRefresh()
    {
        if (_metrics is null)
        {
            return;
        }

        while (true)
        {
            switch (Volatile.Read(ref _refreshState))
            {
                case 0 when Interlocked.CompareExchange(ref _refreshState, 1, 0) == 0:
                    Volatile.Write(ref _metricsRefresh, Task.Run(RefreshLoopAsync));
                    return;
                case 1 when Interlocked.CompareExchange(ref _refreshState, 2, 1) == 1:
                case 2:
                    return;
            }
        }
    }

    private async Task RefreshLoopAsync()
    {
        while (true)
        {
            await RefreshMetricsAsync(CancellationToken.None).ConfigureAwait(false);
            if (Interlocked.CompareExchange(ref _refreshState, 0, 1) == 1)
            {
                return;
            }

            // Asked again while refreshing: once more covers every change so far.
            Volatile.Write(ref _refreshState, 1);
        }
    }
}
