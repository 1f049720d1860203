using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// Collects quality from an <see cref="IQualitySource"/> on a timer, appends each snapshot to an
/// <see cref="IQualityHistoryStore"/>, and raises an alert whenever a metric's threshold status changes.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Start"/> runs <see cref="CollectAsync"/> every <see cref="QualityHistoryOptions.Interval"/> on the
/// <see cref="TimeProvider"/> (the first at once when <see cref="QualityHistoryOptions.CollectOnStart"/>); the hosted
/// service of <c>AddQualityHistory</c> calls it when the host starts and <see cref="StopAsync"/> when it stops.
/// Collections never overlap: a tick or call while one runs is skipped and counted (<see cref="SkippedCollections"/>).
/// Timer collections never throw: a failing source, store, sink or event handler is logged and the timer goes on.
/// </para>
/// <para>
/// Alerts (see <see cref="QualityAlerts.Detect"/>) compare each snapshot with the one collected before it; the first
/// collection compares with the latest snapshot in the store, so a restart does not repeat alerts. Each alert is logged,
/// raised on <see cref="AlertRaised"/> and given to every <see cref="IQualityAlertSink"/> in turn; a handler or sink
/// that throws is logged and does not stop the others.
/// </para>
/// <para>
/// A snapshot the store refuses is kept in memory (up to <see cref="QualityHistoryOptions.MaxPendingSnapshots"/>) and
/// appended again, in order, before the next one; past that limit the oldest is dropped and counted
/// (<see cref="DroppedSnapshots"/>).
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class QualityCollector : IAsyncDisposable, IDisposable
{
    private readonly IQualitySource _source;
    private readonly IQualityHistoryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IQualityAlertSink[] _sinks;
    private readonly QualityThreshold[] _thresholds;
    private readonly QualityTrendOptions _trends;
    private readonly bool _collectOnStart;
    private readonly int _maxPending;
    private readonly Lock _lock = new();
    private readonly Queue<QualitySnapshot> _pending = new();
    private int _running;
    private TaskCompletionSource? _current;
    private QualitySnapshot? _last;
    private bool _previousLoaded;
    private ITimer? _timer;
    private CancellationTokenSource? _stopping;
    private bool _disposed;
    private long _skipped;
    private long _failed;
    private long _dropped;

    /// <summary>Creates a collector; call <see cref="Start"/> to collect on the timer, or <see cref="CollectAsync"/> to collect now.</summary>
    /// <param name="source">Where quality is measured.</param>
    /// <param name="store">Where snapshots are kept.</param>
    /// <param name="options">
    /// The interval, thresholds and trend settings; the defaults when <see langword="null"/>. Copied here. Empty
    /// <see cref="QualityHistoryOptions.Thresholds"/> means <see cref="QualityThresholds.Defaults"/>.
    /// </param>
    /// <param name="sinks">Who receives alerts; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the timer; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where alerts and failures are logged; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="store"/> or a sink is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each bad option and its value.</exception>
    public QualityCollector(
        IQualitySource source,
        IQualityHistoryStore store,
        QualityHistoryOptions? options = null,
        IEnumerable<IQualityAlertSink>? sinks = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
        : this(source, store, options, sinks, timeProvider, logger, inheritedThresholds: null)
    {
    }

    /// <summary>
    /// Creates a collector that alerts on <paramref name="inheritedThresholds"/> (AddQuality's) when
    /// <see cref="QualityHistoryOptions.Thresholds"/> is empty, else on <see cref="QualityThresholds.Defaults"/>.
    /// </summary>
    internal QualityCollector(
        IQualitySource source,
        IQualityHistoryStore store,
        QualityHistoryOptions? options,
        IEnumerable<IQualityAlertSink>? sinks,
        TimeProvider? timeProvider,
        ILogger? logger,
        IReadOnlyList<QualityThreshold>? inheritedThresholds)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new QualityHistoryOptions();
        List<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _sinks = sinks is null ? [] : [.. sinks];
        foreach (IQualityAlertSink sink in _sinks)
        {
            ArgumentNullException.ThrowIfNull(sink, nameof(sinks));
        }

        _source = source;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _thresholds = options.Thresholds.Count > 0 ? [.. options.Thresholds] : [.. inheritedThresholds ?? QualityThresholds.Defaults];
        Interval = options.Interval;
        _collectOnStart = options.CollectOnStart;
        _maxPending = options.MaxPendingSnapshots;
        _trends = new QualityTrendOptions { Window = options.Trends.Window, StableBand = options.Trends.StableBand };
        foreach (KeyValuePair<string, decimal> band in options.Trends.MetricBands)
        {
            _trends.MetricBands.Add(band);
        }

        foreach (KeyValuePair<string, ThresholdDirection> direction in options.Trends.Directions)
        {
            _trends.Directions.Add(direction);
        }
    }

    /// <summary>Raised once per alert, after it is logged and before the sinks get it. A handler that throws is logged and does not stop the others.</summary>
    public event EventHandler<QualityAlertEventArgs>? AlertRaised;

    /// <summary>How often the timer collects.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The thresholds whose status changes raise alerts.</summary>
    public IReadOnlyList<QualityThreshold> Thresholds => _thresholds;

    /// <summary>Whether the timer runs (between <see cref="Start"/> and <see cref="StopAsync"/>).</summary>
    public bool IsStarted
    {
        get
        {
            lock (_lock)
            {
                return _timer is not null;
            }
        }
    }

    /// <summary>The latest snapshot collected; <see langword="null"/> before the first.</summary>
    public QualitySnapshot? LastSnapshot => Volatile.Read(ref _last);

    /// <summary>How many collections were skipped because another was running.</summary>
    public long SkippedCollections => Interlocked.Read(ref _skipped);

    /// <summary>How many collections failed because the source threw.</summary>
    public long FailedCollections => Interlocked.Read(ref _failed);

    /// <summary>How many collected snapshots were dropped because the store refused them and too many already waited.</summary>
    public long DroppedSnapshots => Interlocked.Read(ref _dropped);

    /// <summary>How many collected snapshots wait to be appended to the store again.</summary>
    public int PendingSnapshots
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Starts collecting every <see cref="Interval"/> (the first at once when <see cref="QualityHistoryOptions.CollectOnStart"/>). Does nothing when already started.</summary>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                return;
            }

            _stopping = new CancellationTokenSource();
            _timer = _timeProvider.CreateTimer(static s => ((QualityCollector)s!).OnTick(), this, _collectOnStart ? TimeSpan.Zero : Interval, Interval);
        }
    }

    /// <summary>
    /// Stops the timer and waits for a running collection to finish; when <paramref name="cancellationToken"/> is cancelled
    /// first, the running collection is cancelled instead of awaited. Does nothing when not started.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the host's shutdown timeout).</param>
    /// <returns>A task that completes when stopped. It does not throw.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ITimer? timer;
        CancellationTokenSource? stopping;
        lock (_lock)
        {
            timer = _timer;
            stopping = _stopping;
            _timer = null;
            _stopping = null;
        }

        if (timer is null)
        {
            return;
        }

        await timer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await WhenIdle().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await (stopping?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        }
    }

    /// <summary>Collects a snapshot now, stores it and raises the alerts due, unless another collection is running.</summary>
    /// <param name="cancellationToken">Cancels the collection.</param>
    /// <returns>What was done; a failing source or store is reported in the result (and logged), not thrown.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<QualityCollectionResult> CollectAsync(CancellationToken cancellationToken = default) => CollectCoreAsync(null, cancellationToken);

    /// <summary>Completes when no collection runs (for shutdown and tests).</summary>
    internal Task WhenIdle() => Interlocked.CompareExchange(ref _current, null, null)?.Task ?? Task.CompletedTask;

    /// <summary>Collects, unless another collection runs or, for a timer collection, the timer that started it was stopped meanwhile.</summary>
    /// <param name="timerRun">The stop source of the timer run that ticked; <see langword="null"/> for a call.</param>
    /// <param name="cancellationToken">Cancels the collection.</param>
    private async Task<QualityCollectionResult> CollectCoreAsync(CancellationTokenSource? timerRun, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            Interlocked.Increment(ref _skipped);
            QualityHistoryLog.Skipped(_logger);
            return new QualityCollectionResult { Outcome = QualityCollectionOutcome.Skipped };
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A full fence: StopAsync clears _stopping and then reads _current, this sets _current and then reads _stopping,
        // so either StopAsync waits for this collection or this collection sees the stop and does nothing.
        Interlocked.Exchange(ref _current, done);
        try
        {
            if (timerRun is not null && !ReferenceEquals(Volatile.Read(ref _stopping), timerRun))
            {
                return new QualityCollectionResult { Outcome = QualityCollectionOutcome.Skipped };
            }

            QualitySnapshot snapshot;
            try
            {
                snapshot = await _source.CollectAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The quality source {_source.GetType().FullName} returned no snapshot.");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                QualityHistoryLog.SourceFailed(_logger, e, _source.GetType().FullName ?? _source.GetType().Name);
                return new QualityCollectionResult { Outcome = QualityCollectionOutcome.Failed, Error = e };
            }

            QualitySnapshot? previous = await PreviousAsync(cancellationToken).ConfigureAwait(false);
            Exception? storeError = await StoreAsync(snapshot, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<QualityAlert> alerts = QualityAlerts.Detect(previous, snapshot, _thresholds);
            Volatile.Write(ref _last, snapshot);
            foreach (QualityAlert alert in alerts)
            {
                await RaiseAsync(alert, cancellationToken).ConfigureAwait(false);
            }

            return new QualityCollectionResult
            {
                Outcome = storeError is null ? QualityCollectionOutcome.Collected : QualityCollectionOutcome.NotStored,
                Snapshot = snapshot,
                Alerts = alerts,
                Error = storeError,
            };
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            done.TrySetResult();
        }
    }

    /// <summary>The trend of every metric over the latest <see cref="QualityTrendOptions.Window"/> snapshots in the store (see <see cref="QualityTrends"/>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One trend per metric.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>An exception of the store propagates to the caller.</remarks>
    public async Task<IReadOnlyList<QualityTrend>> GetTrendsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<QualitySnapshot> latest = await _store.GetLatestAsync(_trends.Window, cancellationToken).ConfigureAwait(false);
        return QualityTrends.Compute(latest, _trends, _thresholds);
    }

    /// <summary>Stops the timer and waits for a running collection.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the timer and cancels a running collection without waiting for it.</summary>
    public void Dispose()
    {
        ITimer? timer;
        CancellationTokenSource? stopping;
        lock (_lock)
        {
            _disposed = true;
            timer = _timer;
            stopping = _stopping;
            _timer = null;
            _stopping = null;
        }

        timer?.Dispose();
        stopping?.Cancel();
    }

    private void OnTick()
    {
        CancellationTokenSource? run;
        lock (_lock)
        {
            run = _stopping;
        }

        if (run is not null)
        {
            _ = RunAsync(run);
        }
    }

    private async Task RunAsync(CancellationTokenSource run)
    {
        try
        {
            await CollectCoreAsync(run, run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            // Nothing from a timer collection reaches the host.
            QualityHistoryLog.CollectionFailed(_logger, e);
        }
    }

    private async Task<QualitySnapshot?> PreviousAsync(CancellationToken cancellationToken)
    {
        if (_previousLoaded)
        {
            return Volatile.Read(ref _last);
        }

        try
        {
            IReadOnlyList<QualitySnapshot> latest = await _store.GetLatestAsync(1, cancellationToken).ConfigureAwait(false);
            _previousLoaded = true;
            return latest.Count > 0 ? latest[^1] : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _previousLoaded = true;
            QualityHistoryLog.PreviousUnreadable(_logger, e);
            return null;
        }
    }

    private async Task<Exception?> StoreAsync(QualitySnapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _pending.Enqueue(snapshot);
        }

        // Only one collection runs at a time, so only this one takes snapshots off the queue.
        while (true)
        {
            QualitySnapshot next;
            lock (_lock)
            {
                if (!_pending.TryPeek(out next!))
                {
                    return null;
                }
            }

            try
            {
                await _store.AppendAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                int pending;
                lock (_lock)
                {
                    while (_pending.Count > _maxPending)
                    {
                        QualitySnapshot lost = _pending.Dequeue();
                        Interlocked.Increment(ref _dropped);
                        QualityHistoryLog.SnapshotDropped(_logger, lost.Timestamp, _maxPending);
                    }

                    pending = _pending.Count;
                }

                QualityHistoryLog.StoreFailed(_logger, e, next.Timestamp, pending);
                return e;
            }

            lock (_lock)
            {
                _pending.Dequeue();
            }
        }
    }

    private async Task RaiseAsync(QualityAlert alert, CancellationToken cancellationToken)
    {
        string value = alert.Value is { } v ? QualityText.AlertValue(v, alert.Threshold.Direction) : "UNKNOWN";
        string healthy = QualityText.Exact(alert.Threshold.Healthy);
        string critical = QualityText.Exact(alert.Threshold.Critical);
        if (alert.Kind is QualityAlertKind.Degraded or QualityAlertKind.Unmeasured)
        {
            QualityHistoryLog.AlertDegraded(_logger, alert.Metric, alert.PreviousStatus, alert.Status, value, healthy, critical);
        }
        else
        {
            QualityHistoryLog.AlertEased(_logger, alert.Metric, alert.PreviousStatus, alert.Status, value, healthy, critical);
        }

        if (AlertRaised is { } handlers)
        {
            var args = new QualityAlertEventArgs(alert);
            foreach (EventHandler<QualityAlertEventArgs> handler in handlers.GetInvocationList().Cast<EventHandler<QualityAlertEventArgs>>())
            {
                try
                {
                    handler(this, args);
                }
                catch (Exception e)
                {
                    QualityHistoryLog.HandlerFailed(_logger, e, alert.Metric);
                }
            }
        }

        foreach (IQualityAlertSink sink in _sinks)
        {
            try
            {
                await sink.OnQualityAlertAsync(alert, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                QualityHistoryLog.SinkFailed(_logger, e, sink.GetType().FullName ?? sink.GetType().Name, alert.Metric);
            }
        }
    }
}
