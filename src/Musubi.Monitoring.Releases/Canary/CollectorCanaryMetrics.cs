using System.Globalization;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Reads canary metrics from the in-process <see cref="MusubiMetricsCollector"/>: HTTP success and error ratios,
/// latency quantiles and custom queries, each over the window between two snapshots of the cumulative counters.
/// </summary>
/// <remarks>
/// <para>
/// <b>Windows.</b> The provider takes a snapshot of the collector when an analysis begins and at each window's end,
/// and remembers it under that time (the last <see cref="RetainedReadings"/> of them). A window is the difference
/// between the snapshot remembered at its end and the one at its start (or the latest before it): per series, the
/// increase of the count and of each histogram bucket, a series missing at the start counting from 0 and a series
/// whose count went down counting from its reset, as PromQL's <c>increase</c> does. Several metrics measured for the
/// same window share one end snapshot. A window whose start has no snapshot at or before it has no data for the HTTP queries (a custom query gets
/// <see langword="null"/> as its start snapshot and decides).
/// </para>
/// <para>
/// <b>Queries.</b> Success ratio <c>1 − 5xx/total</c> and error ratio <c>5xx/total</c> count requests of
/// <see cref="CanaryQuery.HttpRequestHistogram"/> by the <see cref="CanaryQuery.StatusCodeLabel"/> label; a window
/// without requests has no data. A latency quantile merges the window's buckets of the matching series and estimates
/// the quantile as Prometheus' <c>histogram_quantile</c> does (linear within a bucket; in the +Inf bucket, the highest
/// finite bound), in seconds. A custom query gets the end and start snapshots; returning <see langword="null"/> or NaN
/// is no data, and throwing is an error. Named queries are not supported here and are reported as errors.
/// </para>
/// <para>Thread-safe: several analyses may share one provider.</para>
/// </remarks>
public sealed class CollectorCanaryMetrics : ICanaryMetricsProvider
{
    /// <summary>The number of snapshots remembered, oldest dropped first.</summary>
    public const int RetainedReadings = 64;

    private readonly MusubiMetricsCollector _collector;
    private readonly Lock _lock = new();
    private readonly SortedList<DateTimeOffset, MetricsSnapshot> _readings = [];

    /// <summary>Initializes a new instance of the <see cref="CollectorCanaryMetrics"/> class.</summary>
    /// <param name="collector">The collector to read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collector"/> is <see langword="null"/>.</exception>
    public CollectorCanaryMetrics(MusubiMetricsCollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        _collector = collector;
    }

    /// <summary>Takes the snapshot the first window starts from.</summary>
    /// <param name="start">The start of the first window.</param>
    /// <param name="cancellationToken">Not used: the snapshot is taken synchronously.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public ValueTask BeginAnalysisAsync(DateTimeOffset start, CancellationToken cancellationToken)
    {
        ReadingAt(start);
        return ValueTask.CompletedTask;
    }

