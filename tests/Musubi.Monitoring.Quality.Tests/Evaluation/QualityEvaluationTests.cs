namespace Musubi.Monitoring.Quality.Tests.Evaluation;

public sealed class QualityEvaluationTests
{
    [Fact]
    public void Evaluate_79999Of100000Lines_IsWarningNotHealthy()
    {
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"));

        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot);

        Assert.True(evaluation.TryGet(QualityMetrics.LineCoverage, out QualityMetricEvaluation line));
        Assert.Equal(79.999m, line.Measurement.Value);
        Assert.Equal(QualityStatus.Warning, line.Status);
        Assert.Equal(QualityStatus.Warning, evaluation.Overall);
    }

    [Fact]
    public void Evaluate_MetricWithoutThreshold_IsListedAsUnknownWithoutThreshold()
    {
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Known("documentation", 87.5m, QualityUnit.Percent));

        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot);

        QualityMetricEvaluation doc = Assert.Single(evaluation.Metrics);
        Assert.False(doc.HasThreshold);
        Assert.Null(doc.Threshold);
        Assert.True(doc.Measurement.IsKnown);
        Assert.Equal(QualityStatus.Unknown, doc.Status);
        Assert.Equal(QualityStatus.Unknown, evaluation.Overall);
    }

    [Fact]
    public void Evaluate_Mixed_OverallIsWorstKnownStatus()
    {
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Mixed());

        Assert.Equal(QualityStatus.Critical, evaluation.Overall); // flaky_tests 4 > 3
        Assert.Equal(
            ["line_coverage", "branch_coverage", "method_coverage", "test_pass_rate", "flaky_tests", "documentation"],
            evaluation.Metrics.Select(m => m.Metric));
        Assert.Equal(
            [QualityStatus.Warning, QualityStatus.Unknown, QualityStatus.Healthy, QualityStatus.Healthy, QualityStatus.Critical, QualityStatus.Unknown],
            evaluation.Metrics.Select(m => m.Status));
    }

    [Fact]
    public void Evaluate_HealthyAndUnknown_OverallIsHealthyNotUnknown()
    {
        QualitySnapshot snapshot = Snapshots.Of(
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 9, 10, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches"));

        Assert.Equal(QualityStatus.Healthy, QualityEvaluation.Evaluate(snapshot).Overall);
    }

    [Fact]
    public void Evaluate_NothingMeasured_OverallIsUnknown()
    {
        QualitySnapshot snapshot = Snapshots.Of(
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 0, 0, "no coverable lines"),
            QualityMeasurement.Unknown(QualityMetrics.TestPassRate, QualityUnit.Percent, "no test results"));

        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot);

        Assert.Equal(QualityStatus.Unknown, evaluation.Overall);
        Assert.All(evaluation.Metrics, m => Assert.Equal(QualityStatus.Unknown, m.Status));
        Assert.All(evaluation.Metrics, m => Assert.True(m.HasThreshold));
    }

    [Fact]
    public void Evaluate_EmptySnapshot_OverallIsUnknown()
    {
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Of());

        Assert.Empty(evaluation.Metrics);
        Assert.Equal(QualityStatus.Unknown, evaluation.Overall);
    }

    [Fact]
    public void Evaluate_CustomThresholds_AreUsedInsteadOfDefaults()
    {
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Known(QualityMetrics.LineCoverage, 70m, QualityUnit.Percent));
        QualityThresholdSet strict = QualityThresholdSet.Default.With(new QualityThreshold(QualityMetrics.LineCoverage, 95m, 90m));

        Assert.Equal(QualityStatus.Warning, QualityEvaluation.Evaluate(snapshot).Overall);
        Assert.Equal(QualityStatus.Critical, QualityEvaluation.Evaluate(snapshot, strict).Overall);
        Assert.Same(strict, QualityEvaluation.Evaluate(snapshot, strict).Thresholds);
    }

    [Fact]
    public void Evaluate_NullSnapshot_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QualityEvaluation.Evaluate(null!));
    }

    [Fact]
    public void TryGet_AbsentMetric_ReturnsFalse()
    {
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Mixed());

        Assert.False(evaluation.TryGet("complexity", out _));
        Assert.Throws<ArgumentNullException>(() => evaluation.TryGet(null!, out _));
    }
}
