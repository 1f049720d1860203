using Musubi.Monitoring.Quality.Tests.Evaluation;

namespace Musubi.Monitoring.Quality.Tests.Gates;

public sealed class QualityGateTests
{
    private static readonly QualityGateCondition s_line80 = new(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m);

    [Fact]
    public void Evaluate_79999AgainstAtLeast80_FailsWithActualAndExpected()
    {
        var gate = new QualityGate([s_line80]);
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"));

        QualityGateResult result = gate.Evaluate(snapshot);

        Assert.False(result.Passed);
        QualityGateConditionResult failure = Assert.Single(result.Failures);
        Assert.Equal(QualityGateOutcome.Failed, failure.Outcome);
        Assert.Equal(79.999m, failure.Actual);
        Assert.Equal(80m, failure.Condition.Value);
        Assert.Equal("line_coverage is 79.999, expected at least 80", failure.ToString());
    }

    [Theory]
    [InlineData(QualityGateOperator.AtLeast, 94_770_947, 100_000_000, "line_coverage is 94.7709…, expected at least 95")]
    [InlineData(QualityGateOperator.AtLeast, 79_999_999, 100_000_000, "line_coverage is 79.9999…, expected at least 80")]
    [InlineData(QualityGateOperator.AtMost, 80_000_001, 100_000_000, "line_coverage is 80.0001…, expected at most 80")]
    [InlineData(QualityGateOperator.AtLeast, 2, 3, "line_coverage is 66.6666…, expected at least 80")]
    public void FailureText_ValueWithManyDecimals_IsCutToFourTowardTheFailingSide(QualityGateOperator op, long covered, long coverable, string expected)
    {
        decimal limit = expected.Contains("95", StringComparison.Ordinal) ? 95m : 80m;
        var gate = new QualityGate([new QualityGateCondition(QualityMetrics.LineCoverage, op, limit)]);

        QualityGateResult result = gate.Evaluate(Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, covered, coverable, "no lines")));

        Assert.Equal(expected, Assert.Single(result.Failures).ToString());
    }

    [Theory]
    [InlineData(QualityGateOperator.AtLeast, "80", true)]
    [InlineData(QualityGateOperator.AtLeast, "79.999999999", false)]
    [InlineData(QualityGateOperator.AtMost, "80", true)]
    [InlineData(QualityGateOperator.AtMost, "80.000000001", false)]
    [InlineData(QualityGateOperator.LessThan, "79.999999999", true)]
    [InlineData(QualityGateOperator.LessThan, "80", false)]
    [InlineData(QualityGateOperator.GreaterThan, "80.000000001", true)]
    [InlineData(QualityGateOperator.GreaterThan, "80", false)]
    public void IsMetBy_ComparesExactly(QualityGateOperator op, string actual, bool expected)
    {
        var condition = new QualityGateCondition("complexity", op, 80m);

        Assert.Equal(expected, condition.IsMetBy(decimal.Parse(actual, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Evaluate_UnknownValue_FailsAsNotMeasuredWithTheReason()
    {
        var gate = new QualityGate([new QualityGateCondition(QualityMetrics.BranchCoverage, QualityGateOperator.AtLeast, 70m)]);
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches"));

        QualityGateResult result = gate.Evaluate(snapshot);

        Assert.False(result.Passed);
        QualityGateConditionResult failure = Assert.Single(result.Failures);
        Assert.Equal(QualityGateOutcome.NotMeasured, failure.Outcome);
        Assert.Null(failure.Actual);
        Assert.Equal("branch_coverage not measured (no branches), expected at least 70", failure.ToString());
    }

    [Fact]
    public void Evaluate_MetricAbsentFromSnapshot_FailsAsNotInTheSnapshot()
    {
        var gate = new QualityGate([new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 90m)]);

        QualityGateConditionResult failure = Assert.Single(gate.Evaluate(Snapshots.Of()).Failures);

        Assert.Equal(QualityGateOutcome.NotMeasured, failure.Outcome);
        Assert.Null(failure.Unit);
        Assert.Equal("new_line_coverage not measured (not in the snapshot), expected at least 90", failure.ToString());
    }

    [Fact]
    public void Evaluate_UnknownWithIgnoreUnknown_IsSkippedAndPasses()
    {
        var gate = new QualityGate(
        [
            s_line80,
            new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 90m) { IgnoreUnknown = true },
        ]);
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Known(QualityMetrics.LineCoverage, 80m, QualityUnit.Percent));

        QualityGateResult result = gate.Evaluate(snapshot);

        Assert.True(result.Passed);
        Assert.Empty(result.Failures);
        Assert.Equal([QualityGateOutcome.Passed, QualityGateOutcome.Skipped], result.Conditions.Select(c => c.Outcome));
        Assert.EndsWith("; ignored", result.Conditions[1].ToString());
    }

    [Fact]
    public void Evaluate_IgnoreUnknownButMeasuredAndFailing_StillFails()
    {
        var gate = new QualityGate([new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 90m) { IgnoreUnknown = true }]);

        QualityGateResult result = gate.Evaluate(Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.NewLineCoverage, 8, 10, "no new lines")));

        Assert.False(result.Passed);
        Assert.Equal(80m, result.Failures[0].Actual);
    }

    [Fact]
    public void Evaluate_SeveralFailures_ListsEachInOrder()
    {
        var gate = new QualityGate(
        [
            s_line80,
            new QualityGateCondition(QualityMetrics.MethodCoverage, QualityGateOperator.AtLeast, 50m),
            new QualityGateCondition(QualityMetrics.FlakyTests, QualityGateOperator.AtMost, 3m),
            new QualityGateCondition(QualityMetrics.BranchCoverage, QualityGateOperator.AtLeast, 70m),
        ]);

        QualityGateResult result = gate.Evaluate(Snapshots.Mixed());

        Assert.Equal(
            ["line_coverage is 79.999, expected at least 80", "flaky_tests is 4, expected at most 3", "branch_coverage not measured (no branches), expected at least 70"],
            result.Failures.Select(f => f.ToString()));
        Assert.Equal(4, result.Conditions.Count);
    }

    [Fact]
    public void Default_CoverageOnly_PassesAtEightyAndIgnoresMissingTestsAndBaseline()
    {
        QualityGateResult passing = QualityGate.Default.Evaluate(Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 80, 100, "no coverable lines")));
        QualityGateResult failing = QualityGate.Default.Evaluate(Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 0, 0, "no coverable lines")));

        Assert.True(passing.Passed);
        Assert.Equal(QualityGateOutcome.NotMeasured, Assert.Single(failing.Failures).Outcome);
    }

    [Fact]
    public void Constructor_NoConditionsOrNull_Throws()
    {
        Assert.Throws<ArgumentException>(() => new QualityGate([]));
        Assert.Throws<ArgumentNullException>(() => new QualityGate(null!));
        Assert.Throws<ArgumentNullException>(() => new QualityGate([null!]));
        Assert.Throws<ArgumentNullException>(() => new QualityGate([s_line80]).Evaluate(null!));
    }

    [Fact]
    public void Condition_BadMetricOrOperator_ThrowsNamingIt()
    {
        Assert.Contains("'line coverage'", Assert.Throws<ArgumentException>(() => new QualityGateCondition("line coverage", QualityGateOperator.AtLeast, 1m)).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new QualityGateCondition("x", (QualityGateOperator)42, 1m));
        Assert.Equal((QualityGateOperator)42, e.ActualValue);
    }

    [Fact]
    public void Condition_ToString_IsInvariant()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("test_pass_rate greater than 99.5", new QualityGateCondition(QualityMetrics.TestPassRate, QualityGateOperator.GreaterThan, 99.5m).ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }
}
