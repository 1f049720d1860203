using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>Where one step of a <see cref="RunbookExecution"/> is.</summary>
public enum RunbookStepState
{
    /// <summary>Not reached yet.</summary>
    Pending,

    /// <summary>Reached, and waiting for a person to confirm it may run (<see cref="RunbookExecution.Confirm"/>) or skip it.</summary>
    AwaitingConfirmation,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Waiting for a person to report it done or failed (<see cref="ManualStepExecutor"/>).</summary>
    AwaitingResult,

    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>Failed on its last attempt.</summary>
    Failed,

    /// <summary>Its last attempt was cut off by the step's timeout.</summary>
    TimedOut,

    /// <summary>Skipped by a person.</summary>
    Skipped,

    /// <summary>The step the execution was at (waiting, about to run or running) when it was cancelled.</summary>
    Cancelled,
}

/// <summary>Where a <see cref="RunbookExecution"/> is.</summary>
public enum RunbookExecutionStatus
{
    /// <summary>A step is running, or the next one is about to.</summary>
    Running,

    /// <summary>A person must act: confirm or skip a step, or report a manual step done or failed.</summary>
    WaitingForPerson,

    /// <summary>Ended: every step succeeded or was skipped.</summary>
    Succeeded,

    /// <summary>Ended: every step ran, and at least one that may fail (<see cref="StepFailurePolicy.Continue"/>) failed.</summary>
    CompletedWithFailures,

    /// <summary>Ended: a step failed that stops the run (<see cref="StepFailurePolicy.Abort"/>, or Retry out of retries).</summary>
    Aborted,

    /// <summary>Ended: cancelled by a person or the host.</summary>
    Cancelled,
}

/// <summary>A snapshot of one step of an execution.</summary>
/// <param name="Step">The step.</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">How many attempts were started.</param>
/// <param name="StartedAt">When its first attempt started, if one did.</param>
/// <param name="EndedAt">When it ended (succeeded, failed, timed out, was skipped or cancelled), if it did.</param>
/// <param name="Output">The output of the last attempt, if any.</param>
/// <param name="Error">Why the last attempt failed, if it did.</param>
/// <param name="ConfirmedBy">Who confirmed it, when it needs confirmation and was confirmed.</param>
/// <param name="FinishedBy">Who skipped it or reported its result; <see langword="null"/> when the runner recorded the result.</param>
/// <param name="SkipReason">Why it was skipped, if it was.</param>
public sealed record RunbookStepProgress(
    RunbookStep Step,
    RunbookStepState State,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Output,
    string? Error,
    string? ConfirmedBy,
    string? FinishedBy,
    string? SkipReason);

/// <summary>
/// One run of a <see cref="Runbook"/>, started by <see cref="RunbookRunner.Start"/>: each step's state, attempts, times
/// and output, the run's status and progress, and its own timeline. People act on it while it runs: they confirm or
/// skip steps, report manual steps done or failed, and cancel it.
/// </summary>
/// <remarks>
/// <para>Thread-safe: every member may be called from any thread; each change takes one lock.</para>
/// <para>
/// When it runs for an incident, each <see cref="Timeline"/> entry is also added to the incident's timeline (kind
/// <c>runbook</c>) when the runner next moves on; a write that conflicts is re-read and retried, and a write that fails
/// is reported in <see cref="TimelineError"/> and tried again later, never thrown.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "_cancellation has no timer, no links and no wait handle, so it holds nothing to release; disposing it would race Cancel.")]
public sealed class RunbookExecution
{
    /// <summary>The actor of the timeline entries the runner writes itself.</summary>
    public const string RunnerActor = "runbook-runner";

    /// <summary>The kind of the entries added to an incident's timeline.</summary>
    public const string TimelineKind = "runbook";

