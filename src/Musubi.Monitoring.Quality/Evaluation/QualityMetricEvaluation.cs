namespace Musubi.Monitoring.Quality;

/// <summary>One metric of a <see cref="QualityEvaluation"/>: its measurement, its threshold if it has one, and its status.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class QualityMetricEvaluation
{
    internal QualityMetricEvaluation(QualityMeasurement measurement, QualityThreshold? threshold)
    {
        Measurement = measurement;
        Threshold = threshold;
        Status = threshold is null ? QualityStatus.Unknown : threshold.Evaluate(measurement);
    }

    /// <summary>The metric id.</summary>
    public string Metric => Measurement.Metric;

    /// <summary>The measurement.</summary>
    public QualityMeasurement Measurement { get; }

    /// <summary>The metric's threshold; <see langword="null"/> when the threshold set has none for it.</summary>
    public QualityThreshold? Threshold { get; }

    /// <summary>Whether the metric has a threshold.</summary>
    public bool HasThreshold => Threshold is not null;

    /// <summary>
    /// The status: <see cref="QualityStatus.Unknown"/> when nothing was measured or when the metric has no threshold
    /// (tell the two apart with <see cref="HasThreshold"/> and <see cref="QualityMeasurement.IsKnown"/>).
    /// </summary>
    public QualityStatus Status { get; }
}