    /// <summary>Measures <paramref name="metric"/> over <paramref name="window"/> from the collector's snapshots.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Not used: the measurement is taken synchronously.</param>
    /// <returns>The measurement: a value, no data, or an error for a named query or a custom query that threw.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public ValueTask<MetricMeasurement> MeasureAsync(AnalysisMetric metric, CanaryWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        MetricsSnapshot end = ReadingAt(window.End);
        MetricsSnapshot? start = ReadingBefore(window.Start);
        return ValueTask.FromResult(Measure(metric.Query, end, start));
    }

    private static MetricMeasurement Measure(CanaryQuery query, MetricsSnapshot end, MetricsSnapshot? start)
    {
        switch (query.Kind)
        {
            case CanaryQueryKind.Custom:
                double? value;
                try
                {
                    value = query.CustomQuery!(end, start);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return MetricMeasurement.Error("the custom query threw " + ex.GetType().Name + ": " + ex.Message);
                }

                return value is { } v ? MetricMeasurement.Of(v) : MetricMeasurement.NoData("the custom query returned no value");
            case CanaryQueryKind.Named:
                return MetricMeasurement.Error($"CollectorCanaryMetrics does not run named queries ('{query.Text}'); use a provider for that language.");
        }

        if (start is null)
        {
            return MetricMeasurement.NoData("no reading of the collector at or before the window's start");
        }

        List<(MetricSeriesSnapshot Series, HistogramSnapshot Increase)> increases = Increases(query, end, start);
        if (query.Kind == CanaryQueryKind.LatencyQuantile)
        {
            HistogramSnapshot? merged = null;
            foreach ((_, HistogramSnapshot increase) in increases)
            {
                merged = merged is null ? increase : merged.Merge(increase);
            }

            return merged is null || merged.Count == 0
                ? MetricMeasurement.NoData("no requests in the window")
                : MetricMeasurement.Of(merged.EstimateQuantile(query.Quantile));
        }

        long total = 0;
        long errors = 0;
        foreach ((MetricSeriesSnapshot series, HistogramSnapshot increase) in increases)
        {
            total += increase.Count;
            if (int.TryParse(series.Label(CanaryQuery.StatusCodeLabel), NumberStyles.None, CultureInfo.InvariantCulture, out int status)
                && status is >= 500 and <= 599)
            {
                errors += increase.Count;
            }
        }

        if (total == 0)
        {
            return MetricMeasurement.NoData("no requests in the window");
        }

        double errorRatio = (double)errors / total;
        return MetricMeasurement.Of(query.Kind == CanaryQueryKind.ErrorRatio ? errorRatio : 1 - errorRatio);
    }

    /// <summary>The per-series increase of the request histogram between the two snapshots.</summary>
    private static List<(MetricSeriesSnapshot, HistogramSnapshot)> Increases(CanaryQuery query, MetricsSnapshot end, MetricsSnapshot start)
    {
        var result = new List<(MetricSeriesSnapshot, HistogramSnapshot)>();
        if (end.Find(CanaryQuery.HttpRequestHistogram) is not { } family)
        {
            return result;
        }

        Dictionary<string, HistogramSnapshot> before = [];
        if (start.Find(CanaryQuery.HttpRequestHistogram) is { } startFamily)
        {
            foreach (MetricSeriesSnapshot series in startFamily.Series)
            {
                if (series.Histogram is { } histogram)
                {
                    before[Key(series)] = histogram;
                }
            }
        }

        foreach (MetricSeriesSnapshot series in family.Series)
        {
            if (series.Histogram is not { } now || !Matches(series, query.Labels))
            {
                continue;
            }

            HistogramSnapshot increase = now;
            if (before.TryGetValue(Key(series), out HistogramSnapshot? then) && then.Count <= now.Count && then.Bounds.SequenceEqual(now.Bounds))
            {
                long[] counts = new long[now.BucketCounts.Count];
                bool reset = false;
                for (int i = 0; i < counts.Length; i++)
                {
                    counts[i] = now.BucketCounts[i] - then.BucketCounts[i];
                    reset |= counts[i] < 0;
                }

                // A bucket that went down means the series restarted: its current counts are the increase.
                if (!reset)
                {
                    increase = new HistogramSnapshot(now.Bounds, counts, now.Count - then.Count, now.Sum - then.Sum);
                }
            }

            result.Add((series, increase));
        }

        return result;
    }

    private static bool Matches(MetricSeriesSnapshot series, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (!string.Equals(series.Label(label.Key), label.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(MetricSeriesSnapshot series)
        => string.Join('\u0001', series.Labels.Select(l => l.Key + "\u0002" + l.Value));

    /// <summary>The snapshot remembered at <paramref name="time"/>, taking it now when there is none.</summary>
    private MetricsSnapshot ReadingAt(DateTimeOffset time)
    {
        lock (_lock)
        {
            if (_readings.TryGetValue(time, out MetricsSnapshot? existing))
            {
                return existing;
            }

            MetricsSnapshot snapshot = _collector.Collect();
            _readings[time] = snapshot;
            while (_readings.Count > RetainedReadings)
            {
                _readings.RemoveAt(0);
            }

            return snapshot;
        }
    }

    /// <summary>The latest snapshot remembered at or before <paramref name="time"/>.</summary>
    private MetricsSnapshot? ReadingBefore(DateTimeOffset time)
    {
        lock (_lock)
        {
            MetricsSnapshot? found = null;
            foreach (KeyValuePair<DateTimeOffset, MetricsSnapshot> reading in _readings)
            {
                if (reading.Key > time)
                {
                    break;
                }

                found = reading.Value;
            }

            return found;
        }
    }
}
