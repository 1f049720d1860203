namespace Musubi.Monitoring.Quality;

/// <summary>The thresholds Musubi.Monitoring uses when none are configured.</summary>
public static class QualityThresholds
{
    /// <summary>
    /// Line coverage healthy from 80% and critical below 60%; branch coverage 70% / 50%; method coverage 80% / 60%;
    /// test pass rate 100% / 95%; flaky tests 0 / more than 3; failed tests 0 / more than 0; new-code line and
    /// branch coverage 80% / 60% and 70% / 50%.
    /// </summary>
    public static IReadOnlyList<QualityThreshold> Defaults { get; } =
    [
        new(QualityMetrics.LineCoverage, 80m, 60m),
        new(QualityMetrics.BranchCoverage, 70m, 50m),
        new(QualityMetrics.MethodCoverage, 80m, 60m),
        new(QualityMetrics.TestPassRate, 100m, 95m),
        new(QualityMetrics.FlakyTests, 0m, 3m, ThresholdDirection.LowerIsBetter),
        new(QualityMetrics.FailedTests, 0m, 0m, ThresholdDirection.LowerIsBetter),
        new(QualityMetrics.NewLineCoverage, 80m, 60m),
        new(QualityMetrics.NewBranchCoverage, 70m, 50m),
    ];
}
