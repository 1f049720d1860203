using static Musubi.Monitoring.Releases.Tests.Canary.ScriptedMetrics;

namespace Musubi.Monitoring.Releases.Tests.Canary;

public sealed class CanaryRollbackTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private static CanaryAnalysis Analysis(int count = 2) => new([CanaryHarness.SuccessRate()]) { Interval = s_interval, Count = count };

    [Fact]
    public async Task AbortAsync_AwaitingApproval_RunsTheGeneratedProcedureAndRecordsEveryStep()
    {
        var h = new CanaryHarness();
        var log = h.Log;
        var plan = new CanaryPlan(
            [CanaryStep.SetWeight(25), CanaryStep.PauseUntilApproved(), CanaryStep.Analyze(Analysis())],
            [new RecordingStep("drain canary pods", log)]);
        CanaryRun run = await h.StartAsync(plan, "checkout-v2", "new-pricing");
        Assert.Equal(CanaryState.AwaitingApproval, run.State);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        CanaryState final = await run.AbortAsync("latency complaints");

        Assert.Equal(CanaryState.RolledBack, final);
        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal(0, run.Weight);
        Assert.Equal("latency complaints", run.RollbackReason);
        Assert.Equal(["weight 25", "weight 0", "disable checkout-v2", "disable new-pricing", "drain canary pods"], log);
        Assert.Equal("1. set canary weight to 0%\n2. disable flag 'checkout-v2'\n3. disable flag 'new-pricing'\n4. drain canary pods", run.RollbackProcedure.ToString());

        Assert.Equal(
            [CanaryState.Progressing, CanaryState.AwaitingApproval, CanaryState.Aborted, CanaryState.RollingBack, CanaryState.RolledBack],
            run.History.Where(e => e.Kind == CanaryEventKind.StateChanged).Select(e => e.State));
        Assert.Equal(
            ["set canary weight to 0%", "disable flag 'checkout-v2'", "disable flag 'new-pricing'", "drain canary pods"],
            run.History.Where(e => e.Kind == CanaryEventKind.RollbackStepSucceeded).Select(e => e.Detail));
        CanaryEvent aborted = run.History.Single(e => e.State == CanaryState.Aborted);
        Assert.Equal(CanaryHarness.Start.AddSeconds(30), aborted.Time);
        Assert.Equal("rel-42", aborted.ReleaseId);
        Assert.Equal(run.History, h.History.Events);
    }

    [Fact]
    public async Task AbortAsync_TimedPause_RollsBackAndThePauseNeverEnds()
    {
        var h = new CanaryHarness();
        var plan = new CanaryPlan([CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50), CanaryStep.Analyze(Analysis())]);
        CanaryRun run = await h.StartAsync(plan, "checkout-v2");
        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(CanaryState.Paused, run.State);

        await run.AbortAsync("manual");
        h.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal([10, 0], h.Router.Weights);
        Assert.Equal(["checkout-v2"], h.Flags.Disabled);
        Assert.Empty(h.Scripted.Calls);
    }

    [Fact]
    public async Task Pause_Elapsed_NextStepRunsAtTheRightTime()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(1));
        var plan = new CanaryPlan([CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50), CanaryStep.Analyze(Analysis())]);
        CanaryRun run = await h.StartAsync(plan);

        h.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Equal(CanaryState.Paused, run.State);
        h.Time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(CanaryState.Analyzing, run.State);
        Assert.Equal(50, run.Weight);
        CanaryEvent weight = run.History.Last(e => e.Kind == CanaryEventKind.WeightSet);
        Assert.Equal((CanaryHarness.Start.AddMinutes(5), 2), (weight.Time, weight.StepIndex));
    }

    [Fact]
    public async Task AbortAsync_Analyzing_StopsMeasuringAndCancelsTheAnalysis()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(1));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 5)));
        h.Time.Advance(s_interval);

        await run.AbortAsync("stop");
        h.Intervals(5, s_interval);

        Assert.Single(h.Scripted.Calls);
        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Cancelled, result.Phase);
        Assert.Equal("the run was aborted: stop", result.Reason);
        Assert.Equal(CanaryState.RolledBack, run.State);
    }

    [Fact]
    public async Task AbortAsync_TwiceOrAfterFailure_ReturnsTheFinalStateWithoutRunningTheProcedureAgain()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(0.5));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis()));
        h.Time.Advance(s_interval);
        Assert.Equal(CanaryState.RolledBack, run.State);

        Assert.Equal(CanaryState.RolledBack, await run.AbortAsync("again"));

        Assert.Equal([10, 0], h.Router.Weights);
        Assert.StartsWith("analysis failed: metric 'success-rate' had 1 failed", run.RollbackReason);
    }

    [Fact]
    public async Task AbortAsync_Succeeded_Throws()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(1));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 1)));
        h.Time.Advance(s_interval);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run.AbortAsync("too late"));
        Assert.Contains("'rel-42' has Succeeded", ex.Message);
    }

    [Fact]
    public async Task Rollback_StepThrows_LaterStepsStillRunAndStateIsRollbackFailed()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(0));
        var plan = CanaryHarness.Plan(Analysis(), new RecordingStep("restore config", h.Log, fail: true), new RecordingStep("notify team", h.Log));
        CanaryRun run = await h.StartAsync(plan, "checkout-v2");

        h.Time.Advance(s_interval);

        Assert.Equal(CanaryState.RollbackFailed, await run.Completion);
        Assert.Equal(["weight 10", "weight 0", "disable checkout-v2", "restore config", "notify team"], h.Log);
        CanaryEvent failed = Assert.Single(run.History, e => e.Kind == CanaryEventKind.RollbackStepFailed);
        Assert.Equal("restore config: InvalidOperationException: restore config broke", failed.Detail);
    }

    [Fact]
    public async Task StartAsync_RouterThrowsOnAWeightStep_RollsBack()
    {
        var h = new CanaryHarness();
        h.Router.FailAt = 10;
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis()));

        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal([0], h.Router.Weights);
        Assert.Equal("setting the canary weight to 10% threw InvalidOperationException: router unavailable", run.RollbackReason);
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.StepFailed && e.StepIndex == 0);
    }

    [Fact]
    public async Task ApproveAsync_NotAwaitingApproval_ThrowsNamingTheState()
    {
        var h = new CanaryHarness();
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run.ApproveAsync());
        Assert.Equal("The canary run of release 'rel-42' is Analyzing; only a run that is AwaitingApproval can be approved.", ex.Message);
    }

    [Fact]
    public async Task ApproveAsync_ApprovalStep_GoesOnToTheNextStep()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(1));
        var plan = new CanaryPlan([CanaryStep.SetWeight(20), CanaryStep.PauseUntilApproved(), CanaryStep.SetWeight(100), CanaryStep.Analyze(Analysis(count: 1))]);
        CanaryRun run = await h.StartAsync(plan);

        await run.ApproveAsync();
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        Assert.Equal(CanaryState.Succeeded, run.State);
        Assert.Equal([20, 100], h.Router.Weights); // already at 100: the promotion sets nothing more
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.Approved && e.StepIndex == 1);
    }

    [Fact]
    public async Task History_SinkThrows_RunGoesOnAndRecordsTheFailure()
    {
        var metrics = new ScriptedMetrics().Script("success-rate", Value(1));
        var controller = new CanaryController(metrics, new RecordingRouter([]), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(), history: new ThrowingHistory());

        CanaryRun run = await controller.StartAsync("rel-1", CanaryHarness.Plan(Analysis()));

        Assert.Equal(CanaryState.Analyzing, run.State);
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.HistoryWriteFailed && e.Detail.EndsWith("IOException: disk full"));
    }

    private sealed class ThrowingHistory : ICanaryHistory
    {
        public ValueTask RecordAsync(CanaryEvent canaryEvent, CancellationToken cancellationToken) => throw new IOException("disk full");
    }
}
