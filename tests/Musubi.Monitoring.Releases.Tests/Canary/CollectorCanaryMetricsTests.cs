using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Releases.Tests.Canary;

public sealed class CollectorCanaryMetricsTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(CanaryHarness.Start);
    private readonly ServiceProvider _provider;
    private readonly MusubiMetrics _metrics;
    private readonly MusubiMetricsCollector _collector;

    public CollectorCanaryMetricsTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddMusubiMonitoring(o => o.Metrics.MeterName = "Musubi.CanaryTests." + Guid.NewGuid().ToString("N"));
        _provider = services.BuildServiceProvider();
        _metrics = _provider.GetRequiredService<MusubiMetrics>();
        _collector = _provider.GetRequiredService<MusubiMetricsCollector>();
    }

    public void Dispose() => _provider.Dispose();

    private void Requests(int count, string route, int status, double milliseconds)
    {
        for (int i = 0; i < count; i++)
        {
            _metrics.RecordRequest("GET", route, status, TimeSpan.FromMilliseconds(milliseconds));
        }
    }

    private static CanaryAnalysis HttpAnalysis(int count) => new(
    [
        new AnalysisMetric("success-rate", CanaryQuery.SuccessRatio(("http_route", "/orders")), AnalysisCondition.AtLeast(0.99)),
        new AnalysisMetric("p99-latency", CanaryQuery.P99Latency(("http_route", "/orders")), AnalysisCondition.AtMost(0.5)),
    ])
    { Interval = s_interval, Count = count };

    [Fact]
    public async Task Analysis_HealthyTrafficInEveryWindow_PromotesIgnoringErrorsBeforeTheAnalysis()
    {
        var h = new CanaryHarness(new CollectorCanaryMetrics(_collector), _time);
        Requests(50, "/orders", 500, 2000); // before the canary: outside every window
        CanaryRun run = await h.Controller.StartAsync("rel-7", CanaryHarness.Plan(HttpAnalysis(2)));

        Requests(200, "/orders", 200, 40);
        Requests(1, "/orders", 503, 40);
        Requests(30, "/health", 500, 3000); // another route
        _time.Advance(s_interval);
        Requests(100, "/orders", 200, 60);
        _time.Advance(s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Successful, result.Phase);
        Assert.Equal(1 - (1 / 201.0), result.Measurements[0].Measurement.Value, 12);
        Assert.Equal(1.0, result.Measurements[2].Measurement.Value);
        Assert.InRange(result.Measurements[1].Measurement.Value, 0.025, 0.05);
        Assert.Equal(CanaryState.Succeeded, run.State);
        Assert.Equal([10, 100], h.Router.Weights);
    }

    [Fact]
    public async Task Analysis_ServerErrorsInTheWindow_FailsAndRollsBack()
    {
        var h = new CanaryHarness(new CollectorCanaryMetrics(_collector), _time);
        CanaryRun run = await h.Controller.StartAsync("rel-8", CanaryHarness.Plan(HttpAnalysis(3)), ["orders-v2"]);

        Requests(95, "/orders", 200, 40);
        Requests(5, "/orders", 500, 40);
        _time.Advance(s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(AnalysisPhase.Failed, result.Phase);
        Assert.Equal(0.95, result.Measurements[0].Measurement.Value, 12);
        Assert.Equal(CanaryState.RolledBack, run.State);
        Assert.Equal(["orders-v2"], h.Flags.Disabled);
        Assert.Equal(0, run.Weight);
    }

    [Fact]
    public async Task Analysis_SlowRequestsInTheWindow_P99FailsAndRollsBack()
    {
        var h = new CanaryHarness(new CollectorCanaryMetrics(_collector), _time);
        CanaryRun run = await h.Controller.StartAsync("rel-9", CanaryHarness.Plan(HttpAnalysis(3)));

        Requests(90, "/orders", 200, 40);
        Requests(10, "/orders", 200, 900);
        _time.Advance(s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.Equal(MeasurementOutcome.Successful, result.Measurements[0].Outcome);
        AnalysisMeasurement latency = result.Measurements[1];
        Assert.Equal(MeasurementOutcome.Failed, latency.Outcome);
        Assert.InRange(latency.Measurement.Value, 0.75, 1);
        Assert.Equal(CanaryState.RolledBack, run.State);
    }

    [Fact]
    public async Task Analysis_NoRequestsForMoreIntervalsThanTheFailureLimit_RollsBackByDefault()
    {
        var h = new CanaryHarness(new CollectorCanaryMetrics(_collector), _time);
        var analysis = new CanaryAnalysis([new AnalysisMetric("success-rate", CanaryQuery.SuccessRatio(), AnalysisCondition.AtLeast(0.99))])
        {
            Interval = s_interval, Count = 10, FailureLimit = 1,
        };
        CanaryRun run = await h.Controller.StartAsync("rel-10", CanaryHarness.Plan(analysis));

        _time.Advance(s_interval);
        Assert.Equal(CanaryState.Analyzing, run.State);
        _time.Advance(s_interval);

        CanaryAnalysisResult result = Assert.Single(run.Analyses);
        Assert.All(result.Measurements, m => Assert.Equal("no data: no requests in the window", m.Measurement.ToString()));
        Assert.Equal(CanaryState.RolledBack, run.State);
    }

    [Fact]
    public async Task MeasureAsync_Queries_ReadTheIncreaseBetweenTheWindowsSnapshots()
    {
        var provider = new CollectorCanaryMetrics(_collector);
        DateTimeOffset t0 = _time.GetUtcNow();
        Requests(10, "/orders", 500, 10);
        await provider.BeginAnalysisAsync(t0, default);
        Requests(3, "/orders", 200, 10);
        Requests(1, "/orders", 502, 10);
        Requests(4, "/cart", 404, 10);
        var window = new CanaryWindow(t0, t0.AddMinutes(1));
        _time.Advance(s_interval);

        MetricMeasurement errors = await provider.MeasureAsync(Metric(CanaryQuery.ErrorRatio(("http_route", "/orders"))), window, default);
        MetricMeasurement all = await provider.MeasureAsync(Metric(CanaryQuery.SuccessRatio()), window, default);
        Requests(100, "/orders", 500, 10); // after the window's end was read: not in it
        MetricMeasurement again = await provider.MeasureAsync(Metric(CanaryQuery.ErrorRatio(("http_route", "/orders"))), window, default);
        MetricMeasurement custom = await provider.MeasureAsync(Metric(CanaryQuery.Custom((end, start) =>
            end.Find(CanaryQuery.HttpRequestHistogram)!.Sum() - start!.Find(CanaryQuery.HttpRequestHistogram)!.Sum())), window, default);

        Assert.Equal(0.25, errors.Value);
        Assert.Equal(1 - (1 / 8.0), all.Value);
        Assert.Equal(0.25, again.Value);
        Assert.Equal(8, custom.Value);
    }

    [Fact]
    public async Task MeasureAsync_NoReadingBeforeTheWindow_NoData()
    {
        var provider = new CollectorCanaryMetrics(_collector);
        Requests(3, "/orders", 200, 10);
        DateTimeOffset now = _time.GetUtcNow();

        MetricMeasurement m = await provider.MeasureAsync(Metric(CanaryQuery.SuccessRatio()), new CanaryWindow(now.AddMinutes(-1), now), default);

        Assert.Equal(MeasurementStatus.NoData, m.Status);
        Assert.Equal("no reading of the collector at or before the window's start", m.Message);
    }

    [Fact]
    public async Task MeasureAsync_CustomQueryThrowsOrNamedQuery_Error()
    {
        var provider = new CollectorCanaryMetrics(_collector);
        DateTimeOffset now = _time.GetUtcNow();
        var window = new CanaryWindow(now, now);

        MetricMeasurement thrown = await provider.MeasureAsync(Metric(CanaryQuery.Custom((_, _) => throw new FormatException("bad"))), window, default);
        MetricMeasurement none = await provider.MeasureAsync(Metric(CanaryQuery.Custom((_, _) => null)), window, default);
        MetricMeasurement named = await provider.MeasureAsync(Metric(CanaryQuery.Named("sum(rate(x[1m]))")), window, default);

        Assert.Equal("error: the custom query threw FormatException: bad", thrown.ToString());
        Assert.Equal(MeasurementStatus.NoData, none.Status);
        Assert.Equal(MeasurementStatus.Error, named.Status);
        Assert.Contains("'sum(rate(x[1m]))'", named.Message);
    }

    private static AnalysisMetric Metric(CanaryQuery query) => new("m", query, AnalysisCondition.AtLeast(0));
}
