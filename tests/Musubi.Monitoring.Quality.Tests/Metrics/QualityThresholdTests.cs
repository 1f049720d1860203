namespace Musubi.Monitoring.Quality.Tests.Metrics;

public sealed class QualityThresholdTests
{
    private static readonly QualityThreshold Line = new(QualityMetrics.LineCoverage, 80m, 60m);

    [Theory]
    [InlineData(100, QualityStatus.Healthy)]
    [InlineData(80, QualityStatus.Healthy)]
    [InlineData(79.999, QualityStatus.Warning)]
    [InlineData(60, QualityStatus.Warning)]
    [InlineData(59.9999, QualityStatus.Critical)]
    [InlineData(0, QualityStatus.Critical)]
    public void Evaluate_HigherIsBetter_ComparesExactly(double value, QualityStatus expected)
    {
        Assert.Equal(expected, Line.Evaluate((decimal)value));
    }

    [Theory]
    [InlineData(QualityMetrics.LineCoverage, 150, 60, "healthy threshold 150 of 'line_coverage' is outside 0 to 100")]
    [InlineData(QualityMetrics.TestPassRate, 100, -5, "critical threshold -5 of 'test_pass_rate' is outside 0 to 100")]
    [InlineData(QualityMetrics.NewBranchCoverage, 101, 101, "healthy threshold 101 of 'new_branch_coverage' is outside 0 to 100")]
    public void Ctor_PercentMetricOutsideZeroToHundred_ThrowsNamingTheValue(string metric, double healthy, double critical, string expected)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new QualityThreshold(metric, (decimal)healthy, (decimal)critical));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CountMetricBelowZero_ThrowsNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new QualityThreshold(QualityMetrics.FlakyTests, -1m, 3m, ThresholdDirection.LowerIsBetter));

        Assert.Contains("healthy threshold -1 of 'flaky_tests' is below 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_HostMetric_TakesAnyRange() =>
        Assert.Equal(500m, new QualityThreshold("complexity", 200m, 500m, ThresholdDirection.LowerIsBetter).Critical);

    [Fact]
    public void Evaluate_79999Of100000Lines_IsBelowAnEightyPercentThreshold()
    {
        QualityMeasurement m = QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines");

        Assert.Equal(QualityStatus.Warning, Line.Evaluate(m));
    }

    [Theory]
    [InlineData(0, QualityStatus.Healthy)]
    [InlineData(1, QualityStatus.Warning)]
    [InlineData(3, QualityStatus.Warning)]
    [InlineData(4, QualityStatus.Critical)]
    public void Evaluate_LowerIsBetter_Mirrors(int flaky, QualityStatus expected)
    {
        var threshold = new QualityThreshold(QualityMetrics.FlakyTests, 0m, 3m, ThresholdDirection.LowerIsBetter);

        Assert.Equal(expected, threshold.Evaluate(QualityMeasurement.Known(QualityMetrics.FlakyTests, flaky, QualityUnit.Count)));
    }

    [Fact]
    public void Evaluate_Unknown_IsUnknownNeverHealthy()
    {
        QualityMeasurement none = QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 0, 0, "no coverable lines");

        Assert.Equal(QualityStatus.Unknown, Line.Evaluate(none));
    }

    [Fact]
    public void Evaluate_OtherMetric_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Line.Evaluate(QualityMeasurement.Known("docs", 1m, QualityUnit.Number)));
        Assert.Contains("'line_coverage'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'docs'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CriticalOnTheBetterSide_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new QualityThreshold("line_coverage", 80m, 90m));
        Assert.Contains("90", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreValidAndUnique()
    {
        Assert.Equal(QualityThresholds.Defaults.Count, QualityThresholds.Defaults.Select(t => t.Metric).Distinct(StringComparer.Ordinal).Count());
    }
}