    private const int MaxConflictRetries = 5;
    private const int MaxOutputInTimeline = 200;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<RunbookExecutionStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TaskCompletionSource<RunbookExecutionStatus>> _waiters = [];
    private ImmutableArray<TimelineEntry> _timeline = [];
    private RunbookExecutionStatus _status = RunbookExecutionStatus.Running;
    private int _current = -1;
    private DateTimeOffset? _endedAt;
    private string? _cancelledBy;
    private string? _cancelReason;
    private TaskCompletionSource<bool>? _gate;
    private TaskCompletionSource<StepOutcome>? _person;
    private int _synced;
    private string? _timelineError;

    internal RunbookExecution(Runbook runbook, string startedBy, string? incidentId, TimeProvider timeProvider)
    {
        Runbook = runbook;
        StartedBy = startedBy;
        IncidentId = incidentId;
        _timeProvider = timeProvider;
        Id = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        StartedAt = timeProvider.GetUtcNow();
        _slots = [.. runbook.Steps.Select(_ => new Slot())];
    }

    /// <summary>Gets the execution's id (a new GUID, 32 hex digits).</summary>
    public string Id { get; }

    /// <summary>Gets the runbook, at the version being run.</summary>
    public Runbook Runbook { get; }

    /// <summary>Gets who started it.</summary>
    public string StartedBy { get; }

    /// <summary>Gets the incident it runs for, if any.</summary>
    public string? IncidentId { get; }

    /// <summary>Gets when it started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when it ended, if it has.</summary>
    public DateTimeOffset? EndedAt
    {
        get
        {
            lock (_lock)
            {
                return _endedAt;
            }
        }
    }

    /// <summary>Gets where it is.</summary>
    public RunbookExecutionStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Gets a snapshot of every step, in runbook order.</summary>
    public ImmutableArray<RunbookStepProgress> Steps
    {
        get
        {
            lock (_lock)
            {
                return [.. Enumerable.Range(0, _slots.Length).Select(Snapshot)];
            }
        }
    }

    /// <summary>Gets the step running or waiting for a person; <see langword="null"/> once the execution has ended.</summary>
    public RunbookStepProgress? CurrentStep
    {
        get
        {
            lock (_lock)
            {
                return _current < 0 || IsEnded(_status) ? null : Snapshot(_current);
            }
        }
    }

    /// <summary>
    /// Gets the share of steps that have ended (succeeded, failed, timed out or skipped), as a percentage from 0 to 100
    /// rounded to one decimal place. An aborted or cancelled run stays below 100.
    /// </summary>
    public decimal ProgressPercent
    {
        get
        {
            lock (_lock)
            {
                int ended = _slots.Count(s => s.State is RunbookStepState.Succeeded or RunbookStepState.Failed
                    or RunbookStepState.TimedOut or RunbookStepState.Skipped);
                return Math.Round(100m * ended / _slots.Length, 1, MidpointRounding.AwayFromZero);
            }
        }
    }

    /// <summary>Gets what happened, oldest first (kind <c>runbook</c>); the same entries go to the incident, if any.</summary>
    public ImmutableArray<TimelineEntry> Timeline
    {
        get
        {
            lock (_lock)
            {
                return _timeline;
            }
        }
    }

    /// <summary>
    /// Gets why the last write to the incident's timeline failed (the incident is missing, the store threw, or it kept
    /// conflicting); <see langword="null"/> when the last write worked or there is no incident.
    /// </summary>
    public string? TimelineError
    {
        get
        {
            lock (_lock)
            {
                return _timelineError;
            }
        }
    }

    /// <summary>Gets a task that completes with the final status when the execution ends; it never faults.</summary>
    public Task<RunbookExecutionStatus> Completion => _completion.Task;

