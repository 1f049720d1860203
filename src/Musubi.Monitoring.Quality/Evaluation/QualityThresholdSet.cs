namespace Musubi.Monitoring.Quality;

/// <summary>
/// The thresholds to evaluate a snapshot against, at most one per metric id. Built from
/// <see cref="QualityThresholds.Defaults"/>, from code, or from a JSON file (see <see cref="QualityConfiguration"/>).
/// </summary>
/// <remarks>Immutable and thread-safe: <see cref="With(QualityThreshold)"/> and <see cref="Without(string)"/> return new sets.</remarks>
public sealed class QualityThresholdSet
{
    private readonly Dictionary<string, QualityThreshold> _byMetric;

    /// <summary>Creates a set of thresholds.</summary>
    /// <param name="thresholds">The thresholds; one per metric id (ordinal).</param>
    /// <exception cref="ArgumentNullException"><paramref name="thresholds"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two thresholds have the same metric id; the message names it.</exception>
    public QualityThresholdSet(IEnumerable<QualityThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        QualityThreshold[] all = [.. thresholds];
        _byMetric = new Dictionary<string, QualityThreshold>(all.Length, StringComparer.Ordinal);
        foreach (QualityThreshold threshold in all)
        {
            ArgumentNullException.ThrowIfNull(threshold, nameof(thresholds));
            if (!_byMetric.TryAdd(threshold.Metric, threshold))
            {
                throw new ArgumentException($"Metric '{threshold.Metric}' has two thresholds; give each metric at most one.", nameof(thresholds));
            }
        }

        Thresholds = all;
    }

    /// <summary>The set of <see cref="QualityThresholds.Defaults"/>.</summary>
    public static QualityThresholdSet Default { get; } = new(QualityThresholds.Defaults);

    /// <summary>An empty set: every metric is shown with no threshold.</summary>
    public static QualityThresholdSet Empty { get; } = new([]);

    /// <summary>The thresholds, in the order given (a replaced threshold keeps its place, an added one comes last).</summary>
    public IReadOnlyList<QualityThreshold> Thresholds { get; }

    /// <summary>The number of thresholds.</summary>
    public int Count => Thresholds.Count;

    /// <summary>Finds a metric's threshold.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="threshold">The threshold, when there is one.</param>
    /// <returns>Whether the metric has a threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    public bool TryGet(string metric, out QualityThreshold threshold)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _byMetric.TryGetValue(metric, out threshold!);
    }

    /// <summary>A set with <paramref name="threshold"/> added, or replacing the threshold of its metric.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="threshold"/> is <see langword="null"/>.</exception>
    public QualityThresholdSet With(QualityThreshold threshold)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        bool replaced = false;
        var list = new List<QualityThreshold>(Thresholds.Count + 1);
        foreach (QualityThreshold existing in Thresholds)
        {
            if (string.Equals(existing.Metric, threshold.Metric, StringComparison.Ordinal))
            {
                list.Add(threshold);
                replaced = true;
            }
            else
            {
                list.Add(existing);
            }
        }

        if (!replaced)
        {
            list.Add(threshold);
        }

        return new QualityThresholdSet(list);
    }

    /// <summary>A set without the threshold of <paramref name="metric"/> (the same set when it has none).</summary>
    /// <param name="metric">The metric id.</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    public QualityThresholdSet Without(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _byMetric.ContainsKey(metric)
            ? new QualityThresholdSet(Thresholds.Where(t => !string.Equals(t.Metric, metric, StringComparison.Ordinal)))
            : this;
    }

    /// <summary>Reads a thresholds-and-gate JSON file (see <see cref="QualityConfiguration"/>) and returns its thresholds.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The defaults with the file's thresholds applied.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="QualityConfigurationException">The file cannot be read, is not valid JSON, or has a bad entry; the message names the file, the metric and the value.</exception>
    public static QualityThresholdSet Load(string path) => QualityConfiguration.Load(path).Thresholds;
}
