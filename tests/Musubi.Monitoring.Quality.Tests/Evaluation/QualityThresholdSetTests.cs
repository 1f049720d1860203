namespace Musubi.Monitoring.Quality.Tests.Evaluation;

public sealed class QualityThresholdSetTests
{
    [Fact]
    public void Default_HasEveryDefaultThreshold()
    {
        Assert.Equal(QualityThresholds.Defaults, QualityThresholdSet.Default.Thresholds);
        Assert.True(QualityThresholdSet.Default.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
        Assert.Equal(80m, line.Healthy);
    }

    [Fact]
    public void Constructor_TwoThresholdsOfOneMetric_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new QualityThresholdSet(
        [
            new QualityThreshold("documentation", 90m, 50m),
            new QualityThreshold("documentation", 80m, 50m),
        ]));

        Assert.Contains("'documentation'", e.Message);
    }

    [Fact]
    public void Constructor_NullEntry_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new QualityThresholdSet([null!]));
        Assert.Throws<ArgumentNullException>(() => new QualityThresholdSet(null!));
    }

    [Fact]
    public void With_ExistingMetric_ReplacesInPlaceAndLeavesOriginalUnchanged()
    {
        var replacement = new QualityThreshold(QualityMetrics.BranchCoverage, 90m, 80m);

        QualityThresholdSet changed = QualityThresholdSet.Default.With(replacement);

        Assert.Equal(QualityThresholdSet.Default.Count, changed.Count);
        Assert.Equal(replacement, changed.Thresholds[1]);
        Assert.True(QualityThresholdSet.Default.TryGet(QualityMetrics.BranchCoverage, out QualityThreshold original));
        Assert.Equal(70m, original.Healthy);
    }

    [Fact]
    public void With_NewMetric_AddsItLast()
    {
        QualityThresholdSet changed = QualityThresholdSet.Empty.With(new QualityThreshold("documentation", 90m, 50m));

        Assert.Equal("documentation", Assert.Single(changed.Thresholds).Metric);
    }

    [Fact]
    public void Without_RemovesTheMetricOrReturnsTheSameSet()
    {
        QualityThresholdSet without = QualityThresholdSet.Default.Without(QualityMetrics.MethodCoverage);

        Assert.False(without.TryGet(QualityMetrics.MethodCoverage, out _));
        Assert.Equal(QualityThresholdSet.Default.Count - 1, without.Count);
        Assert.Same(without, without.Without(QualityMetrics.MethodCoverage));
    }
}
