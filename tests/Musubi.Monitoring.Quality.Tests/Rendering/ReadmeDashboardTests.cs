using System.Runtime.CompilerServices;
using Musubi.Monitoring.Quality.Tests.Evaluation;

namespace Musubi.Monitoring.Quality.Tests.Rendering;

/// <summary>The dashboard shown in the README is what the code renders.</summary>
public sealed class ReadmeDashboardTests
{
    [Fact]
    public void ToText_ReadmeExample_IsInTheReadme()
    {
        var snapshot = new QualitySnapshot(Snapshots.At,
        [
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches"),
            QualityMeasurement.Known(QualityMetrics.FlakyTests, 4m, QualityUnit.Count),
            QualityMeasurement.Known("documentation", 87.5m, QualityUnit.Percent),
        ]);
        QualityGateResult gate = new QualityGate(
        [
            new QualityGateCondition(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m),
            new QualityGateCondition(QualityMetrics.BranchCoverage, QualityGateOperator.AtLeast, 70m),
            new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 90m) { IgnoreUnknown = true },
        ]).Evaluate(snapshot);

        string text = QualityDashboard.ToText(QualityEvaluation.Evaluate(snapshot), gate, new QualityDashboardOptions { Width = 100 });

        string readme = File.ReadAllText(Path.Combine(SourceDirectory(), "..", "..", "..", "README.md"));
        Assert.Contains("```text\n" + text + "```\n", readme.ReplaceLineEndings("\n"));
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
