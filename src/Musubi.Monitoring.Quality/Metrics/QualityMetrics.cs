namespace Musubi.Monitoring.Quality;

/// <summary>The ids of the metrics Musubi.Monitoring measures from reports. Hosts add their own ids.</summary>
public static class QualityMetrics
{
    /// <summary>Covered lines over coverable lines, in percent.</summary>
    public const string LineCoverage = "line_coverage";

    /// <summary>Covered branch arms over branch arms, in percent; unknown when no line has a branch.</summary>
    public const string BranchCoverage = "branch_coverage";

    /// <summary>Methods with at least one covered line over methods with a coverable line, in percent.</summary>
    public const string MethodCoverage = "method_coverage";

    /// <summary>Passed tests over executed tests (passed + failed; skipped tests are not executed), in percent.</summary>
    public const string TestPassRate = "test_pass_rate";

    /// <summary>Tests that failed and then passed on a rerun of the same run.</summary>
    public const string FlakyTests = "flaky_tests";

    /// <summary>Tests whose final outcome is failed.</summary>
    public const string FailedTests = "failed_tests";

    /// <summary>Line coverage of the lines that are coverable now and were not in the baseline report, in percent.</summary>
    public const string NewLineCoverage = "new_line_coverage";

    /// <summary>Branch coverage of the new lines (see <see cref="NewLineCoverage"/>), in percent.</summary>
    public const string NewBranchCoverage = "new_branch_coverage";

    /// <summary>The unit of a built-in metric, or <see langword="null"/> for a host metric (any id not above).</summary>
    internal static QualityUnit? UnitOf(string metric) => metric switch
    {
        LineCoverage or BranchCoverage or MethodCoverage or TestPassRate or NewLineCoverage or NewBranchCoverage => QualityUnit.Percent,
        FlakyTests or FailedTests => QualityUnit.Count,
        _ => null,
    };
}
