using static Musubi.Monitoring.Releases.Tests.Canary.ScriptedMetrics;

namespace Musubi.Monitoring.Releases.Tests.Canary;

public sealed class CanaryAnalysisTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private static CanaryAnalysis Analysis(int count = 3, int failureLimit = 0, NoDataPolicy noData = NoDataPolicy.Fail, int consecutiveErrorLimit = 4, int inconclusiveLimit = 0)
        => new([CanaryHarness.SuccessRate()])
        {
            Interval = s_interval,
            Count = count,
            FailureLimit = failureLimit,
            NoDataPolicy = noData,
            ConsecutiveErrorLimit = consecutiveErrorLimit,
            InconclusiveLimit = inconclusiveLimit,
        };

    [Fact]
    public async Task FailureLimit_OneWithOneFailedMeasurement_Successful()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(0.95), Value(0.999), Value(1));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(failureLimit: 1)));

        h.Intervals(3, s_interval);

        CanaryAnalysisResult analysis = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Successful, analysis.Phase);
        Assert.Equal(new AnalysisMetricResult("success-rate", 2, 1, 0, 0, 0, 0), Assert.Single(analysis.Metrics));
        Assert.Equal(CanaryState.Succeeded, run.State);
        Assert.Equal([10, 100], h.Router.Weights);
        Assert.Equal(CanaryState.Succeeded, await run.Completion);
    }

    [Fact]
    public async Task FailureLimit_OneWithTwoFailedMeasurements_FailedAndRolledBack()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(0.95), Value(0.999), Value(0.9));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 5, failureLimit: 1)), "checkout-v2");

        h.Intervals(2, s_interval);
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        CanaryAnalysisResult analysis = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Failed, analysis.Phase);
        Assert.Equal("metric 'success-rate' had 2 failed measurements, more than the failure limit 1", analysis.Reason);
        Assert.Equal(3, analysis.Measurements.Count);
        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal(0, run.Weight);
        Assert.Equal(["checkout-v2"], h.Flags.Disabled);
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.StateChanged && e.State == CanaryState.Failed);
    }

    [Fact]
    public async Task FailureLimit_ZeroWithOneFailedMeasurement_Failed()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(0.98));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 5, failureLimit: 0)));

        h.Time.Advance(s_interval);

        Assert.Equal(AnalysisPhase.Failed, Assert.Single(run.Analyses).Phase);
        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal([10, 0], h.Router.Weights);
    }

    [Fact]
    public async Task NoDataPolicy_DefaultFailForMoreIntervalsThanTheFailureLimit_RollsBack()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", NoData());
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 10, failureLimit: 2)));

        h.Intervals(2, s_interval);
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        CanaryAnalysisResult analysis = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Failed, analysis.Phase);
        Assert.Equal(new AnalysisMetricResult("success-rate", 0, 3, 0, 0, 0, 3), analysis.Metrics[0]);
        Assert.All(analysis.Measurements, m => Assert.Equal(MeasurementOutcome.NoData, m.Outcome));
        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal(0, run.Weight);
    }

    [Fact]
    public async Task NoDataPolicy_ErrorForMoreIntervalsThanTheConsecutiveErrorLimit_RollsBack()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", NoData());
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 10, noData: NoDataPolicy.Error, consecutiveErrorLimit: 2)));

        h.Intervals(2, s_interval);
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        Assert.Equal(new AnalysisMetricResult("success-rate", 0, 0, 0, 3, 3, 3), Assert.Single(run.Analyses).Metrics[0]);
        Assert.Equal(CanaryState.RolledBack, run.State);
    }

    [Fact]
    public async Task NoDataPolicy_InconclusiveForMoreIntervalsThanTheInconclusiveLimit_PausesForApproval()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", NoData());
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 10, noData: NoDataPolicy.Inconclusive, inconclusiveLimit: 1)));

        h.Time.Advance(s_interval);
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        Assert.Equal(AnalysisPhase.Inconclusive, Assert.Single(run.Analyses).Phase);
        Assert.Equal(CanaryState.AwaitingApproval, run.State);
        Assert.Equal(10, run.Weight);

        // Paused: no more measurements while waiting.
        h.Intervals(5, s_interval);
        Assert.Equal(2, h.Scripted.Calls.Count);
    }

    [Fact]
    public async Task Analysis_OnlyNoDataAndInconclusiveMeasurements_NeverSuccessful()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("latency", NoData(), Value(0.7), NoData(), Value(0.6));
        var metric = new AnalysisMetric("latency", CanaryQuery.P99Latency(), AnalysisCondition.AtMost(0.5), AnalysisCondition.Above(1));
        var analysis = new CanaryAnalysis([metric]) { Interval = s_interval, Count = 4, NoDataPolicy = NoDataPolicy.Ignore, InconclusiveLimit = 10 };
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(analysis));

        h.Intervals(4, s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Inconclusive, result.Phase);
        Assert.Equal("metric 'latency' had no successful measurement in 4", result.Reason);
        Assert.Equal(new AnalysisMetricResult("latency", 0, 0, 2, 0, 0, 2), result.Metrics[0]);
        Assert.Equal(CanaryState.AwaitingApproval, run.State);
        Assert.DoesNotContain(run.History, e => e.State == CanaryState.Succeeded);
        Assert.Equal([10], h.Router.Weights);
    }

    [Fact]
    public async Task ApproveAsync_AfterInconclusiveAnalysis_MeasuresAgainFromNothing()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", NoData(), Value(1));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 1, noData: NoDataPolicy.Inconclusive)));
        h.Time.Advance(s_interval);
        Assert.Equal(CanaryState.AwaitingApproval, run.State);

        await run.ApproveAsync();
        Assert.Equal(CanaryState.Analyzing, run.State);
        h.Time.Advance(s_interval);

        Assert.Equal([AnalysisPhase.Inconclusive, AnalysisPhase.Successful], run.Analyses.Select(a => a.Phase));
        Assert.Equal(new AnalysisMetricResult("success-rate", 1, 0, 0, 0, 0, 0), run.Analyses[1].Metrics[0]);
        Assert.Equal(CanaryState.Succeeded, run.State);
        Assert.Equal([CanaryHarness.Start, CanaryHarness.Start + s_interval], h.Scripted.Begins);
    }

    [Fact]
    public async Task ConsecutiveErrorLimit_ErrorsBrokenBySuccesses_NotFailed()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Throws(), Value(1), Throws(), Value(1));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 4, consecutiveErrorLimit: 1)));

        h.Intervals(4, s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Successful, result.Phase);
        Assert.Equal(new AnalysisMetricResult("success-rate", 2, 0, 0, 2, 0, 0), result.Metrics[0]);
        Assert.Equal("error: InvalidOperationException: metrics backend down", result.Measurements[0].Measurement.ToString());
    }

    [Fact]
    public async Task ConsecutiveErrorLimit_MoreErrorsInARow_FailedAndRolledBack()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("success-rate", Value(1), Throws(), Throws());
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(Analysis(count: 5, consecutiveErrorLimit: 1)));

        h.Intervals(3, s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Failed, result.Phase);
        Assert.Equal("metric 'success-rate' had 2 errors in a row, more than the consecutive-error limit 1", result.Reason);
        Assert.Equal(CanaryState.RolledBack, run.State);
    }

    [Fact]
    public async Task Analysis_Windows_FollowEachOtherFromTheAnalysisStart()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("a", Value(1)).Script("b", Value(1));
        var analysis = new CanaryAnalysis([CanaryHarness.SuccessRate("a"), CanaryHarness.SuccessRate("b")]) { Interval = s_interval, Count = 2 };
        CanaryRun run = await h.StartAsync(new CanaryPlan([CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromMinutes(10)), CanaryStep.Analyze(analysis)]));

        h.Time.Advance(TimeSpan.FromMinutes(10));
        h.Intervals(2, s_interval);

        DateTimeOffset start = CanaryHarness.Start.AddMinutes(10);
        Assert.Equal(
            [("a", new CanaryWindow(start, start.AddMinutes(1))), ("b", new CanaryWindow(start, start.AddMinutes(1))),
             ("a", new CanaryWindow(start.AddMinutes(1), start.AddMinutes(2))), ("b", new CanaryWindow(start.AddMinutes(1), start.AddMinutes(2)))],
            h.Scripted.Calls);
        Assert.Equal(CanaryState.Succeeded, run.State);
    }

    [Fact]
    public async Task Analysis_FailureConditionNotMet_Inconclusive()
    {
        var h = new CanaryHarness();
        h.Scripted.Script("errors", Value(0.03));
        var metric = new AnalysisMetric("errors", CanaryQuery.ErrorRatio(), AnalysisCondition.AtMost(0.01), AnalysisCondition.Above(0.05));
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(new CanaryAnalysis([metric]) { Interval = s_interval, Count = 3 }));

        h.Time.Advance(s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Inconclusive, result.Phase);
        Assert.Equal(MeasurementOutcome.Inconclusive, Assert.Single(result.Measurements).Outcome);
        Assert.Equal(CanaryState.AwaitingApproval, run.State);
    }
}
