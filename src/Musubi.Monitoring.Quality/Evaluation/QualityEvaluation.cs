namespace Musubi.Monitoring.Quality;

/// <summary>A <see cref="QualitySnapshot"/> evaluated against a <see cref="QualityThresholdSet"/>: a status per metric and overall.</summary>
/// <remarks>
/// <para>
/// Every measurement of the snapshot is listed, in the snapshot's order. A metric with a threshold gets the threshold's
/// status, compared exactly (79.999 is below 80). A metric that has no threshold is listed with
/// <see cref="QualityStatus.Unknown"/> and <see cref="QualityMetricEvaluation.HasThreshold"/> false (the dashboards show
/// it as "no threshold"); a threshold whose metric is not in the snapshot is not listed.
/// </para>
/// <para>
/// <see cref="Overall"/> is the worst status among the metrics that have a threshold and a measured value
/// (Critical, then Warning, then Healthy). It is <see cref="QualityStatus.Unknown"/> only when no metric with a
/// threshold was measured. A metric that is unknown does not lower the overall status: it is shown as UNKNOWN
/// on its own row, and a quality gate (<see cref="QualityGate"/>) fails on it unless told otherwise.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class QualityEvaluation
{
    private readonly Dictionary<string, QualityMetricEvaluation> _byMetric;

    private QualityEvaluation(QualitySnapshot snapshot, QualityThresholdSet thresholds, QualityMetricEvaluation[] metrics)
    {
        Snapshot = snapshot;
        Thresholds = thresholds;
        Metrics = metrics;
        _byMetric = metrics.ToDictionary(m => m.Metric, StringComparer.Ordinal);
        QualityStatus overall = QualityStatus.Unknown;
        foreach (QualityMetricEvaluation metric in metrics)
        {
            if (metric.HasThreshold && metric.Measurement.IsKnown && metric.Status > overall)
            {
                overall = metric.Status;
            }
        }

        Overall = overall;
    }

    /// <summary>The snapshot evaluated.</summary>
    public QualitySnapshot Snapshot { get; }

    /// <summary>The thresholds it was evaluated against.</summary>
    public QualityThresholdSet Thresholds { get; }

    /// <summary>One entry per measurement of the snapshot, in its order.</summary>
    public IReadOnlyList<QualityMetricEvaluation> Metrics { get; }

    /// <summary>The worst known status; <see cref="QualityStatus.Unknown"/> only when no metric with a threshold was measured.</summary>
    public QualityStatus Overall { get; }

    /// <summary>Evaluates a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="thresholds">The thresholds; <see langword="null"/> uses <see cref="QualityThresholdSet.Default"/>.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    public static QualityEvaluation Evaluate(QualitySnapshot snapshot, QualityThresholdSet? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        thresholds ??= QualityThresholdSet.Default;
        QualityMetricEvaluation[] metrics = [.. snapshot.Measurements.Select(m =>
            new QualityMetricEvaluation(m, thresholds.TryGet(m.Metric, out QualityThreshold t) ? t : null))];
        return new QualityEvaluation(snapshot, thresholds, metrics);
    }

    /// <summary>Finds a metric's evaluation.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="evaluation">The evaluation, when the snapshot has the metric.</param>
    /// <returns>Whether the snapshot has the metric.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    public bool TryGet(string metric, out QualityMetricEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _byMetric.TryGetValue(metric, out evaluation!);
    }
}
