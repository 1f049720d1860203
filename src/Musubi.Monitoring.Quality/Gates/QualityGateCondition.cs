using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>One condition of a <see cref="QualityGate"/>: a metric, an operator and the expected value, such as "line_coverage at least 80".</summary>
/// <remarks>
/// Conditions on new code use the metric ids <see cref="QualityMetrics.NewLineCoverage"/> and
/// <see cref="QualityMetrics.NewBranchCoverage"/>, which the report readers measure when given a baseline report.
/// A metric that was not measured fails its condition ("not measured") unless <see cref="IgnoreUnknown"/> is set,
/// for example on a new-code condition that should only apply when a baseline is given.
/// </remarks>
public sealed record QualityGateCondition
{
    /// <summary>Creates a condition.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="operator">How the value is compared with <paramref name="value"/>.</param>
    /// <param name="value">The expected value.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not a valid metric id; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operator"/> is undefined.</exception>
    public QualityGateCondition(string metric, QualityGateOperator @operator, decimal value)
    {
        QualityMeasurement.ValidateMetric(metric);
        if (!Enum.IsDefined(@operator))
        {
            throw new ArgumentOutOfRangeException(nameof(@operator), @operator, $"Unknown gate operator for '{metric}'; use AtLeast, AtMost, LessThan or GreaterThan.");
        }

        Metric = metric;
        Operator = @operator;
        Value = value;
    }

    /// <summary>The metric id.</summary>
    public string Metric { get; }

    /// <summary>How the value is compared.</summary>
    public QualityGateOperator Operator { get; }

    /// <summary>The expected value.</summary>
    public decimal Value { get; }

    /// <summary>Gets whether a metric that was not measured passes this condition (as <see cref="QualityGateOutcome.Skipped"/>) instead of failing it.</summary>
    /// <value>The default is <see langword="false"/>: an unknown value fails the condition.</value>
    public bool IgnoreUnknown { get; init; }

    /// <summary>Whether <paramref name="actual"/> meets the condition, compared exactly.</summary>
    /// <param name="actual">The measured value.</param>
    /// <returns><see langword="true"/> when it meets it.</returns>
    public bool IsMetBy(decimal actual) => Operator switch
    {
        QualityGateOperator.AtLeast => actual >= Value,
        QualityGateOperator.AtMost => actual <= Value,
        QualityGateOperator.LessThan => actual < Value,
        _ => actual > Value,
    };

    /// <summary>The condition as text, such as "line_coverage at least 80".</summary>
    /// <returns>The text, culture-invariant.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Metric} {OperatorText(Operator)} {Value}");

    internal static string OperatorText(QualityGateOperator op) => op switch
    {
        QualityGateOperator.AtLeast => "at least",
        QualityGateOperator.AtMost => "at most",
        QualityGateOperator.LessThan => "less than",
        _ => "greater than",
    };

    internal static string OperatorSymbol(QualityGateOperator op) => op switch
    {
        QualityGateOperator.AtLeast => ">=",
        QualityGateOperator.AtMost => "<=",
        QualityGateOperator.LessThan => "<",
        _ => ">",
    };
}
