namespace Musubi.Monitoring.Quality;

/// <summary>Finds the metrics whose threshold status changed between two consecutive snapshots.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class QualityAlerts
{
    /// <summary>
    /// Compares the status of every thresholded metric (see <see cref="QualityThreshold.Evaluate(QualityMeasurement)"/>)
    /// in <paramref name="previous"/> and <paramref name="current"/>, and returns one alert per metric whose status
    /// changed. An unchanged status gives no alert, so a metric that stays critical is reported once, not every time.
    /// </summary>
    /// <param name="previous">The snapshot before; <see langword="null"/> when there is none, in which case only metrics
    /// that are warning or critical now are reported (a first healthy or unknown reading is not news).</param>
    /// <param name="current">The new snapshot.</param>
    /// <param name="thresholds">The thresholds; one per metric id (the first wins). A metric missing from a snapshot is <see cref="QualityStatus.Unknown"/> in it.</param>
    /// <returns>The alerts, in the order of <paramref name="thresholds"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="current"/>, <paramref name="thresholds"/> or a threshold is <see langword="null"/>.</exception>
    public static IReadOnlyList<QualityAlert> Detect(QualitySnapshot? previous, QualitySnapshot current, IEnumerable<QualityThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(thresholds);
        var alerts = new List<QualityAlert>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (QualityThreshold threshold in thresholds)
        {
            ArgumentNullException.ThrowIfNull(threshold, nameof(thresholds));
            if (!seen.Add(threshold.Metric))
            {
                continue;
            }

            QualityMeasurement? before = previous is not null && previous.TryGet(threshold.Metric, out QualityMeasurement b) ? b : null;
            QualityMeasurement? now = current.TryGet(threshold.Metric, out QualityMeasurement n) ? n : null;
            QualityStatus beforeStatus = before is null ? QualityStatus.Unknown : threshold.Evaluate(before);
            QualityStatus nowStatus = now is null ? QualityStatus.Unknown : threshold.Evaluate(now);
            if (beforeStatus == nowStatus || (previous is null && nowStatus is QualityStatus.Healthy or QualityStatus.Unknown))
            {
                continue;
            }

            alerts.Add(new QualityAlert
            {
                Metric = threshold.Metric,
                Kind = KindOf(beforeStatus, nowStatus),
                PreviousStatus = beforeStatus,
                Status = nowStatus,
                Value = now?.Value,
                PreviousValue = before?.Value,
                Measurement = now,
                Threshold = threshold,
                Timestamp = current.Timestamp,
                PreviousTimestamp = previous?.Timestamp,
            });
        }

        return alerts;
    }

    private static QualityAlertKind KindOf(QualityStatus before, QualityStatus now) => now switch
    {
        QualityStatus.Unknown => QualityAlertKind.Unmeasured,
        QualityStatus.Healthy => QualityAlertKind.Resolved,
        // Healthy < Warning < Critical; Unknown (0) before counts as better than any problem.
        _ => before is QualityStatus.Unknown || now > before ? QualityAlertKind.Degraded : QualityAlertKind.Improved,
    };
}
