namespace Musubi.Monitoring.Quality.Tests.Evaluation;

/// <summary>Snapshots built by hand, as the report readers would produce them.</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset At = new(2026, 3, 11, 15, 30, 0, TimeSpan.Zero);

    public static QualitySnapshot Of(params QualityMeasurement[] measurements) => new(At, measurements);

    /// <summary>A realistic mix: a warning just under 80, an unknown branch coverage, a critical flaky count, a host metric without threshold.</summary>
    public static QualitySnapshot Mixed() => new(
        At,
        [
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches"),
            QualityMeasurement.Ratio(QualityMetrics.MethodCoverage, 9, 10, "no methods"),
            QualityMeasurement.Ratio(QualityMetrics.TestPassRate, 200, 200, "no test results"),
            QualityMeasurement.Known(QualityMetrics.FlakyTests, 4m, QualityUnit.Count),
            QualityMeasurement.Known("documentation", 87.5m, QualityUnit.Percent),
        ],
        sources: ["tests/coverage.cobertura.xml", "tests/results.trx"],
        warnings: ["coverage.cobertura.xml: a <class> outside a <package> was read as its own package"]);
}
