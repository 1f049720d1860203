namespace Musubi.Monitoring.Quality;

/// <summary>Every quality metric measured at one moment, with the reports they came from.</summary>
public sealed class QualitySnapshot
{
    private readonly Dictionary<string, QualityMeasurement> _byMetric;

    /// <summary>Creates a snapshot.</summary>
    /// <param name="timestamp">When the measurements were taken.</param>
    /// <param name="measurements">The measurements; one per metric id (ordinal).</param>
    /// <param name="sources">The reports read, such as file paths; none when <see langword="null"/>.</param>
    /// <param name="warnings">What was tolerated while reading (a report skipped, a file without a package); none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="measurements"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two measurements have the same metric id; the message names it.</exception>
    public QualitySnapshot(
        DateTimeOffset timestamp,
        IEnumerable<QualityMeasurement> measurements,
        IEnumerable<string>? sources = null,
        IEnumerable<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        QualityMeasurement[] all = [.. measurements];
        _byMetric = new Dictionary<string, QualityMeasurement>(all.Length, StringComparer.Ordinal);
        foreach (QualityMeasurement measurement in all)
        {
            ArgumentNullException.ThrowIfNull(measurement, nameof(measurements));
            if (!_byMetric.TryAdd(measurement.Metric, measurement))
            {
                throw new ArgumentException($"Metric '{measurement.Metric}' is measured twice in one snapshot.", nameof(measurements));
            }
        }

        Timestamp = timestamp;
        Measurements = all;
        Sources = sources is null ? [] : [.. sources];
        Warnings = warnings is null ? [] : [.. warnings];
    }

    /// <summary>When the measurements were taken.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The measurements, in the order given.</summary>
    public IReadOnlyList<QualityMeasurement> Measurements { get; }

    /// <summary>The reports read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>What was tolerated while reading.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Finds a metric's measurement.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="measurement">The measurement, when there is one.</param>
    /// <returns>Whether the snapshot has the metric.</returns>
    public bool TryGet(string metric, out QualityMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _byMetric.TryGetValue(metric, out measurement!);
    }
}
