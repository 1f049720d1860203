using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Runbooks;

public sealed class RunbookExecutionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RunbookStep Step(string id) => new() { Id = id, Text = "Do " + id };

    private static Runbook Book(params RunbookStep[] steps) => new("restart-api", "Restart the API", 2, steps);

    private static async Task<RunbookExecutionStatus> Finish(RunbookExecution execution) => await execution.Completion.WaitAsync(Guard, Ct);

    private static async Task<RunbookExecutionStatus> Waiting(RunbookExecution execution) => await execution.WaitForPersonAsync().WaitAsync(Guard, Ct);

    private RunbookRunner Runner(Func<RunbookStepContext, CancellationToken, Task<StepOutcome>> execute, IIncidentStore? store = null) =>
        new(new DelegateStepExecutor(execute), _time, store);

    [Fact]
    public async Task Start_EveryStepSucceeds_RunsThemInOrderToFullProgress()
    {
        var order = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            order.Enqueue(c.Step.Id + "#" + c.Attempt);
            return Task.FromResult(StepOutcome.Success("ok " + c.Step.Id));
        });

        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("restart"), Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Equal(["drain#1", "restart#1", "verify#1"], order);
        Assert.Equal(100m, execution.ProgressPercent);
        Assert.Null(execution.CurrentStep);
        Assert.All(execution.Steps, s => Assert.Equal((RunbookStepState.Succeeded, 1, T0, T0), (s.State, s.Attempts, s.StartedAt, s.EndedAt)));
        Assert.Equal("ok restart", execution.Steps[1].Output);
        Assert.Equal(T0, execution.EndedAt);
        Assert.Equal(RunbookExecutionStatus.Succeeded, execution.Status);
        Assert.StartsWith("Runbook restart-api v2 'Restart the API' started by ana: 3 steps", execution.Timeline[0].Text, StringComparison.Ordinal);
        Assert.Equal("Runbook restart-api v2 succeeded", execution.Timeline[^1].Text);
    }

    [Fact]
    public async Task ProgressPercent_WaitingAtSecondOfThreeSteps_IsOneThirdAndCurrentStepIsTheGate()
    {
        var calls = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            calls.Enqueue(c.Step.Id);
            return Task.FromResult(StepOutcome.Success());
        });
        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("restart") with { RequiresConfirmation = true }, Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.WaitingForPerson, await Waiting(execution));

        Assert.Equal(33.3m, execution.ProgressPercent);
        Assert.Equal(("restart", RunbookStepState.AwaitingConfirmation), (execution.CurrentStep!.Step.Id, execution.CurrentStep.State));
        Assert.Equal(["drain"], calls);
        execution.Cancel("ana", "test over");
        Assert.Equal(RunbookExecutionStatus.Cancelled, await Finish(execution));
    }

    [Fact]
    public async Task Start_FailingStepWithAbort_StopsAndLeavesTheRestPending()
    {
        var calls = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            calls.Enqueue(c.Step.Id);
            return Task.FromResult(c.Step.Id == "restart" ? StepOutcome.Failure("exit code 1", "boom") : StepOutcome.Success());
        });

        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("restart"), Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.Equal(["drain", "restart"], calls);
        Assert.Equal([RunbookStepState.Succeeded, RunbookStepState.Failed, RunbookStepState.Pending], execution.Steps.Select(s => s.State));
        Assert.Equal(("exit code 1", "boom"), (execution.Steps[1].Error, execution.Steps[1].Output));
        Assert.Equal(66.7m, execution.ProgressPercent);
        Assert.Contains(execution.Timeline, e => e.Text == "Step 2/3 'restart' failed: exit code 1; aborting");
        Assert.Equal("Runbook restart-api v2 aborted at step 2/3 'restart'", execution.Timeline[^1].Text);
    }

    [Fact]
    public async Task Start_FailingStepWithContinue_RunsTheRestAndCompletesWithFailures()
    {
        var calls = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            calls.Enqueue(c.Step.Id);
            return Task.FromResult(c.Step.Id == "restart" ? StepOutcome.Failure("exit code 1") : StepOutcome.Success());
        });

        RunbookExecution execution = runner.Start(
            Book(Step("drain"), Step("restart") with { OnFailure = StepFailurePolicy.Continue }, Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.CompletedWithFailures, await Finish(execution));
        Assert.Equal(["drain", "restart", "verify"], calls);
        Assert.Equal([RunbookStepState.Succeeded, RunbookStepState.Failed, RunbookStepState.Succeeded], execution.Steps.Select(s => s.State));
        Assert.Equal(100m, execution.ProgressPercent);
        Assert.Equal("Runbook restart-api v2 completed with failed steps: 2/3 'restart'", execution.Timeline[^1].Text);
    }

    [Fact]
    public async Task Start_AlwaysFailingStepWithRetry_MakesRetryCountPlusOneAttemptsThenAborts()
    {
        int attempts = 0;
        RunbookRunner runner = Runner((c, _) =>
        {
            Interlocked.Increment(ref attempts);
            return Task.FromResult(StepOutcome.Failure("attempt " + c.Attempt));
        });

        RunbookExecution execution = runner.Start(
            Book(Step("restart") with { OnFailure = StepFailurePolicy.Retry, RetryCount = 2 }, Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.Equal(3, attempts);
        Assert.Equal((RunbookStepState.Failed, 3, "attempt 3"), (execution.Steps[0].State, execution.Steps[0].Attempts, execution.Steps[0].Error));
        Assert.Equal(RunbookStepState.Pending, execution.Steps[1].State);
        Assert.Contains(execution.Timeline, e => e.Text == "Step 1/2 'restart' failed on attempt 2 of 3: attempt 2; retrying");
        Assert.Contains(execution.Timeline, e => e.Text == "Step 1/2 'restart' started again (attempt 3 of 3)");
    }

    [Fact]
    public async Task Start_StepWithRetrySucceedingOnSecondAttempt_StopsRetryingAndGoesOn()
    {
        var attempts = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            attempts.Enqueue(c.Step.Id + "#" + c.Attempt);
            return Task.FromResult(c.Step.Id == "restart" && c.Attempt == 1 ? StepOutcome.Failure("flaky") : StepOutcome.Success());
        });

        RunbookExecution execution = runner.Start(
            Book(Step("restart") with { OnFailure = StepFailurePolicy.Retry, RetryCount = 5 }, Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Equal(["restart#1", "restart#2", "verify#1"], attempts);
        Assert.Equal((RunbookStepState.Succeeded, 2, null), (execution.Steps[0].State, execution.Steps[0].Attempts, execution.Steps[0].Error));
    }

    [Fact]
    public async Task Start_StepThatNeverCompletes_IsCutOffWhenTheFakeClockPassesItsTimeout()
    {
        var restartStarted = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunbookRunner runner = Runner((c, ct) =>
        {
            if (c.Step.Id != "restart")
            {
                return Task.FromResult(StepOutcome.Success());
            }

            restartStarted.TrySetResult(ct);
            return new TaskCompletionSource<StepOutcome>().Task; // never completes and ignores cancellation
        });
        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("restart") with { Timeout = TimeSpan.FromMinutes(5) }, Step("verify")), "ana", cancellationToken: Ct);
        CancellationToken token = await restartStarted.Task.WaitAsync(Guard, Ct);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.False(token.IsCancellationRequested);
        Assert.False(execution.Completion.IsCompleted);
        Assert.Equal(RunbookStepState.Running, execution.CurrentStep!.State);

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.True(token.IsCancellationRequested);
        RunbookStepProgress restart = execution.Steps[1];
        Assert.Equal((RunbookStepState.TimedOut, 1), (restart.State, restart.Attempts));
        Assert.Equal("No result within the step's timeout of 00:05:00", restart.Error);
        Assert.Equal(T0.AddMinutes(5), restart.EndedAt);
        Assert.Equal(RunbookStepState.Pending, execution.Steps[2].State);
        Assert.Contains(execution.Timeline, e => e.Text == "Step 2/3 'restart' timed out: No result within the step's timeout of 00:05:00; aborting");
    }

    [Fact]
    public async Task Start_ExecutorThatBlocksItsThread_IsStillCutOffAtTheTimeout()
    {
        using var blocking = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RunbookRunner runner = Runner((_, _) =>
        {
            started.TrySetResult();
            blocking.Wait(CancellationToken.None); // a synchronous executor that never looks at its token
            return Task.FromResult(StepOutcome.Success("too late"));
        });
        RunbookExecution execution = runner.Start(Book(Step("restart") with { Timeout = TimeSpan.FromSeconds(30) }), "ana", cancellationToken: Ct);
        await started.Task.WaitAsync(Guard, Ct);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.Equal(RunbookStepState.TimedOut, execution.Steps[0].State);
        blocking.Set();
    }

    [Fact]
    public async Task Start_TimingOutStepWithRetry_TimesOutEachAttemptThenAborts()
    {
        using var started = new SemaphoreSlim(0);
        RunbookRunner runner = Runner((_, _) =>
        {
            started.Release();
            return new TaskCompletionSource<StepOutcome>().Task;
        });
        RunbookExecution execution = runner.Start(
            Book(Step("restart") with { Timeout = TimeSpan.FromMinutes(1), OnFailure = StepFailurePolicy.Retry, RetryCount = 1 }), "ana", cancellationToken: Ct);

        Assert.True(await started.WaitAsync(Guard, Ct));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await started.WaitAsync(Guard, Ct));
        Assert.Equal(2, execution.Steps[0].Attempts);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.Equal((RunbookStepState.TimedOut, 2, T0.AddMinutes(2)), (execution.Steps[0].State, execution.Steps[0].Attempts, execution.Steps[0].EndedAt));
        Assert.Equal(0, started.CurrentCount);
    }

    [Fact]
    public async Task Confirm_GateStep_HoldsTheStepUntilConfirmedHoweverLongItWaits()
    {
        var calls = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            calls.Enqueue(c.Step.Id);
            return Task.FromResult(StepOutcome.Success());
        });
        RunbookExecution execution = runner.Start(Book(Step("restart") with { RequiresConfirmation = true, Timeout = TimeSpan.FromMinutes(1) }, Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.WaitingForPerson, await Waiting(execution));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(RunbookExecutionStatus.WaitingForPerson, execution.Status);
        Assert.Equal(RunbookStepState.AwaitingConfirmation, execution.Steps[0].State);
        Assert.Empty(calls);

        execution.Confirm("restart", "ben");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Equal(["restart", "verify"], calls);
        Assert.Equal(("ben", RunbookStepState.Succeeded), (execution.Steps[0].ConfirmedBy, execution.Steps[0].State));
        Assert.Contains(execution.Timeline, e => e.Actor == "ben" && e.Text == "Step 1/2 'restart' confirmed by ben");
        Assert.Throws<InvalidOperationException>(() => execution.Confirm("restart", "ben"));
    }

    [Fact]
    public async Task Confirm_BeforeTheStepIsReached_RunsItWithoutWaiting()
    {
        var release = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunbookRunner runner = Runner((c, _) => c.Step.Id == "drain" ? release.Task : Task.FromResult(StepOutcome.Success()));
        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("restart") with { RequiresConfirmation = true }), "ana", cancellationToken: Ct);

        execution.Confirm("restart", "ben");
        release.SetResult(StepOutcome.Success());

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.DoesNotContain(execution.Timeline, e => e.Text.Contains("waiting for confirmation", StringComparison.Ordinal));
    }

    [Fact]
    public void Confirm_StepWithoutGateOrUnknownStep_ThrowsNamingTheStep()
    {
        RunbookExecution execution = Runner((_, _) => new TaskCompletionSource<StepOutcome>().Task).Start(Book(Step("drain"), Step("verify")), "ana", cancellationToken: Ct);

        Assert.Contains("'verify'", Assert.Throws<InvalidOperationException>(() => execution.Confirm("verify", "ben")).Message, StringComparison.Ordinal);
        Assert.Contains("no step 'nope'", Assert.Throws<ArgumentException>(() => execution.Confirm("nope", "ben")).Message, StringComparison.Ordinal);
        execution.Cancel("ana", "done");
    }

    [Fact]
    public async Task Skip_StepAwaitingConfirmationAndAPendingOne_NeitherRunsAndTheRunSucceeds()
    {
        var calls = new ConcurrentQueue<string>();
        RunbookRunner runner = Runner((c, _) =>
        {
            calls.Enqueue(c.Step.Id);
            return Task.FromResult(StepOutcome.Success());
        });
        RunbookExecution execution = runner.Start(
            Book(Step("restart") with { RequiresConfirmation = true }, Step("purge-cache"), Step("verify")), "ana", cancellationToken: Ct);
        await Waiting(execution);

        execution.Skip("purge-cache", "ben", "cache is cold already");
        execution.Skip("restart", "ben", "already restarted by hand");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Equal(["verify"], calls);
        RunbookStepProgress restart = execution.Steps[0];
        Assert.Equal((RunbookStepState.Skipped, 0, "ben", "already restarted by hand"), (restart.State, restart.Attempts, restart.FinishedBy, restart.SkipReason));
        Assert.Equal(RunbookStepState.Skipped, execution.Steps[1].State);
        Assert.Equal(100m, execution.ProgressPercent);
        Assert.Contains(execution.Timeline, e => e.Text == "Step 2/3 'purge-cache' skipped by ben: cache is cold already");
        Assert.Throws<InvalidOperationException>(() => execution.Skip("verify", "ben", "too late"));
    }

    [Fact]
    public async Task Skip_StepThatHasRun_Throws()
    {
        RunbookRunner runner = Runner((_, _) => Task.FromResult(StepOutcome.Success()));
        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("verify") with { RequiresConfirmation = true }), "ana", cancellationToken: Ct);
        await Waiting(execution);

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => execution.Skip("drain", "ben", "no"));
        Assert.Contains("'drain' of runbook restart-api v2 is Succeeded", ex.Message, StringComparison.Ordinal);
        execution.Cancel("ana", "done");
        Assert.Equal(RunbookExecutionStatus.Cancelled, await Finish(execution));
    }

    [Fact]
    public async Task Start_DelegateThatThrows_FailsTheStepWithoutCrashing()
    {
        RunbookRunner runner = Runner((c, _) => c.Step.Id == "sync"
            ? throw new InvalidOperationException("kubectl not found")
            : ThrowLater());

        RunbookExecution execution = runner.Start(
            Book(Step("sync") with { OnFailure = StepFailurePolicy.Continue }, Step("async") with { OnFailure = StepFailurePolicy.Continue }), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.CompletedWithFailures, await Finish(execution));
        Assert.Equal("InvalidOperationException: kubectl not found", execution.Steps[0].Error);
        Assert.Equal("TimeoutException: no answer", execution.Steps[1].Error);
        Assert.All(execution.Steps, s => Assert.Equal(RunbookStepState.Failed, s.State));

        static async Task<StepOutcome> ThrowLater()
        {
            await Task.Yield();
            throw new TimeoutException("no answer");
        }
    }

    [Fact]
    public async Task Cancel_WhileAStepRuns_CancelsItsTokenAndEndsCancelled()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunbookRunner runner = Runner((_, ct) =>
        {
            started.TrySetResult(ct);
            return Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => StepOutcome.Success(), TaskScheduler.Default);
        });
        RunbookExecution execution = runner.Start(Book(Step("drain"), Step("verify")), "ana", cancellationToken: Ct);
        CancellationToken token = await started.Task.WaitAsync(Guard, Ct);

        execution.Cancel("ben", "wrong runbook");

        Assert.Equal(RunbookExecutionStatus.Cancelled, await Finish(execution));
        Assert.True(token.IsCancellationRequested);
        Assert.Equal([RunbookStepState.Cancelled, RunbookStepState.Pending], execution.Steps.Select(s => s.State));
        Assert.Equal(("ben", "Runbook restart-api v2 cancelled by ben: wrong runbook"), (execution.Timeline[^1].Actor, execution.Timeline[^1].Text));
        Assert.Throws<InvalidOperationException>(() => execution.Cancel("ben", "again"));
    }

    [Fact]
    public async Task Start_HostTokenCancelled_EndsCancelled()
    {
        using var host = new CancellationTokenSource();
        RunbookRunner runner = Runner((_, _) => Task.FromResult(StepOutcome.Success()));
        RunbookExecution execution = runner.Start(Book(Step("drain") with { RequiresConfirmation = true }), "ana", cancellationToken: host.Token);
        await Waiting(execution);

        await host.CancelAsync();

        Assert.Equal(RunbookExecutionStatus.Cancelled, await Finish(execution));
        Assert.Equal(RunbookStepState.Cancelled, execution.Steps[0].State);
        Assert.Equal(RunbookExecution.RunnerActor, execution.Timeline[^1].Actor);
    }

    [Fact]
    public async Task ConfirmSkipAndCancel_RacingFromThreeThreads_OneWinsAndTheRunAlwaysEnds()
    {
        for (int run = 0; run < 40; run++)
        {
            int restartRuns = 0;
            RunbookRunner runner = Runner((c, _) =>
            {
                if (c.Step.Id == "restart")
                {
                    Interlocked.Increment(ref restartRuns);
                }

                return Task.FromResult(StepOutcome.Success());
            });
            RunbookExecution execution = runner.Start(Book(Step("restart") with { RequiresConfirmation = true }, Step("verify")), "ana", cancellationToken: Ct);
            await Waiting(execution);

            Action[] actions =
            [
                () => execution.Confirm("restart", "ben"),
                () => execution.Skip("restart", "carla", "not needed"),
                () => execution.Cancel("dan", "wrong runbook"),
            ];
            Exception?[] errors = await Task.WhenAll(actions.Select(a => Task.Run(() =>
            {
                try
                {
                    a();
                    return null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            }, Ct)));

            RunbookExecutionStatus status = await Finish(execution);
            Assert.All(errors, e => Assert.True(e is null or InvalidOperationException, e?.ToString()));
            RunbookStepState restart = execution.Steps[0].State;
            Assert.Contains(restart, new[] { RunbookStepState.Succeeded, RunbookStepState.Skipped, RunbookStepState.Cancelled });
            Assert.Equal(restart == RunbookStepState.Skipped ? 0 : restartRuns, restartRuns);
            Assert.True(status is RunbookExecutionStatus.Succeeded or RunbookExecutionStatus.Cancelled, status.ToString());
        }
    }

    [Fact]
    public void Start_InvalidArguments_Throw()
    {
        var runner = new RunbookRunner(timeProvider: _time);

        Assert.Throws<ArgumentNullException>(() => runner.Start(null!, "ana", cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => runner.Start(Book(Step("a")), " ", cancellationToken: Ct));
        ArgumentException noStore = Assert.Throws<ArgumentException>(() => runner.Start(Book(Step("a")), "ana", "INC-1", Ct));
        Assert.Contains("incident INC-1", noStore.Message, StringComparison.Ordinal);
    }
}
