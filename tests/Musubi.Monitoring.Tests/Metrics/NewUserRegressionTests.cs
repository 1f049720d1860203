using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

/// <summary>Regressions found by trying the library as a new user would, each with the input that broke it.</summary>
public sealed class NewUserRegressionTests
{
    [Fact]
    public void Collect_LongCounterPastLongMaxValue_StaysPositiveInsteadOfWrapping()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("big");
        counter.Add(long.MaxValue);
        counter.Add(1);
        counter.Add(long.MaxValue);

        double total = harness.Collect().Find("big")!.Sum();
        Assert.Equal(2 * (double)long.MaxValue + 1, total);
        Assert.DoesNotContain("big_total -", harness.Scrape(ExpositionFormat.OpenMetrics), StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_LongUpDownCounterPastLongMinValue_StaysNegativeInsteadOfWrapping()
    {
        using var harness = new MetricsHarness();
        UpDownCounter<long> counter = harness.Meter.CreateUpDownCounter<long>("depth");
        counter.Add(long.MinValue);
        counter.Add(-1);
        Assert.Equal((double)long.MinValue - 1, harness.Collect().Find("depth")!.Sum());
    }

    [Theory]
    [InlineData(-1.0, null)]
    [InlineData(-3.0, new[] { -5.0, -1, 0, 1 })]
    [InlineData(double.NegativeInfinity, null)]
    public void Write_OpenMetricsHistogramWithNegativeSumOrBuckets_LeavesOutSumAndCount(double value, double[]? buckets)
    {
        // OpenMetrics 1.0: a histogram's _sum is counter-like (never negative or NaN) and is not allowed with
        // negative buckets; _sum and _count are optional together. Strict parsers reject the document otherwise.
        using var harness = new MetricsHarness();
        harness.Metrics.Histogram("neg", "Negative.", buckets).Observe(value);

        string openMetrics = harness.Scrape(ExpositionFormat.OpenMetrics);
        ExpositionDocument.Parse(openMetrics, openMetrics: true);
        Assert.DoesNotContain("neg_sum", openMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("neg_count", openMetrics, StringComparison.Ordinal);
        Assert.Contains("neg_bucket{le=\"+Inf\"} 1", openMetrics, StringComparison.Ordinal);

        // The text format has no such rule and keeps both.
        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("neg_sum ", text, StringComparison.Ordinal);
        Assert.Contains("neg_count 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordRequest_NegativeDuration_CountsTheRequestAtZeroSeconds()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("GET", "/r", 200, TimeSpan.FromMilliseconds(-3));

        HistogramSnapshot histogram = harness.Collect().Find("http_server_request_duration_seconds")!.MergeHistograms()!;
        Assert.Equal(1, histogram.Count);
        Assert.Equal(0, histogram.Sum);
        Assert.Contains("http_server_request_duration_seconds_sum", harness.Scrape(ExpositionFormat.OpenMetrics), StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CollectorBuiltByHandWithInvalidOptions_ThrowsOptionsValidationExceptionNamingTheOption()
    {
        var options = new MusubiMonitoringOptions { Metrics = { CardinalityLimit = 0 } };
        OptionsValidationException e = Assert.Throws<OptionsValidationException>(
            () => new MusubiMetricsCollector(Options.Create(options), TimeProvider.System));
        Assert.Contains("CardinalityLimit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_HistogramSnapshotWithMismatchedBucketCounts_ThrowsArgumentException()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new HistogramSnapshot([1, 2], [5], 5, 1));
        Assert.Equal("BucketCounts", e.ParamName);
    }
}
