using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>What one condition of a gate found: the actual value next to the expected one.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class QualityGateConditionResult
{
    internal QualityGateConditionResult(QualityGateCondition condition, QualityMeasurement? measurement)
    {
        Condition = condition;
        Actual = measurement?.Value;
        Unit = measurement?.Unit;
        UnknownReason = measurement is null ? "not in the snapshot" : measurement.UnknownReason;
        Outcome = Actual is { } actual
            ? condition.IsMetBy(actual) ? QualityGateOutcome.Passed : QualityGateOutcome.Failed
            : condition.IgnoreUnknown ? QualityGateOutcome.Skipped : QualityGateOutcome.NotMeasured;
    }

    /// <summary>The condition.</summary>
    public QualityGateCondition Condition { get; }

    /// <summary>The measured value; <see langword="null"/> when the metric was not measured.</summary>
    public decimal? Actual { get; }

    /// <summary>The metric's unit; <see langword="null"/> when the snapshot has no such metric.</summary>
    public QualityUnit? Unit { get; }

    /// <summary>Why nothing was measured ("not in the snapshot" when the metric is absent); <see langword="null"/> when measured.</summary>
    public string? UnknownReason { get; }

    /// <summary>What the condition found.</summary>
    public QualityGateOutcome Outcome { get; }

    /// <summary>Whether the condition fails the gate (<see cref="QualityGateOutcome.Failed"/> or <see cref="QualityGateOutcome.NotMeasured"/>).</summary>
    public bool IsFailure => Outcome is QualityGateOutcome.Failed or QualityGateOutcome.NotMeasured;

    /// <summary>
    /// The result as one line, such as "line_coverage is 79.999, expected at least 80" or
    /// "branch_coverage not measured (no branches), expected at least 70". The actual value is exact up to four decimals;
    /// a longer one is cut to four toward the failing side and marked "…" ("is 79.9999…"), never rounded past the limit.
    /// </summary>
    /// <returns>The text, culture-invariant.</returns>
    public override string ToString()
    {
        string expected = string.Create(CultureInfo.InvariantCulture, $"expected {QualityGateCondition.OperatorText(Condition.Operator)} {QualityText.Exact(Condition.Value)}");
        return Actual is { } actual
            ? string.Create(CultureInfo.InvariantCulture, $"{Condition.Metric} is {QualityText.GateValue(actual, Condition.Operator)}, {expected}")
            : $"{Condition.Metric} not measured ({UnknownReason}), {expected}{(Outcome == QualityGateOutcome.Skipped ? "; ignored" : string.Empty)}";
    }
}
