namespace Musubi.Monitoring.Quality.Tests.Metrics;

public sealed class QualityMeasurementTests
{
    [Fact]
    public void Ratio_JustUnderThreshold_IsNotRoundedUp()
    {
        QualityMeasurement m = QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines");

        Assert.Equal(79.999m, m.Value);
        Assert.True(m.Value < 80m);
        Assert.Equal("79.999%", m.ToString());
    }

    [Fact]
    public void Ratio_ThirdsAreNeverEqualToTheNextWholePercent()
    {
        QualityMeasurement m = QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 2, 3, "no coverable lines");

        Assert.True(m.Value < 66.67m);
        Assert.True(m.Value > 66.66m);
    }

    [Fact]
    public void ToString_RepeatingDecimal_IsCutToFourDecimalsAndMarked()
    {
        // Was all 28 digits: "66.666666666666666666666666667%" (the last one rounded up).
        Assert.Equal("66.6666…%", QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 2, 3, "no coverable lines").ToString());
        Assert.Equal("12.5%", QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 1, 8, "no coverable lines").ToString());
    }

    [Fact]
    public void Ratio_ZeroDenominator_IsUnknownWithTheReason()
    {
        QualityMeasurement m = QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches");

        Assert.False(m.IsKnown);
        Assert.Null(m.Value);
        Assert.Equal("no branches", m.UnknownReason);
        Assert.Equal("UNKNOWN", m.ToString());
    }

    [Fact]
    public void Ratio_NumeratorAboveDenominator_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => QualityMeasurement.Ratio("line_coverage", 5, 4, "x"));
        Assert.Contains("5 covered of 4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line coverage")]
    [InlineData("cov{x}")]
    public void Known_BadMetricId_ThrowsNamingIt(string metric)
    {
        Assert.ThrowsAny<ArgumentException>(() => QualityMeasurement.Known(metric, 1m, QualityUnit.Number));
    }

    [Theory]
    [InlineData(-0.1, QualityUnit.Percent)]
    [InlineData(100.01, QualityUnit.Percent)]
    [InlineData(1.5, QualityUnit.Count)]
    [InlineData(-1, QualityUnit.Count)]
    public void Known_ValueOutsideTheUnit_Throws(double value, QualityUnit unit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QualityMeasurement.Known("m", (decimal)value, unit));
    }

    [Fact]
    public void Snapshot_SameMetricTwice_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QualitySnapshot(
            DateTimeOffset.UnixEpoch,
            [QualityMeasurement.Known("docs", 1m, QualityUnit.Number), QualityMeasurement.Known("docs", 2m, QualityUnit.Number)]));
        Assert.Contains("'docs'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_TryGet_FindsByOrdinalId()
    {
        var snapshot = new QualitySnapshot(DateTimeOffset.UnixEpoch, [QualityMeasurement.Known("flaky_tests", 2m, QualityUnit.Count)]);

        Assert.True(snapshot.TryGet(QualityMetrics.FlakyTests, out QualityMeasurement m));
        Assert.Equal(2m, m.Value);
        Assert.False(snapshot.TryGet("FLAKY_TESTS", out _));
    }
}
