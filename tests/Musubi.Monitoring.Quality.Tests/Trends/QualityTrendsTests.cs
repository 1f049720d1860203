using static Musubi.Monitoring.Quality.Tests.QualitySamples;

namespace Musubi.Monitoring.Quality.Tests.Trends;

public sealed class QualityTrendsTests
{
    private static QualitySnapshot[] Lines(params decimal[] values) => [.. values.Select((v, i) => Line(T0.AddHours(i), v))];

    [Theory]
    [InlineData(80.0, 80.5, QualityTrendDirection.Stable)]
    [InlineData(80.0, 79.5, QualityTrendDirection.Stable)]
    [InlineData(80.0, 80.51, QualityTrendDirection.Improving)]
    [InlineData(80.0, 79.49, QualityTrendDirection.Declining)]
    public void Compute_FirstVersusLast_UsesTheBandInclusively(double first, double last, QualityTrendDirection expected)
    {
        QualityTrend trend = QualityTrends.Compute(Lines((decimal)first, 95m, (decimal)last), QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, 0.5m);

        Assert.Equal(expected, trend.Direction);
        Assert.Equal((decimal)last - (decimal)first, trend.Change);
    }

    [Fact]
    public void Compute_ChangeIsExactDecimal()
    {
        QualityTrend trend = QualityTrends.Compute(Lines(79.999m, 80.0001m), QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, 0m);

        Assert.Equal(0.0011m, trend.Change);
        Assert.Equal(QualityTrendDirection.Improving, trend.Direction);
    }

    [Fact]
    public void Compute_LowerIsBetterFalling_IsImproving()
    {
        QualitySnapshot[] snapshots = [Of(T0, Count(QualityMetrics.FlakyTests, 4)), Of(T0.AddHours(1), Count(QualityMetrics.FlakyTests, 1))];

        Assert.Equal(QualityTrendDirection.Improving, QualityTrends.Compute(snapshots, QualityMetrics.FlakyTests, ThresholdDirection.LowerIsBetter, 0.5m).Direction);
        Assert.Equal(QualityTrendDirection.Declining, QualityTrends.Compute(snapshots, QualityMetrics.FlakyTests, ThresholdDirection.HigherIsBetter, 0.5m).Direction);
    }

    [Fact]
    public void Compute_FewerThanTwoKnownValues_IsUnknown()
    {
        QualitySnapshot[] snapshots = [Line(T0, 80m), Of(T0.AddHours(1), Unknown(QualityMetrics.LineCoverage)), Of(T0.AddHours(2))];

        QualityTrend trend = QualityTrends.Compute(snapshots, QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, 0.5m);

        Assert.Equal(QualityTrendDirection.Unknown, trend.Direction);
        Assert.Equal(1, trend.KnownCount);
        Assert.Equal(3, trend.SnapshotCount);
        Assert.Null(trend.Change);
        Assert.Equal(80m, trend.First);
    }

    [Fact]
    public void Compute_UnknownValuesBetween_AreSkipped()
    {
        QualitySnapshot[] snapshots = [Line(T0, 70m), Of(T0.AddHours(1), Unknown(QualityMetrics.LineCoverage)), Line(T0.AddHours(2), 75m)];

        QualityTrend trend = QualityTrends.Compute(snapshots, QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, 0.5m);

        Assert.Equal((70m, 75m, 5m, 2), (trend.First!.Value, trend.Last!.Value, trend.Change!.Value, trend.KnownCount));
        Assert.Equal(T0.AddHours(2), trend.LastAt);
    }

    [Fact]
    public void Compute_SnapshotsInAnyOrder_SortsByTimestamp()
    {
        QualitySnapshot[] snapshots = [Line(T0.AddHours(2), 90m), Line(T0, 70m)];

        Assert.Equal(QualityTrendDirection.Improving, QualityTrends.Compute(snapshots, QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, 0.5m).Direction);
    }

    [Fact]
    public void Compute_WithOptions_LooksAtTheLastWindowOnly()
    {
        // 50 → 90 overall, but the last 3 are 90, 90.2, 90.4: stable.
        QualitySnapshot[] snapshots = Lines(50m, 60m, 90m, 90.2m, 90.4m);

        QualityTrend trend = Assert.Single(QualityTrends.Compute(snapshots, new QualityTrendOptions { Window = 3 }));

        Assert.Equal(QualityTrendDirection.Stable, trend.Direction);
        Assert.Equal(3, trend.SnapshotCount);
        Assert.Equal(0.4m, trend.Change);
    }

    [Fact]
    public void Compute_WithOptions_TakesDirectionFromThresholdsThenOverrides()
    {
        QualitySnapshot[] snapshots =
        [
            Of(T0, Count(QualityMetrics.FlakyTests, 5), Count("complexity", 20), Count("docs", 10)),
            Of(T0.AddHours(1), Count(QualityMetrics.FlakyTests, 2), Count("complexity", 12), Count("docs", 30)),
        ];
        var options = new QualityTrendOptions();
        options.Directions["complexity"] = ThresholdDirection.LowerIsBetter;
        options.MetricBands["docs"] = 25m;

        IReadOnlyList<QualityTrend> trends = QualityTrends.Compute(snapshots, options, QualityThresholds.Defaults);

        Assert.Equal(
            [(QualityMetrics.FlakyTests, QualityTrendDirection.Improving), ("complexity", QualityTrendDirection.Improving), ("docs", QualityTrendDirection.Stable)],
            trends.Select(t => (t.Metric, t.Direction)));
    }

    [Fact]
    public void QualityTrendOptions_Defaults_AreFiveSnapshotsAndHalfAPoint()
    {
        var options = new QualityTrendOptions();

        Assert.Equal((5, 0.5m), (options.Window, options.StableBand));
        Assert.Empty(options.MetricBands);
        Assert.Empty(options.Directions);
    }

    [Fact]
    public void Compute_InvalidOptions_ThrowsNamingEachOption()
    {
        var options = new QualityTrendOptions { Window = 1, StableBand = -0.1m };
        options.MetricBands["x"] = -2m;

        ArgumentException e = Assert.Throws<ArgumentException>("options", () => QualityTrends.Compute([], options));

        Assert.Contains("Window is 1", e.Message);
        Assert.Contains("StableBand is -0.1", e.Message);
        Assert.Contains("MetricBands[\"x\"] is -2", e.Message);
    }

    [Fact]
    public void Compute_NegativeBand_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("stableBand", () => QualityTrends.Compute(Lines(1m, 2m), QualityMetrics.LineCoverage, ThresholdDirection.HigherIsBetter, -1m));
}
