using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>Where one metric turns from healthy to warning, and from warning to critical.</summary>
/// <remarks>
/// Values are compared exactly, never rounded: with <see cref="ThresholdDirection.HigherIsBetter"/>, a value at or
/// above <see cref="Healthy"/> is healthy, a value at or above <see cref="Critical"/> is a warning, and a value below
/// <see cref="Critical"/> is critical, so 79.999 against a healthy threshold of 80 is a warning.
/// <see cref="ThresholdDirection.LowerIsBetter"/> mirrors it: at or below <see cref="Healthy"/> is healthy, at or below
/// <see cref="Critical"/> is a warning, above it critical. An unknown measurement is always
/// <see cref="QualityStatus.Unknown"/>.
/// </remarks>
public sealed record QualityThreshold
{
    /// <summary>Creates a threshold.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="healthy">The value from which the metric is healthy.</param>
    /// <param name="critical">The value past which the metric is critical; on the worse side of <paramref name="healthy"/> or equal to it.</param>
    /// <param name="direction">Which way the metric improves.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not a valid metric id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="critical"/> is on the better side of <paramref name="healthy"/>; a value is outside what a built-in
    /// metric can measure (0 to 100 for a percentage such as <c>line_coverage</c>, 0 or more for a count such as
    /// <c>flaky_tests</c>), so the threshold could never be met or never be missed; or <paramref name="direction"/> is undefined.
    /// </exception>
    public QualityThreshold(string metric, decimal healthy, decimal critical, ThresholdDirection direction = ThresholdDirection.HigherIsBetter)
    {
        QualityMeasurement.ValidateMetric(metric);
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown threshold direction.");
        }

        CheckRange(metric, "healthy", healthy);
        CheckRange(metric, "critical", critical);
        bool ordered = direction == ThresholdDirection.HigherIsBetter ? critical <= healthy : critical >= healthy;
        if (!ordered)
        {
            throw new ArgumentOutOfRangeException(
                nameof(critical),
                critical,
                string.Create(CultureInfo.InvariantCulture, $"The critical threshold {critical} of '{metric}' must be {(direction == ThresholdDirection.HigherIsBetter ? "at or below" : "at or above")} its healthy threshold {healthy}."));
        }

        Metric = metric;
        Healthy = healthy;
        Critical = critical;
        Direction = direction;
    }

    private static void CheckRange(string metric, string name, decimal value)
    {
        string? problem = QualityMetrics.UnitOf(metric) switch
        {
            QualityUnit.Percent when value is < 0m or > 100m => "is outside 0 to 100, the range of a percentage",
            QualityUnit.Count when value < 0m => "is below 0, and a count never is",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"The {name} threshold {value} of '{metric}' {problem}."));
        }
    }

    /// <summary>The metric id.</summary>
    public string Metric { get; }

    /// <summary>The value from which the metric is healthy.</summary>
    public decimal Healthy { get; }

    /// <summary>The value past which the metric is critical.</summary>
    public decimal Critical { get; }

    /// <summary>Which way the metric improves.</summary>
    public ThresholdDirection Direction { get; }

    /// <summary>The status of <paramref name="measurement"/> against this threshold.</summary>
    /// <param name="measurement">A measurement of <see cref="Metric"/>.</param>
    /// <returns>The status; <see cref="QualityStatus.Unknown"/> when nothing was measured.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="measurement"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="measurement"/> is of another metric; the message names both.</exception>
    public QualityStatus Evaluate(QualityMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!string.Equals(measurement.Metric, Metric, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The threshold of '{Metric}' cannot evaluate a measurement of '{measurement.Metric}'.", nameof(measurement));
        }

        return measurement.Value is { } value ? Evaluate(value) : QualityStatus.Unknown;
    }

    /// <summary>The status of <paramref name="value"/> against this threshold, compared exactly.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Healthy, warning or critical.</returns>
    public QualityStatus Evaluate(decimal value) => Direction == ThresholdDirection.HigherIsBetter
        ? value >= Healthy ? QualityStatus.Healthy : value >= Critical ? QualityStatus.Warning : QualityStatus.Critical
        : value <= Healthy ? QualityStatus.Healthy : value <= Critical ? QualityStatus.Warning : QualityStatus.Critical;
}
