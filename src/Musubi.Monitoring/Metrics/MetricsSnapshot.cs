namespace Musubi.Monitoring.Metrics;

/// <summary>An immutable reading of every metric family at one instant, for code that reads values.</summary>
public sealed class MetricsSnapshot
{
    private readonly Dictionary<string, MetricFamilySnapshot> _byName;

    internal MetricsSnapshot(DateTimeOffset timestamp, IReadOnlyList<MetricFamilySnapshot> families)
    {
        Timestamp = timestamp;
        Families = families;
        _byName = families.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets when the snapshot was taken (from the collector's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the families, sorted by name.</summary>
    public IReadOnlyList<MetricFamilySnapshot> Families { get; }

    /// <summary>Finds a family by its Prometheus name (without <c>_total</c>, for example <c>http_server_request_duration_seconds</c>).</summary>
    /// <param name="name">The family name.</param>
    /// <returns>The family, or <see langword="null"/>.</returns>
    public MetricFamilySnapshot? Find(string name) => _byName.GetValueOrDefault(name);

    internal static MetricsSnapshot Create(MusubiMetricsCollector collector, DateTimeOffset now)
    {
        var families = new List<MetricFamilySnapshot>();
        foreach (MetricFamily family in collector.Families)
        {
            families.Add(FromFamily(family));
        }

        families.AddRange(SelfFamilies(collector));
        families.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new MetricsSnapshot(now, families);
    }

    /// <summary>The collector's own families, sorted by name: who the service is, and what it refused.</summary>
    internal static List<MetricFamilySnapshot> SelfFamilies(MusubiMetricsCollector collector)
    {
        var refused = new List<MetricSeriesSnapshot>();
        var invalid = new List<MetricSeriesSnapshot>();
        foreach (MetricFamily family in collector.Families)
        {
            long refusedCount = 0;
            long invalidCount = 0;
            foreach (InstrumentState member in family.Members)
            {
                refusedCount += member.RefusedSeries;
                invalidCount += member.InvalidMeasurements;
            }

            if (refusedCount > 0)
            {
                refused.Add(new MetricSeriesSnapshot([new("metric", family.Name)], refusedCount, null));
            }

            if (invalidCount > 0)
            {
                invalid.Add(new MetricSeriesSnapshot([new("metric", family.Name)], invalidCount, null));
            }
        }

        ServiceIdentity service = collector.Service;
        var target = new List<KeyValuePair<string, string>>
        {
            new("service_name", service.Name),
        };
        if (service.Version is not null)
        {
            target.Add(new("service_version", service.Version));
        }

        if (service.Environment is not null)
        {
            target.Insert(0, new("deployment_environment_name", service.Environment));
        }

        var self = new List<MetricFamilySnapshot>
        {
            new(TargetInfoName, MetricType.Gauge, null, "Target metadata", [new MetricSeriesSnapshot([.. target], 1, null)]),
            new(ConflictsName, MetricType.Counter, null,
                "Instruments not exported because their name maps to a family of another type, unit or buckets",
                [new MetricSeriesSnapshot([], collector.InstrumentConflicts, null)]),
        };
        if (refused.Count > 0)
        {
            self.Add(new(RefusedName, MetricType.Counter, null,
                "Tag sets refused by the cardinality limit and recorded in the overflow series", refused));
        }

        if (invalid.Count > 0)
        {
            self.Add(new(InvalidName, MetricType.Counter, null,
                "Measurements ignored as invalid for their instrument (NaN, negative counter adds)", invalid));
        }

        self.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return self;
    }

    /// <summary>The OpenTelemetry name of the resource metric.</summary>
    internal const string TargetInfoName = "target_info";

    internal const string ConflictsName = "musubi_metrics_instrument_conflicts";
    internal const string RefusedName = "musubi_metrics_series_refused";
    internal const string InvalidName = "musubi_metrics_invalid_measurements";

    /// <summary>The collector's own families, whose names no instrument may take (OpenMetrics writes target_info as family "target").</summary>
    internal static readonly (string Name, MetricType Type)[] SelfFamilyNames =
    [
        ("target", MetricType.Gauge), (TargetInfoName, MetricType.Gauge),
        (ConflictsName, MetricType.Counter), (RefusedName, MetricType.Counter), (InvalidName, MetricType.Counter),
    ];

    /// <summary>Reads a family, merging series with equal labels when several instruments share it.</summary>
    internal static MetricFamilySnapshot FromFamily(MetricFamily family)
    {
        var merged = new Dictionary<string, MetricSeriesSnapshot>(StringComparer.Ordinal);
        var ordered = new List<MetricSeriesSnapshot>();
        foreach (InstrumentState member in family.Members)
        {
            ReadOnlySpan<Series> series = member.SeriesSnapshot(out Series? overflow);
            foreach (Series s in series)
            {
                Add(Read(family, s));
            }

            if (overflow is not null)
            {
                Add(Read(family, overflow));
            }
        }

        return new MetricFamilySnapshot(family.Name, family.Type, family.Unit, family.Help, ordered);

        void Add(MetricSeriesSnapshot snapshot)
        {
            string key = string.Join('\u0001', snapshot.Labels.Select(l => l.Key + "\u0002" + l.Value));
            if (!merged.TryGetValue(key, out MetricSeriesSnapshot? existing))
            {
                merged[key] = snapshot;
                ordered.Add(snapshot);
                return;
            }

            MetricSeriesSnapshot combined = existing.CombineWith(snapshot, family.Type);
            merged[key] = combined;
            ordered[ordered.IndexOf(existing)] = combined;
        }
    }

    private static MetricSeriesSnapshot Read(MetricFamily family, Series series)
    {
        switch (series)
        {
            case HistogramSeries histogram:
                var counts = new long[family.Bounds!.Length + 1];
                long count = histogram.CopyCounts(counts);
                return new MetricSeriesSnapshot(series.Labels, count,
                    new HistogramSnapshot(family.Bounds, counts, count, histogram.Sum));
            case SumSeries sum:
                return new MetricSeriesSnapshot(series.Labels, sum.Value, null);
            case LastValueSeries last:
                return new MetricSeriesSnapshot(series.Labels, last.Value, null);
            default:
                throw new InvalidOperationException("Unknown series kind " + series.GetType().Name);
        }
    }
}

/// <summary>One family in a <see cref="MetricsSnapshot"/>.</summary>
/// <param name="Name">The Prometheus family name (without <c>_total</c>).</param>
/// <param name="Type">The Prometheus type.</param>
/// <param name="Unit">The unit word the name ends with, if any.</param>
/// <param name="Help">The help text (the instrument's description).</param>
/// <param name="Series">The series, in creation order (an overflow series last).</param>
public sealed record MetricFamilySnapshot(
    string Name, MetricType Type, string? Unit, string Help, IReadOnlyList<MetricSeriesSnapshot> Series)
{
    /// <summary>Adds up the values (counters, gauges) or counts (histograms) of the series whose labels include <paramref name="labels"/>.</summary>
    /// <param name="labels">Label (name, value) pairs every counted series must carry; none counts every series.</param>
    public double Sum(params ReadOnlySpan<(string Name, string Value)> labels)
    {
        double total = 0;
        foreach (MetricSeriesSnapshot series in Series)
        {
            if (series.HasLabels(labels))
            {
                total += series.Value;
            }
        }

        return total;
    }

    /// <summary>
    /// Adds up the histograms of the series whose labels include <paramref name="labels"/>, as
    /// <c>sum by (le)</c> does in PromQL.
    /// </summary>
    /// <param name="labels">Label (name, value) pairs every merged series must carry; none merges every series.</param>
    /// <returns>The merged histogram, or <see langword="null"/> when no histogram series matches.</returns>
    public HistogramSnapshot? MergeHistograms(params ReadOnlySpan<(string Name, string Value)> labels)
    {
        HistogramSnapshot? merged = null;
        foreach (MetricSeriesSnapshot series in Series)
        {
            if (series.Histogram is { } histogram && series.HasLabels(labels))
            {
                merged = merged is null ? histogram : merged.Merge(histogram);
            }
        }

        return merged;
    }
}

/// <summary>One series in a <see cref="MetricFamilySnapshot"/>.</summary>
/// <param name="Labels">Exported labels, sorted by name.</param>
/// <param name="Value">The counter total or gauge value; for a histogram, its count.</param>
/// <param name="Histogram">The buckets, for a histogram; otherwise <see langword="null"/>.</param>
public sealed record MetricSeriesSnapshot(
    IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramSnapshot? Histogram)
{
    /// <summary>Gets the value of label <paramref name="name"/>, or <see langword="null"/>.</summary>
    public string? Label(string name)
    {
        foreach (KeyValuePair<string, string> label in Labels)
        {
            if (label.Key == name)
            {
                return label.Value;
            }
        }

        return null;
    }

    internal bool HasLabels(ReadOnlySpan<(string Name, string Value)> labels)
    {
        foreach ((string name, string value) in labels)
        {
            if (Label(name) != value)
            {
                return false;
            }
        }

        return true;
    }

    internal MetricSeriesSnapshot CombineWith(MetricSeriesSnapshot other, MetricType type) => type switch
    {
        MetricType.Histogram when Histogram is not null && other.Histogram is not null
            => new(Labels, Value + other.Value, Histogram.Merge(other.Histogram)),
        MetricType.Counter => new(Labels, Value + other.Value, null),
        _ => other,
    };
}

/// <summary>The buckets of one histogram series.</summary>
/// <param name="Bounds">Upper bounds of the finite buckets, ascending.</param>
/// <param name="BucketCounts">Per-bucket (not cumulative) counts; one more than <paramref name="Bounds"/>, the last being +Inf.</param>
/// <param name="Count">The number of observations (the sum of <paramref name="BucketCounts"/>).</param>
/// <param name="Sum">The sum of observations.</param>
/// <exception cref="ArgumentException"><paramref name="BucketCounts"/> does not have one count more than <paramref name="Bounds"/>.</exception>
public sealed record HistogramSnapshot(IReadOnlyList<double> Bounds, IReadOnlyList<long> BucketCounts, long Count, double Sum)
{
    /// <summary>Gets the per-bucket (not cumulative) counts, the last being the +Inf bucket.</summary>
    public IReadOnlyList<long> BucketCounts { get; init; } = Bounds is not null && BucketCounts is not null && BucketCounts.Count == Bounds.Count + 1
        ? BucketCounts
        : throw new ArgumentException(
            $"A histogram with {Bounds?.Count ?? 0} bounds has {(Bounds?.Count ?? 0) + 1} bucket counts (the last for +Inf); {BucketCounts?.Count ?? 0} were given.",
            nameof(BucketCounts));

    /// <summary>
    /// Estimates quantile <paramref name="q"/> as Prometheus' <c>histogram_quantile</c> does: linear
    /// interpolation inside the bucket that holds the rank, the lower bound of the first bucket being 0 when
    /// its upper bound is positive; a rank in the +Inf bucket returns the highest finite bound.
    /// </summary>
    /// <param name="q">The quantile, from 0 to 1.</param>
    /// <returns>The estimate, or <see cref="double.NaN"/> when the histogram is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not between 0 and 1.</exception>
    public double EstimateQuantile(double q)
    {
        if (double.IsNaN(q) || q < 0 || q > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile is between 0 and 1.");
        }

        if (Count == 0)
        {
            return double.NaN;
        }

        double rank = q * Count;
        long cumulative = 0;
        for (int i = 0; i < BucketCounts.Count; i++)
        {
            long previous = cumulative;
            cumulative += BucketCounts[i];
            if (cumulative >= rank && BucketCounts[i] > 0)
            {
                if (i == Bounds.Count)
                {
                    return Bounds[^1];
                }

                double upper = Bounds[i];
                double lower = i == 0 ? (upper > 0 ? 0 : upper) : Bounds[i - 1];
                return lower + ((upper - lower) * (rank - previous) / BucketCounts[i]);
            }
        }

        return Bounds[^1];
    }

    /// <summary>Adds another histogram with the same buckets to this one.</summary>
    /// <param name="other">The histogram to add.</param>
    /// <returns>A new histogram with the bucket counts, counts and sums added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The two histograms have different bucket bounds.</exception>
    public HistogramSnapshot Merge(HistogramSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Bounds.SequenceEqual(other.Bounds))
        {
            throw new ArgumentException(
                $"Histograms with different buckets cannot be merged: [{string.Join(", ", Bounds.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)))}] and [{string.Join(", ", other.Bounds.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)))}].",
                nameof(other));
        }

        long[] counts = [.. BucketCounts];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += other.BucketCounts[i];
        }

        return new HistogramSnapshot(Bounds, counts, Count + other.Count, Sum + other.Sum);
    }
}
