namespace Musubi.Monitoring.Releases.Tests.Canary;

public sealed class CanaryPlanTests
{
    private static CanaryAnalysis Analysis() => new([CanaryHarness.SuccessRate()]);

    [Fact]
    public void CanaryAnalysis_Defaults_AreDocumentedValues()
    {
        CanaryAnalysis analysis = Analysis();

        Assert.Equal(TimeSpan.FromMinutes(1), analysis.Interval);
        Assert.Equal(5, analysis.Count);
        Assert.Equal(0, analysis.FailureLimit);
        Assert.Equal(4, analysis.ConsecutiveErrorLimit);
        Assert.Equal(0, analysis.InconclusiveLimit);
        Assert.Equal(NoDataPolicy.Fail, analysis.NoDataPolicy);
    }

    [Fact]
    public void CanaryAnalysis_InvalidValues_ThrowNamingTheSettingAndTheValue()
    {
        AnalysisMetric[] metrics = [CanaryHarness.SuccessRate()];
        void Check(string setting, string value, Action set)
        {
            ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(set);
            Assert.Equal(setting, ex.ParamName);
            Assert.Contains("CanaryAnalysis." + setting, ex.Message, StringComparison.Ordinal);
            Assert.Contains(value, ex.Message, StringComparison.Ordinal);
        }

        Check("FailureLimit", "-1", () => _ = new CanaryAnalysis(metrics) { FailureLimit = -1 });
        Check("ConsecutiveErrorLimit", "-2", () => _ = new CanaryAnalysis(metrics) { ConsecutiveErrorLimit = -2 });
        Check("InconclusiveLimit", "-3", () => _ = new CanaryAnalysis(metrics) { InconclusiveLimit = -3 });
        Check("Count", "is 0", () => _ = new CanaryAnalysis(metrics) { Count = 0 });
        Check("Interval", "-00:00:01 was given", () => _ = new CanaryAnalysis(metrics) { Interval = TimeSpan.FromSeconds(-1) });
        Check("NoDataPolicy", "is 7", () => _ = new CanaryAnalysis(metrics) { NoDataPolicy = (NoDataPolicy)7 });
    }

    [Fact]
    public void CanaryStep_InvalidArguments_Throw()
    {
        Assert.Contains("101 was given", Assert.Throws<ArgumentOutOfRangeException>(() => CanaryStep.SetWeight(101)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryStep.SetWeight(-1));
        Assert.Contains("00:00:00 was given", Assert.Throws<ArgumentOutOfRangeException>(() => CanaryStep.Pause(TimeSpan.Zero)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryStep.Pause(TimeSpan.FromDays(50)));
        Assert.Throws<ArgumentNullException>(() => CanaryStep.Analyze(null!));
    }

    [Fact]
    public void CanaryStep_ToString_IsCultureInvariant()
    {
        Assert.Equal("set weight 20%", CanaryStep.SetWeight(20).ToString());
        Assert.Equal("pause 00:05:00", CanaryStep.Pause(TimeSpan.FromMinutes(5)).ToString());
        Assert.Equal("pause until approved", CanaryStep.PauseUntilApproved().ToString());
        Assert.Equal("analyze success-rate", CanaryStep.Analyze(Analysis()).ToString());
        Assert.Equal(">= 0.99", AnalysisCondition.AtLeast(0.99).ToString());
        Assert.Equal("< 0.5", AnalysisCondition.Below(0.5).ToString());
        Assert.Equal("latency quantile 0.99{http_route=\"/orders\"}", CanaryQuery.P99Latency(("http_route", "/orders")).ToString());
    }

    [Fact]
    public void CanaryPlan_InvalidSteps_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new CanaryPlan(null!));
        Assert.Contains("at least one step", Assert.Throws<ArgumentException>(() => new CanaryPlan([])).Message);
        Assert.Contains("Step 1", Assert.Throws<ArgumentException>(() => new CanaryPlan([CanaryStep.Analyze(Analysis()), null!])).Message);
        Assert.Equal(
            "A canary plan needs at least one analysis step, so that a successful run has been measured; the steps were: set weight 50%; pause until approved. (Parameter 'steps')",
            Assert.Throws<ArgumentException>(() => new CanaryPlan([CanaryStep.SetWeight(50), CanaryStep.PauseUntilApproved()])).Message);
        Assert.Contains("Rollback step 0", Assert.Throws<ArgumentException>(() => new CanaryPlan([CanaryStep.Analyze(Analysis())], [null!])).Message);
    }

    [Fact]
    public void CanaryAnalysis_InvalidMetrics_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new CanaryAnalysis(null!));
        Assert.Throws<ArgumentException>(() => new CanaryAnalysis([]));
        Assert.Contains("'success-rate'", Assert.Throws<ArgumentException>(() => new CanaryAnalysis([CanaryHarness.SuccessRate(), CanaryHarness.SuccessRate()])).Message);
        Assert.Throws<ArgumentException>(() => new AnalysisMetric(" ", CanaryQuery.SuccessRatio(), AnalysisCondition.AtLeast(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnalysisCondition.AtMost(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryQuery.LatencyQuantile(1.5));
        Assert.Throws<ArgumentException>(() => CanaryQuery.SuccessRatio(("", "x")));
    }

    [Fact]
    public async Task CanaryController_InvalidArguments_Throw()
    {
        var metrics = new ScriptedMetrics();
        var router = new RecordingRouter([]);
        Assert.Throws<ArgumentNullException>(() => new CanaryController(null!, router, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new CanaryController(metrics, null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new CanaryController(metrics, router, null!));

        var controller = new CanaryController(metrics, router, TimeProvider.System);
        var plan = new CanaryPlan([CanaryStep.Analyze(Analysis())]);
        await Assert.ThrowsAsync<ArgumentNullException>(() => controller.StartAsync(null!, plan));
        await Assert.ThrowsAsync<ArgumentNullException>(() => controller.StartAsync("rel", null!));
        var noSwitch = await Assert.ThrowsAsync<ArgumentException>(() => controller.StartAsync("rel", plan, ["checkout-v2"]));
        Assert.Contains("Release 'rel' has flags (checkout-v2) but the controller has no ICanaryFlagSwitch", noSwitch.Message);
        Assert.Empty(router.Weights);
    }
}
