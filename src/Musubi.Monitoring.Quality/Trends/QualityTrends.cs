namespace Musubi.Monitoring.Quality;

/// <summary>Tells whether metrics are improving, stable or declining over the latest snapshots.</summary>
/// <remarks>
/// <para>
/// The method is first versus last: within the window (the latest <see cref="QualityTrendOptions.Window"/> snapshots),
/// the change is the newest known value minus the oldest known value, computed exactly in <see cref="decimal"/>. A
/// change whose size is at most the stable band is <see cref="QualityTrendDirection.Stable"/>; otherwise a change the
/// better way (up for <see cref="ThresholdDirection.HigherIsBetter"/>, down for
/// <see cref="ThresholdDirection.LowerIsBetter"/>) is <see cref="QualityTrendDirection.Improving"/> and the other way
/// <see cref="QualityTrendDirection.Declining"/>. Snapshots where the metric is unknown or missing are skipped; with
/// fewer than two known values the trend is <see cref="QualityTrendDirection.Unknown"/>.
/// </para>
/// <para>
/// First versus last was chosen over a least-squares slope because it is exact, cannot be moved by rounding, and reads
/// plainly ("from 78.2 to 81 over the last 5 snapshots"); it ignores the path in between.
/// </para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class QualityTrends
{
    /// <summary>The trend of one metric over <paramref name="snapshots"/>.</summary>
    /// <param name="snapshots">The snapshots to look at, all of them (the caller picks the window); sorted here by timestamp.</param>
    /// <param name="metric">The metric id.</param>
    /// <param name="better">Which way the metric improves.</param>
    /// <param name="stableBand">The change, either way and inclusive, that still counts as stable; 0 or more.</param>
    /// <returns>The trend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshots"/>, one of them or <paramref name="metric"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stableBand"/> is negative, or <paramref name="better"/> is undefined.</exception>
    public static QualityTrend Compute(IEnumerable<QualitySnapshot> snapshots, string metric, ThresholdDirection better, decimal stableBand)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(metric);
        QualitySnapshot[] ordered = Order(snapshots);
        return ComputeOrdered(ordered, metric, better, stableBand);
    }

    /// <summary>The trend of every metric found in the latest <see cref="QualityTrendOptions.Window"/> snapshots.</summary>
    /// <param name="snapshots">The history, in any order (usually <see cref="IQualityHistoryStore.GetLatestAsync"/> of the window).</param>
    /// <param name="options">The window, bands and directions.</param>
    /// <param name="thresholds">Thresholds whose <see cref="QualityThreshold.Direction"/> says which way a metric improves; none when <see langword="null"/>.</param>
    /// <returns>One trend per metric, in the order the metrics first appear in the window (oldest snapshot first).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshots"/>, one of them, <paramref name="options"/> or a threshold is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each bad option.</exception>
    public static IReadOnlyList<QualityTrend> Compute(IEnumerable<QualitySnapshot> snapshots, QualityTrendOptions options, IEnumerable<QualityThreshold>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = options.Problems("QualityTrendOptions.");
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var thresholdDirections = new Dictionary<string, ThresholdDirection>(StringComparer.Ordinal);
        foreach (QualityThreshold threshold in thresholds ?? [])
        {
            ArgumentNullException.ThrowIfNull(threshold, nameof(thresholds));
            thresholdDirections.TryAdd(threshold.Metric, threshold.Direction);
        }

        QualitySnapshot[] ordered = Order(snapshots);
        QualitySnapshot[] window = ordered.Length > options.Window ? ordered[^options.Window..] : ordered;
        var metrics = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (QualitySnapshot snapshot in window)
        {
            foreach (QualityMeasurement measurement in snapshot.Measurements)
            {
                if (seen.Add(measurement.Metric))
                {
                    metrics.Add(measurement.Metric);
                }
            }
        }

        var trends = new QualityTrend[metrics.Count];
        for (int i = 0; i < metrics.Count; i++)
        {
            string metric = metrics[i];
            ThresholdDirection better = options.Directions.TryGetValue(metric, out ThresholdDirection d) ? d
                : thresholdDirections.TryGetValue(metric, out d) ? d
                : ThresholdDirection.HigherIsBetter;
            decimal band = options.MetricBands.TryGetValue(metric, out decimal b) ? b : options.StableBand;
            trends[i] = ComputeOrdered(window, metric, better, band);
        }

        return trends;
    }

    private static QualitySnapshot[] Order(IEnumerable<QualitySnapshot> snapshots)
    {
        QualitySnapshot[] all = [.. snapshots];
        foreach (QualitySnapshot snapshot in all)
        {
            ArgumentNullException.ThrowIfNull(snapshot, nameof(snapshots));
        }

        // OrderBy is stable: snapshots of the same instant keep the order given.
        return [.. all.OrderBy(s => s.Timestamp.UtcTicks)];
    }

    private static QualityTrend ComputeOrdered(QualitySnapshot[] ordered, string metric, ThresholdDirection better, decimal stableBand)
    {
        if (!Enum.IsDefined(better))
        {
            throw new ArgumentOutOfRangeException(nameof(better), better, "Unknown threshold direction.");
        }

        if (stableBand < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(stableBand), stableBand, FormattableString.Invariant($"The stable band of '{metric}' is {stableBand}; use 0 or more."));
        }

        int known = 0;
        decimal? first = null, last = null;
        DateTimeOffset? firstAt = null, lastAt = null;
        foreach (QualitySnapshot snapshot in ordered)
        {
            if (snapshot.TryGet(metric, out QualityMeasurement measurement) && measurement.Value is { } value)
            {
                known++;
                if (first is null)
                {
                    first = value;
                    firstAt = snapshot.Timestamp;
                }

                last = value;
                lastAt = snapshot.Timestamp;
            }
        }

        decimal? change = known >= 2 ? last - first : null;
        QualityTrendDirection direction = change switch
        {
            null => QualityTrendDirection.Unknown,
            { } c when Math.Abs(c) <= stableBand => QualityTrendDirection.Stable,
            { } c when c > 0m == (better == ThresholdDirection.HigherIsBetter) => QualityTrendDirection.Improving,
            _ => QualityTrendDirection.Declining,
        };

        return new QualityTrend
        {
            Metric = metric,
            Direction = direction,
            Better = better,
            StableBand = stableBand,
            SnapshotCount = ordered.Length,
            KnownCount = known,
            First = first,
            FirstAt = firstAt,
            Last = last,
            LastAt = lastAt,
            Change = change,
        };
    }
}
