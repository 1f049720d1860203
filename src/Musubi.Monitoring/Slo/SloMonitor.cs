using System.Diagnostics.Metrics;
using System.Globalization;
using Musubi.Monitoring.Diagnostics;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// Evaluates SLOs live, in-process, from the <see cref="MusubiMetricsCollector"/>'s own counters and histograms: each
/// SLO's indicator, error budget left and burn rate over every window, and its burn-rate alerts with the same
/// condition as the rules <see cref="SloRules"/> generates, published to every <see cref="ISloAlertObserver"/>.
/// Registered by <c>AddSlo</c>/<c>AddSlos</c> on the monitoring builder.
/// </summary>
/// <remarks>
/// <para>
/// <b>Evaluation.</b> Every <see cref="SloOptions.EvaluationInterval"/> (on the container's <see cref="TimeProvider"/>,
/// once the host starts), or when <see cref="EvaluateAsync"/> is called, the monitor takes one snapshot of the
/// collector and reads, per selected series, the cumulative count of all events and of bad events (or good ones).
/// The increase since the previous evaluation is added to the time bucket of the evaluation's time; a series whose
/// value went down was reset, and its new value is the increase (as PromQL's <c>rate</c> treats resets). Series that
/// exist when the monitor is built are its baseline; a series that appears later counts from 0.
/// </para>
/// <para>
/// <b>Buckets (bounded memory).</b> Per SLO, two fixed rings that are reused as time goes round, so memory never grows
/// with uptime:
/// <list type="bullet">
/// <item>fine buckets, 1 minute wide (or a fifth of the shortest window when that is shorter, at least 1 second),
/// covering the longest window of at most 6 hours (361 buckets for the SRE Workbook tiers);</item>
/// <item>coarse buckets, 1 hour wide, covering the period, used for the windows longer than the fine ring (the 3-day
/// window and the period; 721 buckets for 30 days), so such windows are resolved to the hour.</item>
/// </list>
/// A window sums the buckets inside it and the share of its oldest bucket that lies inside it, events being taken as
/// spread evenly over a bucket. A window longer than the data seen so far sums what exists, as Prometheus'
/// <c>rate</c> does with a partial range; a window with no events has an error ratio of 0, never NaN.
/// </para>
/// <para>
/// <b>Alerts.</b> Per SLO and severity, the alert is firing when, for any tier of that severity, the error ratio over
/// both the long and the short window is above <c>factor × error budget</c>; it is resolved when no tier is. Only
/// transitions are published: once when it starts firing, once when it resolves.
/// </para>
/// <para>
/// <b>Metrics.</b> Observable gauges on the core meter (<see cref="MusubiMetrics.Meter"/>):
/// <c>musubi.slo.error_budget.remaining</c> and <c>musubi.slo.sli</c> with tags <c>slo</c> and <c>service</c>, and
/// <c>musubi.slo.burn_rate</c> with tags <c>slo</c>, <c>service</c> and <c>window</c> (a Prometheus duration such as
/// <c>5m</c>). They report the latest evaluation and are never NaN.
/// </para>
/// <para>
/// Thread-safe. Evaluations are serialised, each including its calls to the observers (bounded by
/// <see cref="SloOptions.ObserverTimeout"/>); a timer tick that finds one still running is skipped, so a slow observer
/// delays the next evaluation by at most the timeout. <see cref="GetStatus"/> and <see cref="GetStatuses"/> never wait.
/// Evaluation never throws into the host: a failure is reported through the <c>Musubi-Monitoring</c> event source.
/// </para>
/// </remarks>
public sealed class SloMonitor : IDisposable
{
    private readonly SloState[] _states;
    private readonly Dictionary<string, SloState> _byId;
    private readonly MusubiMetricsCollector _collector;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<ISloAlertObserver[]> _observers;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _observerTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _timerLock = new();
    private ITimer? _timer;
    private int _ticking;
    private bool _disposed;

    internal SloMonitor(
        IEnumerable<ServiceLevelObjective> slos,
        MusubiMetricsCollector collector,
        TimeProvider timeProvider,
        Func<IEnumerable<ISloAlertObserver>> observers,
        SloOptions options,
        Meter? meter)
    {
        _collector = collector;
        _timeProvider = timeProvider;
        // Resolved on first use, so an observer may itself depend on the monitor.
        _observers = new Lazy<ISloAlertObserver[]>(() => [.. observers()]);
        _interval = options.EvaluationInterval;
        _observerTimeout = options.ObserverTimeout;
        _states = [.. slos.Select(s => new SloState(s))];
        _byId = _states.ToDictionary(s => s.Slo.Id, StringComparer.Ordinal);
        Objectives = [.. _states.Select(s => s.Slo)];

        // The baseline: what the series hold now was counted before the monitor existed.
        try
        {
            MetricsSnapshot snapshot = _collector.Collect();
            foreach (SloState state in _states)
            {
                state.Baseline(snapshot);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MusubiMonitoringEventSource.Log.SloEvaluationFailed("*", ex.ToString());
        }

        if (meter is not null)
        {
            meter.CreateObservableGauge("musubi.slo.error_budget.remaining", () => Gauge(s => s.ErrorBudgetRemaining), unit: null,
                "The share of the SLO's error budget left over its period (1 untouched, 0 spent, negative overspent).");
            meter.CreateObservableGauge("musubi.slo.sli", () => Gauge(s => s.Sli), unit: null,
                "The SLO's indicator over its period: the share of good events (1 with no traffic).");
            meter.CreateObservableGauge("musubi.slo.burn_rate", BurnRates, unit: null,
                "The error ratio over the window divided by the SLO's error budget (1 spends the budget exactly over the period).");
        }
    }

    /// <summary>Gets the SLOs the monitor evaluates, in registration order.</summary>
    public IReadOnlyList<ServiceLevelObjective> Objectives { get; }

    /// <summary>
    /// Gets the number of time buckets the monitor keeps for all its SLOs. It is fixed when the monitor is built:
    /// memory does not grow with uptime.
    /// </summary>
    public int BucketCount => _states.Sum(s => s.BucketCount);

    /// <summary>Gets the status of one SLO at its latest evaluation.</summary>
    /// <param name="id">The SLO's id.</param>
    /// <returns>The status; before the first evaluation, a status with no traffic (SLI 1, budget 1, burn rates 0).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No SLO with that id is registered.</exception>
    public SloStatus GetStatus(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_byId.TryGetValue(id, out SloState? state))
        {
            throw new ArgumentException(
                $"No SLO with the id '{id}' is registered; the registered ids are: {(_states.Length == 0 ? "(none)" : string.Join(", ", _byId.Keys.Order(StringComparer.Ordinal)))}.",
                nameof(id));
        }

        return state.Status;
    }

