using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// One run of a <see cref="CanaryPlan"/> for a release, started by <see cref="CanaryController.StartAsync"/>: it moves
/// through the plan's steps on the <see cref="TimeProvider"/> and rolls back on its own when an analysis fails.
/// </summary>
/// <remarks>
/// <para>
/// <b>States.</b> <see cref="CanaryState.Progressing"/> while setting weights; <see cref="CanaryState.Paused"/> during a
/// timed pause (one timer, no polling); <see cref="CanaryState.AwaitingApproval"/> at an approval step or after an
/// inconclusive analysis; <see cref="CanaryState.Analyzing"/> while an analysis measures (a periodic timer of its
/// interval). After the last step the canary is promoted to 100 % and the run is <see cref="CanaryState.Succeeded"/>.
/// </para>
/// <para>
/// <b>Approval.</b> <see cref="ApproveAsync"/> ends an approval step, or — after an inconclusive analysis — starts that
/// analysis again from nothing, so an approval never turns an inconclusive analysis into a successful one.
/// </para>
/// <para>
/// <b>Rollback</b>, from any state that is not final: a failed analysis (state <see cref="CanaryState.Failed"/>), a
/// router that throws while setting a step's weight, or <see cref="AbortAsync"/> (state <see cref="CanaryState.Aborted"/>)
/// stops the run's timers, cancels calls in flight, and runs the <see cref="RollbackProcedure"/> (state
/// <see cref="CanaryState.RollingBack"/>) to <see cref="CanaryState.RolledBack"/>, or to
/// <see cref="CanaryState.RollbackFailed"/> when a step threw.
/// </para>
/// <para>
/// <b>History.</b> Every transition, step, weight, measurement, analysis result, approval and rollback step is a
/// <see cref="CanaryEvent"/> with its time, in <see cref="History"/> and, in the same order, in the controller's
/// <see cref="ICanaryHistory"/>.
/// </para>
/// <para>
/// Thread-safe: timer callbacks and calls are serialised; the properties never wait. When the providers complete
/// synchronously, as the in-process ones do, a timer callback has done its work when it returns, so tests can read
/// the state right after advancing a fake clock.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore's wait handle and the token source's timer are never created, so neither holds anything to release; a run ends by its final state, not by disposal.")]
public sealed class CanaryRun
{
    private readonly ICanaryMetricsProvider _metrics;
    private readonly ITrafficRouter _router;
    private readonly TimeProvider _timeProvider;
    private readonly ICanaryHistory? _historySink;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<CanaryEvent> _history = [];
    private readonly List<AnalysisRunState> _analyses = [];
    private readonly CancellationTokenSource _running = new();
    private readonly TaskCompletionSource<CanaryState> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CanaryState _state = CanaryState.Progressing;
    private volatile int _weight;
    private volatile int _stepIndex = -1;
    private ITimer? _timer;
    private int _generation;
    private AnalysisRunState? _analysis;
    private bool _retryAnalysis;

    internal CanaryRun(
        string releaseId, CanaryPlan plan, IReadOnlyList<string> flags, RollbackProcedure procedure,
        ICanaryMetricsProvider metrics, ITrafficRouter router, TimeProvider timeProvider, ICanaryHistory? history)
    {
        ReleaseId = releaseId;
        Plan = plan;
        Flags = flags;
        RollbackProcedure = procedure;
        _metrics = metrics;
        _router = router;
        _timeProvider = timeProvider;
        _historySink = history;
    }

    /// <summary>Gets the release's id.</summary>
    public string ReleaseId { get; }

    /// <summary>Gets the plan.</summary>
    public CanaryPlan Plan { get; }

    /// <summary>Gets the release's flags, which a rollback disables.</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>Gets the rollback procedure generated for this run.</summary>
    public RollbackProcedure RollbackProcedure { get; }

    /// <summary>Gets where the run is.</summary>
    public CanaryState State => _state;

    /// <summary>Gets the index of the current (or last) plan step; -1 before the first.</summary>
    public int StepIndex => _stepIndex;

    /// <summary>Gets the canary's weight as last set successfully, in percent.</summary>
    public int Weight => _weight;

    /// <summary>Gets why the run rolled back, or <see langword="null"/> when it has not.</summary>
    public string? RollbackReason { get; private set; }

    /// <summary>Gets a task that completes with the final state: <see cref="CanaryState.Succeeded"/>, <see cref="CanaryState.RolledBack"/> or <see cref="CanaryState.RollbackFailed"/>.</summary>
    public Task<CanaryState> Completion => _completion.Task;

