namespace Musubi.Monitoring.Quality;

/// <summary>Turns coverage and test results into the well-known <see cref="QualityMetrics"/> measurements.</summary>
/// <remarks>
/// <para>Nothing measured is never 100%:</para>
/// <list type="bullet">
/// <item>no coverage report → every coverage metric UNKNOWN "no coverage report";</item>
/// <item>no coverable line → line coverage UNKNOWN "no coverable lines" (an empty project is not 100% covered);</item>
/// <item>no branch arm → branch coverage UNKNOWN "no branches" (code without branches is not 100% branch-covered);</item>
/// <item>no method with a coverable line → method coverage UNKNOWN "no methods";</item>
/// <item>no test report → test metrics UNKNOWN "no test results"; tests but none executed → pass rate UNKNOWN "no executed tests".</item>
/// </list>
/// <para>
/// New code, given a baseline coverage report: a line is new when it is coverable now and its file (by normalised
/// path) has no coverable line with that number in the baseline. Lines are matched by number, not by content, so
/// code that moved down a file counts as new; a file absent from the baseline is wholly new. No new line → UNKNOWN
/// "no new lines"; new lines without branches → new branch coverage UNKNOWN "no branches on new lines".
/// </para>
/// </remarks>
public static class QualityReportMeasurements
{
    /// <summary>The reason of coverage metrics when no coverage report was read.</summary>
    public const string NoCoverageReport = "no coverage report";

    /// <summary>The reason of line coverage when no line is coverable.</summary>
    public const string NoCoverableLines = "no coverable lines";

    /// <summary>The reason of branch coverage when no line has a branch.</summary>
    public const string NoBranches = "no branches";

    /// <summary>The reason of method coverage when no method has a coverable line.</summary>
    public const string NoMethods = "no methods";

    /// <summary>The reason of test metrics when no test report was read.</summary>
    public const string NoTestResults = "no test results";

    /// <summary>The reason of the pass rate when every test was skipped.</summary>
    public const string NoExecutedTests = "no executed tests";

    /// <summary>The reason of new-code metrics when nothing is coverable now that was not in the baseline.</summary>
    public const string NoNewLines = "no new lines";

    /// <summary>The reason of new branch coverage when the new lines have no branch.</summary>
    public const string NoNewBranches = "no branches on new lines";

    /// <summary>Line, branch and method coverage.</summary>
    /// <param name="coverage">The (merged) coverage; <see langword="null"/> when no report was read.</param>
    /// <returns><see cref="QualityMetrics.LineCoverage"/>, <see cref="QualityMetrics.BranchCoverage"/> and <see cref="QualityMetrics.MethodCoverage"/>.</returns>
    public static IReadOnlyList<QualityMeasurement> Coverage(CoverageReport? coverage)
    {
        if (coverage is null)
        {
            return
            [
                QualityMeasurement.Unknown(QualityMetrics.LineCoverage, QualityUnit.Percent, NoCoverageReport),
                QualityMeasurement.Unknown(QualityMetrics.BranchCoverage, QualityUnit.Percent, NoCoverageReport),
                QualityMeasurement.Unknown(QualityMetrics.MethodCoverage, QualityUnit.Percent, NoCoverageReport),
            ];
        }

        CoverageSummary s = coverage.Summary;
        return
        [
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, s.CoveredLines, s.CoverableLines, NoCoverableLines),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, s.CoveredBranchArms, s.BranchArms, NoBranches),
            QualityMeasurement.Ratio(QualityMetrics.MethodCoverage, s.CoveredMethods, s.Methods, NoMethods),
        ];
    }

    /// <summary>Test pass rate, failed tests and flaky tests.</summary>
    /// <param name="tests">The (merged) test results; <see langword="null"/> when no report was read.</param>
    /// <returns><see cref="QualityMetrics.TestPassRate"/>, <see cref="QualityMetrics.FailedTests"/> and <see cref="QualityMetrics.FlakyTests"/>.</returns>
    public static IReadOnlyList<QualityMeasurement> Tests(TestRunResults? tests)
    {
        if (tests is null)
        {
            return
            [
                QualityMeasurement.Unknown(QualityMetrics.TestPassRate, QualityUnit.Percent, NoTestResults),
                QualityMeasurement.Unknown(QualityMetrics.FailedTests, QualityUnit.Count, NoTestResults),
                QualityMeasurement.Unknown(QualityMetrics.FlakyTests, QualityUnit.Count, NoTestResults),
            ];
        }

        return
        [
            QualityMeasurement.Ratio(QualityMetrics.TestPassRate, tests.Passed, tests.Executed, NoExecutedTests),
            QualityMeasurement.Known(QualityMetrics.FailedTests, tests.Failed, QualityUnit.Count),
            QualityMeasurement.Known(QualityMetrics.FlakyTests, tests.Flaky, QualityUnit.Count),
        ];
    }

    /// <summary>Line and branch coverage of the lines that are new since <paramref name="baseline"/> (see the remarks).</summary>
    /// <param name="coverage">The current coverage; <see langword="null"/> when no report was read.</param>
    /// <param name="baseline">The baseline coverage.</param>
    /// <returns><see cref="QualityMetrics.NewLineCoverage"/> and <see cref="QualityMetrics.NewBranchCoverage"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseline"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<QualityMeasurement> NewCode(CoverageReport? coverage, CoverageReport baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (coverage is null)
        {
            return
            [
                QualityMeasurement.Unknown(QualityMetrics.NewLineCoverage, QualityUnit.Percent, NoCoverageReport),
                QualityMeasurement.Unknown(QualityMetrics.NewBranchCoverage, QualityUnit.Percent, NoCoverageReport),
            ];
        }

        long lines = 0, covered = 0, arms = 0, coveredArms = 0;
        foreach (FileCoverage file in coverage.Files)
        {
            baseline.TryGetFile(file.Path, out FileCoverage? before);
            foreach (LineCoverage line in file.Lines)
            {
                if (before is not null && before.TryGetLine(line.LineNumber, out _))
                {
                    continue;
                }

                lines++;
                covered += line.IsCovered ? 1 : 0;
                arms += line.BranchArms;
                coveredArms += line.CoveredBranchArms;
            }
        }

        return
        [
            QualityMeasurement.Ratio(QualityMetrics.NewLineCoverage, covered, lines, NoNewLines),
            lines == 0
                ? QualityMeasurement.Unknown(QualityMetrics.NewBranchCoverage, QualityUnit.Percent, NoNewLines)
                : QualityMeasurement.Ratio(QualityMetrics.NewBranchCoverage, coveredArms, arms, NoNewBranches),
        ];
    }
}