    /// <summary>Confirms that a step needing confirmation may run, now or (for a step not reached yet) when it is reached.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="actor">Who confirms.</param>
    /// <exception cref="ArgumentException"><paramref name="stepId"/> or <paramref name="actor"/> is null or white space, or the runbook has no such step.</exception>
    /// <exception cref="InvalidOperationException">
    /// The execution has ended, or the step does not need confirmation, is already confirmed, or is past waiting for it.
    /// </exception>
    public void Confirm(string stepId, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        int index = IndexOf(stepId);
        TaskCompletionSource<bool>? gate = null;
        lock (_lock)
        {
            ThrowIfEnded();
            Slot slot = _slots[index];
            if (!Runbook.Steps[index].RequiresConfirmation)
            {
                throw new InvalidOperationException($"Step '{stepId}' of runbook {Runbook} does not require confirmation.");
            }

            if (slot.ConfirmedBy is not null)
            {
                throw new InvalidOperationException($"Step '{stepId}' of runbook {Runbook} was already confirmed by {slot.ConfirmedBy}.");
            }

            if (slot.State is not (RunbookStepState.Pending or RunbookStepState.AwaitingConfirmation))
            {
                throw new InvalidOperationException($"Step '{stepId}' of runbook {Runbook} is {slot.State}; only a pending step or one awaiting confirmation can be confirmed.");
            }

            slot.ConfirmedBy = actor;
            if (slot.State == RunbookStepState.AwaitingConfirmation)
            {
                slot.State = RunbookStepState.Pending;
                _status = RunbookExecutionStatus.Running;
                (gate, _gate) = (_gate, null);
            }

            Record(actor, $"Step {Name(index)} confirmed by {actor}");
        }

        gate?.TrySetResult(true);
    }

    /// <summary>Skips a step that has not started: one not reached yet, or one awaiting confirmation.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="actor">Who skips it.</param>
    /// <param name="reason">Why; non-empty.</param>
    /// <exception cref="ArgumentException">An argument is null or white space, or the runbook has no such step.</exception>
    /// <exception cref="InvalidOperationException">The execution has ended, or the step has started or ended.</exception>
    public void Skip(string stepId, string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        int index = IndexOf(stepId);
        TaskCompletionSource<bool>? gate = null;
        lock (_lock)
        {
            ThrowIfEnded();
            Slot slot = _slots[index];
            if (slot.State is not (RunbookStepState.Pending or RunbookStepState.AwaitingConfirmation))
            {
                throw new InvalidOperationException($"Step '{stepId}' of runbook {Runbook} is {slot.State}; only a pending step or one awaiting confirmation can be skipped.");
            }

            if (slot.State == RunbookStepState.AwaitingConfirmation)
            {
                _status = RunbookExecutionStatus.Running;
                (gate, _gate) = (_gate, null);
            }

            slot.State = RunbookStepState.Skipped;
            slot.FinishedBy = actor;
            slot.SkipReason = reason;
            slot.EndedAt = _timeProvider.GetUtcNow();
            Record(actor, $"Step {Name(index)} skipped by {actor}: {reason}");
        }

        gate?.TrySetResult(false);
    }

    /// <summary>Reports a manual step (<see cref="RunbookStepState.AwaitingResult"/>) done.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="actor">Who did it.</param>
    /// <param name="output">What it showed, if anything.</param>
    /// <exception cref="ArgumentException"><paramref name="stepId"/> or <paramref name="actor"/> is null or white space, or the runbook has no such step.</exception>
    /// <exception cref="InvalidOperationException">The execution has ended, or the step is not awaiting a person's result.</exception>
    public void CompleteStep(string stepId, string actor, string? output = null) => Report(stepId, actor, StepOutcome.Success(output));

    /// <summary>Reports a manual step (<see cref="RunbookStepState.AwaitingResult"/>) failed; the step's failure policy applies.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="actor">Who tried it.</param>
    /// <param name="error">What went wrong; non-empty.</param>
    /// <exception cref="ArgumentException">An argument is null or white space, or the runbook has no such step.</exception>
    /// <exception cref="InvalidOperationException">The execution has ended, or the step is not awaiting a person's result.</exception>
    public void FailStep(string stepId, string actor, string error) => Report(stepId, actor, StepOutcome.Failure(error));