    /// <summary>Gets the status of every SLO at its latest evaluation, in registration order.</summary>
    /// <returns>The statuses.</returns>
    public IReadOnlyList<SloStatus> GetStatuses() => [.. _states.Select(s => s.Status)];

    /// <summary>
    /// Evaluates every SLO now and publishes the alert transitions to the observers, waiting for them (at most
    /// <see cref="SloOptions.ObserverTimeout"/> each). The timer calls this; call it yourself for an on-demand reading or
    /// in tests after advancing a fake clock.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a running evaluation and for the observers.</param>
    /// <returns>The alert transitions of this evaluation, in SLO and severity order (page first).</returns>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<SloAlert>> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<SloAlert> transitions = Evaluate();
            await PublishAsync(transitions, cancellationToken).ConfigureAwait(false);
            return transitions;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the evaluation timer and cancels observers still running.</summary>
    public void Dispose()
    {
        lock (_timerLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }

        _disposing.Cancel();
        _disposing.Dispose();
    }

    /// <summary>Starts evaluating every <see cref="SloOptions.EvaluationInterval"/>; called when the host starts.</summary>
    internal void Start()
    {
        lock (_timerLock)
        {
            if (!_disposed && _timer is null)
            {
                _timer = _timeProvider.CreateTimer(static m => ((SloMonitor)m!).OnTick(), this, _interval, _interval);
            }
        }
    }

    /// <summary>Stops the timer; called when the host stops.</summary>
    internal void Stop()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void OnTick()
    {
        // A tick that finds the previous one still running (a slow observer) is skipped rather than queued.
        if (Interlocked.CompareExchange(ref _ticking, 1, 0) != 0)
        {
            return;
        }

        _ = TickAsync();
    }

    private async Task TickAsync()
    {
        try
        {
            await EvaluateAsync(_disposing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException && _disposed)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            MusubiMonitoringEventSource.Log.SloEvaluationFailed("*", ex.ToString());
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private List<SloAlert> Evaluate()
    {
        var transitions = new List<SloAlert>();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        MetricsSnapshot snapshot;
        try
        {
            snapshot = _collector.Collect();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MusubiMonitoringEventSource.Log.SloEvaluationFailed("*", ex.ToString());
            return transitions;
        }

        foreach (SloState state in _states)
        {
            try
            {
                state.Evaluate(snapshot, now, transitions);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                MusubiMonitoringEventSource.Log.SloEvaluationFailed(state.Slo.Id, ex.ToString());
            }
        }

        return transitions;
    }

    private async Task PublishAsync(List<SloAlert> transitions, CancellationToken cancellationToken)
    {
        if (transitions.Count == 0)
        {
            return;
        }

        ISloAlertObserver[] observers;
        try
        {
            observers = _observers.Value;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MusubiMonitoringEventSource.Log.SloObserverFailed("(resolving observers)", "*", "*", ex.ToString());
            return;
        }

        // All at once: one evaluation has at most one transition per alert, so there is no order to keep among them,
        // and a slow observer costs one timeout per evaluation, not one per alert.
        await Task.WhenAll(transitions.SelectMany(alert => observers.Select(o => NotifyAsync(o, alert, cancellationToken)))).ConfigureAwait(false);
    }

    private async Task NotifyAsync(ISloAlertObserver observer, SloAlert alert, CancellationToken cancellationToken)
    {
        string name = observer.GetType().FullName ?? observer.GetType().Name;
        string what = $"{alert.AlertName} {alert.State}";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            // On the thread pool, so an observer that blocks before its first await cannot hold up evaluation.
            Task handling = Task.Run(() => observer.OnAlertAsync(alert, linked.Token), CancellationToken.None);
            await handling.WaitAsync(_observerTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await linked.CancelAsync().ConfigureAwait(false);
            MusubiMonitoringEventSource.Log.SloObserverTimedOut(name, what, alert.SloId, _observerTimeout.ToString("c", CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            MusubiMonitoringEventSource.Log.SloObserverFailed(name, what, alert.SloId, ex.ToString());
        }
    }

    private IEnumerable<Measurement<double>> Gauge(Func<SloStatus, decimal> value)
    {
        foreach (SloState state in _states)
        {
            SloStatus status = state.Status;
            yield return new Measurement<double>((double)value(status), state.Tags);
        }
    }

    private IEnumerable<Measurement<double>> BurnRates()
    {
        foreach (SloState state in _states)
        {
            SloStatus status = state.Status;
            for (int i = 0; i < state.Windows.Length; i++)
            {
                yield return new Measurement<double>((double)status.BurnRates[state.Windows[i]], state.WindowTags[i]);
            }
        }
    }
}
