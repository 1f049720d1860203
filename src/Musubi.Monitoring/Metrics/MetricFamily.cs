namespace Musubi.Monitoring.Metrics;

/// <summary>The kind of a metric family as Prometheus sees it.</summary>
public enum MetricType
{
    /// <summary>A monotonically increasing total (<c>_total</c>).</summary>
    Counter,

    /// <summary>A value that can go up and down.</summary>
    Gauge,

    /// <summary>An explicit-bucket histogram (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    Histogram,
}

/// <summary>
/// One exported family: a Prometheus name, type, unit and help shared by one or more compatible instruments
/// (two instruments whose names map to the same family are merged when type, unit and buckets agree).
/// </summary>
internal sealed class MetricFamily
{
    private InstrumentState[] _members = [];

    public MetricFamily(string name, MetricType type, string? unit, string? help, double[]? bounds)
    {
        Name = name;
        Type = type;
        Unit = unit;
        Help = help ?? string.Empty;
        Bounds = bounds;
    }

    /// <summary>The family name: sanitised, with unit suffix, without <c>_total</c>.</summary>
    public string Name { get; }

    public MetricType Type { get; }

    /// <summary>The Prometheus unit word (the family name ends with <c>_unit</c>), if any.</summary>
    public string? Unit { get; }

    public string Help { get; }

    /// <summary>Histogram upper bounds (ascending, finite), or <see langword="null"/>.</summary>
    public double[]? Bounds { get; }

    /// <summary>Cached output pieces; built once by the writer.</summary>
    public object? TextCache { get; set; }

    public ReadOnlySpan<InstrumentState> Members => Volatile.Read(ref _members);

    /// <summary>Adds a member; the caller holds the collector's registration lock.</summary>
    public void Add(InstrumentState state) => Volatile.Write(ref _members, [.. _members, state]);

    /// <summary>Whether an instrument of this shape may join the family.</summary>
    public bool IsCompatible(MetricType type, string? unit, double[]? bounds)
        => type == Type
            && string.Equals(unit, Unit, StringComparison.Ordinal)
            && (bounds is null ? Bounds is null : Bounds is not null && bounds.AsSpan().SequenceEqual(Bounds));

    /// <summary>
    /// Maps recorded tags to exported labels: names sanitised, sorted; tags whose names collide after
    /// sanitising are joined with <c>;</c> in key order (as OpenTelemetry's Prometheus exporter does); a tag
    /// that would clash with a label this format reserves (<c>le</c> on histograms) gets a <c>_</c> prefix.
    /// </summary>
    public KeyValuePair<string, string>[] ToLabels(IReadOnlyList<string> keys, IReadOnlyList<string> values)
    {
        var byName = new SortedDictionary<string, List<(string Key, string Value)>>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Count; i++)
        {
            string? name = PrometheusNaming.SanitizeLabelName(keys[i]);
            if (name is null)
            {
                continue;
            }

            if ((Type == MetricType.Histogram && name == "le") || name == "otel_metric_overflow")
            {
                name = "_" + name;
            }

            if (!byName.TryGetValue(name, out List<(string Key, string Value)>? list))
            {
                byName[name] = list = [];
            }

            list.Add((keys[i], values[i]));
        }

        var labels = new KeyValuePair<string, string>[byName.Count];
        int n = 0;
        foreach (KeyValuePair<string, List<(string Key, string Value)>> entry in byName)
        {
            entry.Value.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            labels[n++] = new(entry.Key, string.Join(';', entry.Value.Select(v => v.Value)));
        }

        return labels;
    }
}