    /// <summary>Cancels the execution: the running attempt is cancelled and no further step runs.</summary>
    /// <param name="actor">Who cancels.</param>
    /// <param name="reason">Why; non-empty.</param>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is null or white space.</exception>
    /// <exception cref="InvalidOperationException">The execution has ended or is already cancelled.</exception>
    public void Cancel(string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            ThrowIfEnded();
            if (_cancelledBy is not null)
            {
                throw new InvalidOperationException($"Execution {Id} of runbook {Runbook} was already cancelled by {_cancelledBy}.");
            }

            (_cancelledBy, _cancelReason) = (actor, reason);
        }

        // Asynchronously, so the run does not go on on the caller's thread.
        _ = _cancellation.CancelAsync();
    }

    /// <summary>
    /// Waits until the execution needs a person (<see cref="RunbookExecutionStatus.WaitingForPerson"/>) or has ended; a
    /// host can notify someone then. It completes at once while the execution already waits or has ended, so call it
    /// again after the person has acted to hear of the next wait.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The status at that moment.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<RunbookExecutionStatus> WaitForPersonAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<RunbookExecutionStatus> waiter;
        lock (_lock)
        {
            if (_status == RunbookExecutionStatus.WaitingForPerson || IsEnded(_status))
            {
                return Task.FromResult(_status);
            }

            waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add(waiter);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    internal void Start(IRunbookStepExecutor executor, IIncidentStore? store, CancellationToken hostToken) =>
        _ = RunAsync(executor, store, hostToken);

    internal Task<StepOutcome> AwaitPersonAsync(int index, int attempt, CancellationToken cancellationToken)
    {
        TaskCompletionSource<StepOutcome> person;
        List<TaskCompletionSource<RunbookExecutionStatus>> waiters;
        lock (_lock)
        {
            // The attempt too: a late executor of an attempt already cut off must not take the next attempt's wait.
            if (_current != index || _slots[index].Attempts != attempt || _slots[index].State != RunbookStepState.Running || _person is not null)
            {
                throw new InvalidOperationException(Invariant($"Attempt {attempt} of step {Name(index)} of runbook {Runbook} is not running; it cannot wait for a person."));
            }

            person = _person = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _slots[index].State = RunbookStepState.AwaitingResult;
            _status = RunbookExecutionStatus.WaitingForPerson;
            waiters = TakeWaiters();
        }

        Release(waiters, RunbookExecutionStatus.WaitingForPerson);
        return person.Task.WaitAsync(cancellationToken);
    }

    private static bool IsEnded(RunbookExecutionStatus status) => status is not (RunbookExecutionStatus.Running or RunbookExecutionStatus.WaitingForPerson);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Detail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        string line = text.Trim().Split('\n')[0].TrimEnd('\r', '.');
        return ": " + (line.Length > MaxOutputInTimeline ? line[..MaxOutputInTimeline] + "…" : line);
    }

    private static void Release(List<TaskCompletionSource<RunbookExecutionStatus>> waiters, RunbookExecutionStatus status)
    {
        foreach (TaskCompletionSource<RunbookExecutionStatus> waiter in waiters)
        {
            waiter.TrySetResult(status);
        }
    }

    private async Task RunAsync(IRunbookStepExecutor executor, IIncidentStore? store, CancellationToken hostToken)
    {
        using CancellationTokenRegistration host = hostToken.Register(static state => ((RunbookExecution)state!).CancelFromHost(), this);
        CancellationToken token = _cancellation.Token;
        RunbookExecutionStatus final;
        string end;
        string endActor = RunnerActor;
        try
        {
            lock (_lock)
            {
                Record(StartedBy, Invariant($"Runbook {Runbook} '{Runbook.Title}' started by {StartedBy}: {_slots.Length} steps (execution {Id})"));
            }

            await SyncAsync(store).ConfigureAwait(false);
            var failed = new List<string>();
            int? abortedAt = null;
            for (int i = 0; i < _slots.Length && abortedAt is null; i++)
            {
                token.ThrowIfCancellationRequested();
                if (!await RunStepAsync(executor, store, i, token).ConfigureAwait(false))
                {
                    failed.Add(Name(i));
                    abortedAt = Runbook.Steps[i].OnFailure == StepFailurePolicy.Continue ? null : i;
                }

                await SyncAsync(store).ConfigureAwait(false);
            }

            (final, end) = abortedAt is { } at
                ? (RunbookExecutionStatus.Aborted, $"Runbook {Runbook} aborted at step {Name(at)}")
                : failed.Count > 0
                    ? (RunbookExecutionStatus.CompletedWithFailures, $"Runbook {Runbook} completed with failed steps: {string.Join(", ", failed)}")
                    : (RunbookExecutionStatus.Succeeded, $"Runbook {Runbook} succeeded");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            lock (_lock)
            {
                (final, end, endActor) = (RunbookExecutionStatus.Cancelled, $"Runbook {Runbook} cancelled by {_cancelledBy}: {_cancelReason}", _cancelledBy!);
            }
        }
#pragma warning disable CA1031 // The run reports every failure on the execution; it never throws into the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (final, end) = (RunbookExecutionStatus.Aborted, $"Runbook {Runbook} stopped by an unexpected error: {ex.GetType().Name}: {ex.Message}");
        }

        List<TaskCompletionSource<RunbookExecutionStatus>> waiters;
        lock (_lock)
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            // Only a cancelled or broken run stops at a step that has not ended (perhaps confirmed but not started yet).
            if (_current >= 0 && _slots[_current].State is RunbookStepState.Pending or RunbookStepState.Running
                or RunbookStepState.AwaitingConfirmation or RunbookStepState.AwaitingResult)
            {
                _slots[_current].State = RunbookStepState.Cancelled;
                _slots[_current].EndedAt = now;
            }

            (_status, _endedAt, _gate, _person) = (final, now, null, null);
            Record(endActor, end);
            waiters = TakeWaiters();
        }

        await SyncAsync(store).ConfigureAwait(false);
        Release(waiters, final);
        _completion.TrySetResult(final);
    }

    /// <summary>Runs one step, waiting for its confirmation and retrying it as its policy says.</summary>
    /// <returns><see langword="false"/> when the step failed (or timed out) for good.</returns>
    private async Task<bool> RunStepAsync(IRunbookStepExecutor executor, IIncidentStore? store, int index, CancellationToken token)
    {
        Slot slot = _slots[index];
        RunbookStep step = Runbook.Steps[index];
        TaskCompletionSource<bool>? gate = null;
        List<TaskCompletionSource<RunbookExecutionStatus>> waiters = [];
        lock (_lock)
        {
            if (slot.State == RunbookStepState.Skipped)
            {
                return true;
            }

            _current = index;
            if (step.RequiresConfirmation && slot.ConfirmedBy is null)
            {
                slot.State = RunbookStepState.AwaitingConfirmation;
                _status = RunbookExecutionStatus.WaitingForPerson;
                gate = _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
                Record(RunnerActor, $"Step {Name(index)} is waiting for confirmation");
                waiters = TakeWaiters();
            }
        }

        if (gate is not null)
        {
            Release(waiters, RunbookExecutionStatus.WaitingForPerson);
            await SyncAsync(store).ConfigureAwait(false);
            if (!await gate.Task.WaitAsync(token).ConfigureAwait(false))
            {
                return true;
            }
        }

        int attempts = step.OnFailure == StepFailurePolicy.Retry ? step.RetryCount + 1 : 1;
        for (int attempt = 1; ; attempt++)
        {
            lock (_lock)
            {
                if (slot.State == RunbookStepState.Skipped)
                {
                    return true;
                }

                slot.State = RunbookStepState.Running;
                slot.Attempts = attempt;
                slot.StartedAt ??= _timeProvider.GetUtcNow();
                slot.FinishedBy = null;
                _status = RunbookExecutionStatus.Running;
                Record(RunnerActor, attempt == 1 ? $"Step {Name(index)} started" : Invariant($"Step {Name(index)} started again (attempt {attempt} of {attempts})"));
            }

            await SyncAsync(store).ConfigureAwait(false);
            (StepOutcome outcome, bool timedOut) = await AttemptAsync(executor, index, attempt, step.Timeout, token).ConfigureAwait(false);
            bool retry = !outcome.Succeeded && attempt < attempts;
            lock (_lock)
            {
                _person = null;
                _status = RunbookExecutionStatus.Running; // a manual step that timed out no longer waits for a person
                // A person's report that lost the race with the timeout is not theirs to sign.
                slot.FinishedBy = timedOut ? null : slot.FinishedBy;
                string actor = slot.FinishedBy ?? RunnerActor;
                slot.Output = outcome.Output;
                slot.Error = outcome.Succeeded ? null : outcome.Error ?? "The step executor gave no error.";
                string what = timedOut ? "timed out" : "failed";
                if (outcome.Succeeded)
                {
                    (slot.State, slot.EndedAt) = (RunbookStepState.Succeeded, _timeProvider.GetUtcNow());
                    Record(actor, $"Step {Name(index)} succeeded{Detail(outcome.Output)}");
                }
                else if (retry)
                {
                    Record(actor, Invariant($"Step {Name(index)} {what} on attempt {attempt} of {attempts}{Detail(slot.Error)}; retrying"));
                }
                else
                {
                    (slot.State, slot.EndedAt) = (timedOut ? RunbookStepState.TimedOut : RunbookStepState.Failed, _timeProvider.GetUtcNow());
                    string next = step.OnFailure == StepFailurePolicy.Continue ? "continuing" : "aborting";
                    Record(actor, $"Step {Name(index)} {what}{Detail(slot.Error)}; {next}");
                }
            }

            if (!retry)
            {
                return outcome.Succeeded;
            }

            await SyncAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one attempt on the thread pool (so an executor that blocks cannot hold the runner) and stops waiting for it
    /// at the step's timeout, measured by the injected <see cref="TimeProvider"/>, whether or not the executor stops.
    /// </summary>
    private async Task<(StepOutcome Outcome, bool TimedOut)> AttemptAsync(
        IRunbookStepExecutor executor, int index, int attempt, TimeSpan? timeout, CancellationToken token)
    {
        // The timer exists before the executor is called, so a fake clock advanced once the step is seen running cuts it.
        CancellationTokenSource? timeoutSource = timeout is { } limit ? new CancellationTokenSource(limit, _timeProvider) : null;
        CancellationTokenSource linked = timeoutSource is null
            ? CancellationTokenSource.CreateLinkedTokenSource(token)
            : CancellationTokenSource.CreateLinkedTokenSource(token, timeoutSource.Token);
        CancellationToken attemptToken = linked.Token; // read once: the source may be disposed as soon as the executor ends
        var context = new RunbookStepContext(this, index, attempt);
        Task<StepOutcome> task = Task.Run(() => executor.ExecuteAsync(context, attemptToken), CancellationToken.None);

        // Disposed when the executor finishes, not when the runner stops waiting: an executor cut off may still use the token.
        _ = task.ContinueWith(
            t =>
            {
                _ = t.Exception;
                linked.Dispose();
                timeoutSource?.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            StepOutcome? outcome = await task.WaitAsync(attemptToken).ConfigureAwait(false);
            return (outcome ?? StepOutcome.Failure("The step executor returned no outcome."), false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource?.IsCancellationRequested == true)
        {
            return (StepOutcome.Failure(Invariant($"No result within the step's timeout of {timeout:c}")), true);
        }
#pragma warning disable CA1031 // A throwing executor is a failed step, never a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}"), false);
        }
    }

    /// <summary>Adds the entries not yet written to the incident's timeline; never throws.</summary>
    private async Task SyncAsync(IIncidentStore? store)
    {
        if (store is null || IncidentId is null)
        {
            return;
        }

        ImmutableArray<TimelineEntry> pending;
        lock (_lock)
        {
            pending = _timeline[_synced..];
        }

        if (pending.IsEmpty)
        {
            return;
        }

        string? error = null;
        for (int attempt = 1; attempt <= MaxConflictRetries; attempt++)
        {
            try
            {
                Incident? incident = await store.GetAsync(IncidentId, CancellationToken.None).ConfigureAwait(false);
                if (incident is null)
                {
                    error = $"Incident {IncidentId} was not found; the entries are kept on the execution and written when it exists.";
                    break;
                }

                foreach (TimelineEntry entry in pending)
                {
                    // The incident refuses entries older than its last one (another host's clock); keep its order.
                    DateTimeOffset at = incident.Timeline.IsDefaultOrEmpty || entry.At >= incident.Timeline[^1].At ? entry.At : incident.Timeline[^1].At;
                    incident = incident.WithTimelineEntry(entry.Actor, at, TimelineKind, entry.Text);
                }

                await store.UpdateAsync(incident, CancellationToken.None).ConfigureAwait(false);
                lock (_lock)
                {
                    _synced += pending.Length;
                    _timelineError = null;
                }

                return;
            }
            catch (IncidentConflictException)
            {
                error = Invariant($"Incident {IncidentId} changed under every one of {MaxConflictRetries} writes; the entries are written at the next change.");
            }
#pragma warning disable CA1031 // A store failure is reported on the execution, never thrown into the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = $"Writing to incident {IncidentId} failed ({ex.GetType().Name}: {ex.Message}); the entries are written at the next change.";
                break;
            }
        }

        lock (_lock)
        {
            _timelineError = error;
        }
    }

    private void Report(string stepId, string actor, StepOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        int index = IndexOf(stepId);
        TaskCompletionSource<StepOutcome> person;
        lock (_lock)
        {
            ThrowIfEnded();
            Slot slot = _slots[index];
            if (slot.State != RunbookStepState.AwaitingResult || _person is null || _current != index)
            {
                throw new InvalidOperationException($"Step '{stepId}' of runbook {Runbook} is {slot.State}; only a step awaiting a person's result can be reported done or failed.");
            }

            (person, _person) = (_person, null);
            slot.State = RunbookStepState.Running;
            slot.FinishedBy = actor;
            _status = RunbookExecutionStatus.Running;
        }

        person.TrySetResult(outcome);
    }

    private void CancelFromHost()
    {
        lock (_lock)
        {
            if (IsEnded(_status) || _cancelledBy is not null)
            {
                return;
            }

            (_cancelledBy, _cancelReason) = (RunnerActor, "the host stopped the run");
        }

        _ = _cancellation.CancelAsync();
    }

    private int IndexOf(string stepId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        for (int i = 0; i < Runbook.Steps.Length; i++)
        {
            if (string.Equals(Runbook.Steps[i].Id, stepId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"Runbook {Runbook} has no step '{stepId}'.", nameof(stepId));
    }

    private void ThrowIfEnded()
    {
        if (IsEnded(_status))
        {
            throw new InvalidOperationException($"Execution {Id} of runbook {Runbook} has ended ({_status}); it can no longer change.");
        }
    }

    private string Name(int index) => Invariant($"{index + 1}/{_slots.Length} '{Runbook.Steps[index].Id}'");

    private void Record(string actor, string text) =>
        _timeline = _timeline.Add(new TimelineEntry(_timeProvider.GetUtcNow(), actor, TimelineKind, text));

    private List<TaskCompletionSource<RunbookExecutionStatus>> TakeWaiters()
    {
        List<TaskCompletionSource<RunbookExecutionStatus>> taken = [.. _waiters];
        _waiters.Clear();
        return taken;
    }

    private RunbookStepProgress Snapshot(int index)
    {
        Slot s = _slots[index];
        return new(Runbook.Steps[index], s.State, s.Attempts, s.StartedAt, s.EndedAt, s.Output, s.Error, s.ConfirmedBy, s.FinishedBy, s.SkipReason);
    }

    private sealed class Slot
    {
        public RunbookStepState State { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? EndedAt { get; set; }

        public string? Output { get; set; }

        public string? Error { get; set; }

        public string? ConfirmedBy { get; set; }

        public string? FinishedBy { get; set; }

        public string? SkipReason { get; set; }
    }
}
