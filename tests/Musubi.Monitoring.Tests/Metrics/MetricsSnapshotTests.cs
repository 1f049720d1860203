using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class MetricsSnapshotTests
{
    // Bounds 0.1, 0.5, 1, 5 (+Inf) with per-bucket counts 10, 30, 40, 15, 5: cumulative 10, 40, 80, 95, 100.
    // Prometheus' histogram_quantile (promql/quantile.go, bucketQuantile):
    //   rank = q * 100; b = first bucket with cumulative >= rank;
    //   result = start(b) + (end(b) - start(b)) * (rank - cumulative(b-1)) / count(b), start(0) = 0.
    private static readonly HistogramSnapshot s_histogram = new([0.1, 0.5, 1, 5], [10, 30, 40, 15, 5], 100, 123);

    [Theory]
    [InlineData(0.05, 0.05)]                    // rank 5 in (0, 0.1]: 0 + 0.1 * 5/10
    [InlineData(0.10, 0.1)]                     // rank 10 = end of first bucket
    [InlineData(0.25, 0.3)]                     // rank 25 in (0.1, 0.5]: 0.1 + 0.4 * 15/30
    [InlineData(0.50, 0.625)]                   // rank 50 in (0.5, 1]: 0.5 + 0.5 * 10/40
    [InlineData(0.90, 3.6666666666666665)]      // rank 90 in (1, 5]: 1 + 4 * 10/15
    [InlineData(0.95, 5)]                       // rank 95 = end of (1, 5]
    [InlineData(0.99, 5)]                       // rank 99 in the +Inf bucket: the highest finite bound
    [InlineData(1.0, 5)]
    public void EstimateQuantile_HandComputedCase_MatchesPrometheusHistogramQuantile(double q, double expected)
        => Assert.Equal(expected, s_histogram.EstimateQuantile(q), 12);

    [Fact]
    public void EstimateQuantile_FirstBoundNotPositive_ReturnsThatBound()
    {
        var histogram = new HistogramSnapshot([-1, 0, 1], [4, 0, 0, 0], 4, -8);
        Assert.Equal(-1, histogram.EstimateQuantile(0.5));
    }

    [Fact]
    public void EstimateQuantile_Empty_IsNaN()
        => Assert.True(double.IsNaN(new HistogramSnapshot([1], [0, 0], 0, 0).EstimateQuantile(0.5)));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void EstimateQuantile_OutOfRange_ThrowsArgumentOutOfRangeException(double q)
        => Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => s_histogram.EstimateQuantile(q)).ParamName);

    [Fact]
    public void EstimateQuantile_FromRecordedHistogram_MatchesHandComputedValue()
    {
        using var harness = new MetricsHarness();
        MusubiHistogram histogram = harness.Metrics.Histogram("latency", "Latency.", [0.1, 0.5, 1, 5]);
        foreach ((double value, int times) in new[] { (0.05, 10), (0.3, 30), (0.7, 40), (2.0, 15), (9.0, 5) })
        {
            for (int i = 0; i < times; i++)
            {
                histogram.Observe(value);
            }
        }

        HistogramSnapshot h = harness.Collect().Find("latency")!.Series.Single().Histogram!;
        Assert.Equal([10L, 30, 40, 15, 5], h.BucketCounts);
        Assert.Equal(0.625, h.EstimateQuantile(0.5), 12);
    }

    [Fact]
    public void Find_UnknownName_IsNull()
    {
        using var harness = new MetricsHarness();
        Assert.Null(harness.Collect().Find("nope"));
    }

    [Fact]
    public void Families_AreSortedByNameAndIncludeSelfFamilies()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.Counter("zeta");
        harness.Metrics.Counter("alpha");
        List<string> names = [.. harness.Collect().Families.Select(f => f.Name)];
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("target_info", names);
        Assert.Contains("musubi_metrics_instrument_conflicts", names);
    }

    [Fact]
    public void Sum_NoLabels_CountsEverySeriesAndHistogramSumsCounts()
    {
        using var harness = new MetricsHarness();
        MusubiHistogram histogram = harness.Metrics.Histogram("latency", "Latency.", [1], "route");
        histogram.Observe(0.5, "/a");
        histogram.Observe(0.5, "/b");
        histogram.Observe(3, "/b");
        MetricFamilySnapshot family = harness.Collect().Find("latency")!;
        Assert.Equal(3, family.Sum());
        Assert.Equal(2, family.Sum(("route", "/b")));
        Assert.Equal(0, family.Sum(("route", "/c")));
    }

    [Fact]
    public void Merge_SameBuckets_AddsCountsAndSums()
    {
        var other = new HistogramSnapshot([0.1, 0.5, 1, 5], [1, 2, 3, 4, 5], 15, 7);
        HistogramSnapshot merged = s_histogram.Merge(other);
        Assert.Equal([11L, 32, 43, 19, 10], merged.BucketCounts);
        Assert.Equal(115, merged.Count);
        Assert.Equal(130, merged.Sum);
    }

    [Fact]
    public void Merge_DifferentBuckets_ThrowsArgumentExceptionNamingBoth()
    {
        var other = new HistogramSnapshot([0.1, 1], [1, 2, 3], 6, 1);
        ArgumentException e = Assert.Throws<ArgumentException>(() => s_histogram.Merge(other));
        Assert.Equal("other", e.ParamName);
        Assert.Contains("[0.1, 0.5, 1, 5]", e.Message);
        Assert.Contains("[0.1, 1]", e.Message);
    }

    [Fact]
    public void MergeHistograms_ByLabel_SumsOnlyMatchingSeries()
    {
        using var harness = new MetricsHarness();
        MusubiHistogram histogram = harness.Metrics.Histogram("merge_latency", "Latency.", [0.1, 1], "route");
        histogram.Observe(0.05, "/a");
        histogram.Observe(0.5, "/a");
        histogram.Observe(5, "/b");

        MetricFamilySnapshot family = harness.Collect().Find("merge_latency")!;
        HistogramSnapshot all = family.MergeHistograms()!;
        HistogramSnapshot a = family.MergeHistograms(("route", "/a"))!;

        Assert.Equal([1L, 1, 1], all.BucketCounts);
        Assert.Equal(3, all.Count);
        Assert.Equal([1L, 1, 0], a.BucketCounts);
        Assert.Null(family.MergeHistograms(("route", "/none")));
    }
}