    /// <summary>Gets a copy of the history so far, in order.</summary>
    public IReadOnlyList<CanaryEvent> History
    {
        get
        {
            lock (_lock)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Gets the analyses so far (a retried analysis appears once per attempt), in order.</summary>
    public IReadOnlyList<CanaryAnalysisResult> Analyses
    {
        get
        {
            lock (_lock)
            {
                return [.. _analyses.Select(a => a.ToResult())];
            }
        }
    }

    private bool IsFinal => _state is CanaryState.Succeeded or CanaryState.RolledBack or CanaryState.RollbackFailed;

    /// <summary>
    /// Approves the run while it is <see cref="CanaryState.AwaitingApproval"/>: an approval step ends and the next step
    /// starts; after an inconclusive analysis, that analysis starts again.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a step in progress.</param>
    /// <returns>A task that completes when the run is in its next waiting (or final) state.</returns>
    /// <exception cref="InvalidOperationException">The run is not awaiting approval; the message names its state.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task ApproveAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state != CanaryState.AwaitingApproval)
            {
                throw new InvalidOperationException(
                    $"The canary run of release '{ReleaseId}' is {_state}; only a run that is AwaitingApproval can be approved.");
            }

            await RecordAsync(CanaryEventKind.Approved, _retryAnalysis ? "approved: the inconclusive analysis starts again" : "approved", _stepIndex).ConfigureAwait(false);
            if (_retryAnalysis)
            {
                _retryAnalysis = false;
                await BeginAnalysisAsync(_stepIndex).ConfigureAwait(false);
            }
            else
            {
                await AdvanceAsync(_stepIndex + 1).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_running.IsCancellationRequested)
        {
            // Aborted meanwhile: the abort rolls back.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Aborts the run and rolls it back from whatever state it is in: paused, awaiting approval, analysing or
    /// progressing. Calls in flight are cancelled; the rollback procedure runs to its end.
    /// </summary>
    /// <param name="reason">Why, in the history.</param>
    /// <returns>The final state: <see cref="CanaryState.RolledBack"/> or <see cref="CanaryState.RollbackFailed"/>. A run already rolling back or rolled back returns its final state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The run has succeeded: there is nothing to abort.</exception>
    public async Task<CanaryState> AbortAsync(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (_state == CanaryState.Succeeded)
        {
            throw new InvalidOperationException(
                $"The canary run of release '{ReleaseId}' has Succeeded; a finished release is rolled back by a new release, not by aborting its canary.");
        }

        await _running.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_state == CanaryState.Succeeded)
            {
                throw new InvalidOperationException(
                    $"The canary run of release '{ReleaseId}' has Succeeded; a finished release is rolled back by a new release, not by aborting its canary.");
            }

            if (_state is not (CanaryState.RollingBack or CanaryState.RolledBack or CanaryState.RollbackFailed))
            {
                StopTimer();
                lock (_lock)
                {
                    _analysis?.Cancel("the run was aborted: " + reason);
                }

                await TransitionAsync(CanaryState.Aborted, "aborted: " + reason).ConfigureAwait(false);
                await RollbackAsync(reason).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        return await Completion.ConfigureAwait(false);
    }

    internal async Task StartAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await TransitionAsync(CanaryState.Progressing, $"canary of release '{ReleaseId}' started: {string.Join("; ", Plan.Steps.Select(s => s.ToString()))}").ConfigureAwait(false);
            await AdvanceAsync(0).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_running.IsCancellationRequested)
        {
            // Aborted meanwhile: the abort rolls back.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs steps from <paramref name="index"/> until one waits; promotes after the last. Under the gate.</summary>
    private async Task AdvanceAsync(int index)
    {
        if (_state != CanaryState.Progressing)
        {
            await TransitionAsync(CanaryState.Progressing, "resumed").ConfigureAwait(false);
        }

        for (int i = index; i < Plan.Steps.Count; i++)
        {
            CanaryStep step = Plan.Steps[i];
            _stepIndex = i;
            await RecordAsync(CanaryEventKind.StepStarted, step.ToString(), i).ConfigureAwait(false);
            switch (step.Kind)
            {
                case CanaryStepKind.SetWeight:
                    if (!await SetWeightAsync(step.Weight, i).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
                case CanaryStepKind.Pause:
                    await TransitionAsync(CanaryState.Paused, "paused for " + step.Duration.ToString("c", CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    StartTimer(step.Duration, Timeout.InfiniteTimeSpan);
                    return;
                case CanaryStepKind.PauseUntilApproved:
                    await TransitionAsync(CanaryState.AwaitingApproval, "waiting for approval").ConfigureAwait(false);
                    return;
                default:
                    await BeginAnalysisAsync(i).ConfigureAwait(false);
                    return;
            }
        }

        _stepIndex = Plan.Steps.Count - 1;
        if (_weight != 100 && !await SetWeightAsync(100, null).ConfigureAwait(false))
        {
            return;
        }

        await TransitionAsync(CanaryState.Succeeded, "promoted: every step passed").ConfigureAwait(false);
        _completion.TrySetResult(CanaryState.Succeeded);
    }

    /// <summary>Sets the weight; on a router failure records it and rolls back, returning <see langword="false"/>.</summary>
    private async Task<bool> SetWeightAsync(int percent, int? stepIndex)
    {
        try
        {
            await _router.SetWeightAsync(percent, _running.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_running.IsCancellationRequested)
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"setting the canary weight to {percent}% threw {ex.GetType().Name}: {ex.Message}");
            await RecordAsync(CanaryEventKind.StepFailed, reason, stepIndex).ConfigureAwait(false);
            await TransitionAsync(CanaryState.Failed, reason).ConfigureAwait(false);
            await RollbackAsync(reason).ConfigureAwait(false);
            return false;
        }

        _weight = percent;
        await RecordAsync(CanaryEventKind.WeightSet, string.Create(CultureInfo.InvariantCulture, $"canary weight {percent}%"), stepIndex).ConfigureAwait(false);
        return true;
    }

    private async Task BeginAnalysisAsync(int stepIndex)
    {
        CanaryAnalysis analysis = Plan.Steps[stepIndex].Analysis!;
        DateTimeOffset start = _timeProvider.GetUtcNow();
        var state = new AnalysisRunState(stepIndex, analysis, start);
        lock (_lock)
        {
            _analyses.Add(state);
            _analysis = state;
        }

        await TransitionAsync(CanaryState.Analyzing, string.Create(CultureInfo.InvariantCulture,
            $"analysis started: {analysis.Count} measurements every {analysis.Interval.ToString("c", CultureInfo.InvariantCulture)}, failure limit {analysis.FailureLimit}, consecutive-error limit {analysis.ConsecutiveErrorLimit}, inconclusive limit {analysis.InconclusiveLimit}, no data counts as {analysis.NoDataPolicy}")).ConfigureAwait(false);
        try
        {
            await _metrics.BeginAnalysisAsync(start, _running.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_running.IsCancellationRequested)
        {
            // The measurements will show whether the provider works; this is only a head start for it.
            await RecordAsync(CanaryEventKind.Measurement, $"the metrics provider could not prepare the analysis: {ex.GetType().Name}: {ex.Message}", stepIndex).ConfigureAwait(false);
        }

        StartTimer(analysis.Interval, analysis.Interval);
    }

    /// <summary>Takes one measurement of every metric and acts on the analysis's phase. Under the gate.</summary>
    private async Task MeasureAsync(AnalysisRunState analysis)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (now <= analysis.LastEnd)
        {
            return;
        }

        var window = new CanaryWindow(analysis.LastEnd, now);
        for (int i = 0; i < analysis.Analysis.Metrics.Count; i++)
        {
            AnalysisMetric metric = analysis.Analysis.Metrics[i];
            MetricMeasurement measurement;
            try
            {
                measurement = await _metrics.MeasureAsync(metric, window, _running.Token).ConfigureAwait(false)
                    ?? MetricMeasurement.Error("the provider returned null");
            }
            catch (Exception ex) when (!_running.IsCancellationRequested)
            {
                measurement = MetricMeasurement.Error(ex.GetType().Name + ": " + ex.Message);
            }

            AnalysisMeasurement counted;
            lock (_lock)
            {
                counted = analysis.Count(i, window, measurement);
            }

            await RecordAsync(CanaryEventKind.Measurement, $"{metric.Name} ({metric.Query}, success {metric.SuccessCondition}): {measurement} -> {counted.Outcome}", analysis.StepIndex).ConfigureAwait(false);
        }

        AnalysisPhase phase;
        lock (_lock)
        {
            analysis.LastEnd = now;
            analysis.Taken++;
            phase = analysis.Decide();
        }

        if (phase == AnalysisPhase.Running)
        {
            return;
        }

        StopTimer();
        await RecordAsync(CanaryEventKind.AnalysisCompleted, $"analysis {phase}: {analysis.Reason}", analysis.StepIndex).ConfigureAwait(false);
        switch (phase)
        {
            case AnalysisPhase.Successful:
                await AdvanceAsync(analysis.StepIndex + 1).ConfigureAwait(false);
                break;
            case AnalysisPhase.Inconclusive:
                _retryAnalysis = true;
                await TransitionAsync(CanaryState.AwaitingApproval, "analysis inconclusive, waiting for approval to measure again or an abort: " + analysis.Reason).ConfigureAwait(false);
                break;
            default:
                await TransitionAsync(CanaryState.Failed, "analysis failed: " + analysis.Reason).ConfigureAwait(false);
                await RollbackAsync("analysis failed: " + analysis.Reason).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Runs every step of the rollback procedure, whatever fails. Under the gate.</summary>
    private async Task RollbackAsync(string reason)
    {
        StopTimer();
        RollbackReason = reason;
        _retryAnalysis = false;
        await TransitionAsync(CanaryState.RollingBack, "rolling back: " + reason).ConfigureAwait(false);
        bool failed = false;
        foreach (IRollbackStep step in RollbackProcedure.Steps)
        {
            string description;
            try
            {
                description = step.Description;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                description = step.GetType().Name;
            }

            try
            {
                // A rollback is not cancelled: stopping half-way would leave the canary half live.
                await step.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failed = true;
                await RecordAsync(CanaryEventKind.RollbackStepFailed, $"{description}: {ex.GetType().Name}: {ex.Message}", null).ConfigureAwait(false);
                continue;
            }

            if (step is RollbackProcedure.WeightStep)
            {
                _weight = 0;
            }

            await RecordAsync(CanaryEventKind.RollbackStepSucceeded, description, null).ConfigureAwait(false);
        }

        CanaryState final = failed ? CanaryState.RollbackFailed : CanaryState.RolledBack;
        await TransitionAsync(final, failed ? "rollback finished with failed steps" : "rolled back").ConfigureAwait(false);
        _completion.TrySetResult(final);
    }

    private void StartTimer(TimeSpan dueTime, TimeSpan period)
    {
        StopTimer();
        int generation = _generation;
        _timer = _timeProvider.CreateTimer(static s =>
        {
            (CanaryRun run, int generation) = ((CanaryRun, int))s!;
            _ = run.OnTimerAsync(generation);
        }, (this, generation), dueTime, period);
    }

    private void StopTimer()
    {
        _generation++;
        _timer?.Dispose();
        _timer = null;
    }

    private async Task OnTimerAsync(int generation)
    {
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (generation != _generation || IsFinal)
            {
                return;
            }

            if (_state == CanaryState.Paused)
            {
                StopTimer();
                await AdvanceAsync(_stepIndex + 1).ConfigureAwait(false);
            }
            else if (_state == CanaryState.Analyzing && _analysis is { Phase: AnalysisPhase.Running } analysis)
            {
                await MeasureAsync(analysis).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_running.IsCancellationRequested)
        {
            // Aborted meanwhile: the abort rolls back.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !IsFinal && _state != CanaryState.RollingBack)
        {
            // A bug or a history that cannot even be written to memory: do not leave the canary live unattended.
            string reason = "the run failed unexpectedly: " + ex.GetType().Name + ": " + ex.Message;
            lock (_lock)
            {
                _analysis?.Cancel(reason);
            }

            await TransitionAsync(CanaryState.Failed, reason).ConfigureAwait(false);
            await RollbackAsync(reason).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task TransitionAsync(CanaryState state, string detail)
    {
        _state = state;
        await RecordAsync(CanaryEventKind.StateChanged, detail, _stepIndex < 0 ? null : _stepIndex).ConfigureAwait(false);
    }

    private async Task RecordAsync(CanaryEventKind kind, string detail, int? stepIndex)
    {
        var entry = new CanaryEvent(_timeProvider.GetUtcNow(), ReleaseId, kind, _state, stepIndex, detail);
        lock (_lock)
        {
            _history.Add(entry);
        }

        if (_historySink is null)
        {
            return;
        }

        try
        {
            await _historySink.RecordAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            lock (_lock)
            {
                _history.Add(entry with
                {
                    Kind = CanaryEventKind.HistoryWriteFailed,
                    Detail = $"the history did not record '{detail}': {ex.GetType().Name}: {ex.Message}",
                });
            }
        }
    }
}
