namespace Musubi.Monitoring.Releases.Tests.Canary;

/// <summary>Aborts while a provider or the router is still working: the call is cancelled and the rollback runs.</summary>
public sealed class CanaryInFlightTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AbortAsync_MeasurementInFlight_CancelsItAndRollsBack()
    {
        var metrics = new HangingMetrics();
        var h = new CanaryHarness(metrics);
        CanaryRun run = await h.StartAsync(CanaryHarness.Plan(new CanaryAnalysis([CanaryHarness.SuccessRate()]) { Interval = s_interval }), "checkout-v2");
        h.Time.Advance(s_interval);
        Assert.True(metrics.Started.Task.IsCompleted);

        CanaryState final = await run.AbortAsync("rollback now");

        Assert.Equal(CanaryState.RolledBack, final);
        Assert.True(metrics.Cancelled);
        Assert.Equal(0, run.Weight);
        Assert.Equal(["checkout-v2"], h.Flags.Disabled);
        Assert.Empty(Assert.Single(run.Analyses).Measurements);
    }

    [Fact]
    public async Task AbortAsync_WeightChangeInFlight_CancelsItAndRollsBack()
    {
        var router = new HangingRouter(hangOn: 50);
        var metrics = new ScriptedMetrics().Script("success-rate", ScriptedMetrics.Value(1));
        var controller = new CanaryController(metrics, router, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        var plan = new CanaryPlan([CanaryStep.SetWeight(10), CanaryStep.PauseUntilApproved(), CanaryStep.SetWeight(50), CanaryStep.Analyze(new CanaryAnalysis([CanaryHarness.SuccessRate()]))]);
        CanaryRun run = await controller.StartAsync("rel-5", plan);

        Task approving = run.ApproveAsync();
        await router.Hanging.Task;
        Assert.Equal(CanaryState.Progressing, run.State);
        CanaryState final = await run.AbortAsync("stop");
        await approving;

        Assert.Equal(CanaryState.RolledBack, final);
        Assert.Equal([10, 0], router.Weights);
        Assert.Equal(
            [CanaryState.Progressing, CanaryState.AwaitingApproval, CanaryState.Progressing, CanaryState.Aborted, CanaryState.RollingBack, CanaryState.RolledBack],
            run.History.Where(e => e.Kind == CanaryEventKind.StateChanged).Select(e => e.State));
    }

    private sealed class HangingMetrics : ICanaryMetricsProvider
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public async ValueTask<MetricMeasurement> MeasureAsync(AnalysisMetric metric, CanaryWindow window, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // never completes: only the abort ends it
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }

            return MetricMeasurement.Of(1);
        }
    }

    private sealed class HangingRouter(int hangOn) : ITrafficRouter
    {
        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> Weights { get; } = [];

        public async ValueTask SetWeightAsync(int percent, CancellationToken cancellationToken)
        {
            if (percent == hangOn)
            {
                Hanging.TrySetResult();
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // never completes: only the abort ends it
            }

            Weights.Add(percent);
        }
    }
}
