using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// The convenience API: counters, gauges, up-down counters and histograms by name, with help text and label
/// names, created on a real <see cref="Meter"/> from <see cref="IMeterFactory"/> — so OpenTelemetry or
/// dotnet-counters in the same process see them too — plus HTTP server request metrics.
/// </summary>
/// <remarks>
/// Thread-safe. Asking twice for the same name returns the same metric. Creation validates names, label names
/// and buckets and throws; recording never throws (a measurement with the wrong number of label values is
/// dropped and reported through the library's event source).
/// </remarks>
public sealed class MusubiMetrics
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MusubiMetric> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _families = new(StringComparer.Ordinal);
    private readonly MusubiMetricsCollector _collector;
    private readonly Lazy<HttpServerMetrics> _http;

    /// <summary>Creates the convenience API on the meter named by <see cref="MetricsOptions.MeterName"/>.</summary>
    /// <param name="meterFactory">Creates the meter (and disposes it with the container).</param>
    /// <param name="collector">The collector, used to bind series for <c>WithLabels</c> handles.</param>
    /// <param name="options">The monitoring options.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public MusubiMetrics(IMeterFactory meterFactory, MusubiMetricsCollector collector, IOptions<MusubiMonitoringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(options);
        _collector = collector;
        MusubiMonitoringOptions value = options.Value;
        Meter = meterFactory.Create(new MeterOptions(value.Metrics.MeterName) { Version = value.ServiceVersion });
        _http = new Lazy<HttpServerMetrics>(() => new HttpServerMetrics(this));
    }

    /// <summary>Gets the meter every metric of this API is created on.</summary>
    public Meter Meter { get; }

    /// <summary>Gets or creates a counter (exported as <c>name_total</c>).</summary>
    /// <param name="name">The metric name: letters, digits, <c>_</c>, <c>.</c>, <c>-</c> (mapped to Prometheus rules).</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, in the order values will be given.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentException">The name or a label name has no letter or digit, or label names repeat.</exception>
    /// <exception cref="InvalidOperationException">The name is already used by a metric of another kind or labels, or maps to a Prometheus name another metric exports.</exception>
    public MusubiCounter Counter(string name, string? help = null, params string[] labelNames)
        => GetOrCreate(name, labelNames, MetricType.Counter, null, () => new MusubiCounter(this, m => m.CreateCounter<double>(name, null, help), labelNames));

    /// <summary>Gets or creates a gauge that is set to a value.</summary>
    /// <inheritdoc cref="Counter" path="/param"/>
    /// <returns>The gauge.</returns>
    /// <exception cref="ArgumentException">The name or a label name has no letter or digit, or label names repeat.</exception>
    /// <exception cref="InvalidOperationException">The name is already used by a metric of another kind or labels, or maps to a Prometheus name another metric exports.</exception>
    public MusubiGauge Gauge(string name, string? help = null, params string[] labelNames)
        => GetOrCreate(name, labelNames, MetricType.Gauge, null, () => new MusubiGauge(this, m => m.CreateGauge<double>(name, null, help), labelNames));

    /// <summary>Gets or creates an up-down counter (a gauge that is increased and decreased).</summary>
    /// <inheritdoc cref="Counter" path="/param"/>
    /// <returns>The up-down counter.</returns>
    /// <exception cref="ArgumentException">The name or a label name has no letter or digit, or label names repeat.</exception>
    /// <exception cref="InvalidOperationException">The name is already used by a metric of another kind or labels, or maps to a Prometheus name another metric exports.</exception>
    public MusubiUpDownCounter UpDownCounter(string name, string? help = null, params string[] labelNames)
        => GetOrCreate(name, labelNames, MetricType.Gauge, null, () => new MusubiUpDownCounter(this, m => m.CreateUpDownCounter<double>(name, null, help), labelNames));

    /// <summary>Gets or creates a histogram with explicit buckets.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="buckets">Bucket upper bounds (ascending, distinct, finite); <see langword="null"/> for the configured default.</param>
    /// <param name="labelNames">The label names, in the order values will be given.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentException">The name or a label name is unusable, label names repeat, a label is named <c>le</c>, or the buckets are unsorted, repeated, empty or not finite.</exception>
    /// <exception cref="InvalidOperationException">The name is already used by a metric of another kind, labels or buckets, or maps to a Prometheus name another metric exports.</exception>
    public MusubiHistogram Histogram(string name, string? help = null, IReadOnlyList<double>? buckets = null, params string[] labelNames)
    {
        double[]? bounds = buckets is null ? null : HistogramBuckets.Require(buckets, nameof(buckets));
        if (labelNames is not null && labelNames.Contains("le", StringComparer.Ordinal))
        {
            throw new ArgumentException("A histogram label cannot be named 'le': Prometheus uses it for bucket bounds.", nameof(labelNames));
        }

        return GetOrCreate(name, labelNames!, MetricType.Histogram, bounds, () => new MusubiHistogram(this, m => m.CreateHistogram(
            name, null, help, null, bounds is null ? null : new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds }), labelNames!));
    }

    /// <summary>
    /// Records one HTTP server request with OpenTelemetry's semantic-convention names: histogram
    /// <c>http.server.request.duration</c> (seconds; exported as <c>http_server_request_duration_seconds</c>)
    /// with <c>http.request.method</c> (unknown methods as <c>_OTHER</c>), <c>http.route</c>,
    /// <c>http.response.status_code</c>, and <c>error.type</c> for 5xx.
    /// </summary>
    /// <param name="method">The request method.</param>
    /// <param name="route">The route template (never the raw path: it would make a series per URL); <see langword="null"/> when none matched.</param>
    /// <param name="statusCode">The response status code.</param>
    /// <param name="duration">How long the request took.</param>
    public void RecordRequest(string method, string? route, int statusCode, TimeSpan duration)
        => _http.Value.Record(method, route, statusCode, duration);

    /// <summary>
    /// Creates an instrument that this library's collector aggregates directly (see <see cref="MusubiMetric"/>),
    /// returning its aggregation state, or <see langword="null"/> when the collector listens to it as usual.
    /// </summary>
    internal TInstrument CreateDirect<TInstrument>(Func<Meter, TInstrument> create, out InstrumentState? state)
        where TInstrument : Instrument
        => _collector.CreateDirect(() => create(Meter), out state);

    private T GetOrCreate<T>(string name, string[] labelNames, MetricType type, double[]? buckets, Func<T> create)
        where T : MusubiMetric
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labelNames);
        string family = PrometheusNaming.FamilyName(name, null, type == MetricType.Counter, type == MetricType.Gauge)
            ?? throw new ArgumentException(
                $"The metric name '{name}' leaves no Prometheus name: it needs an ASCII letter or digit (names allow a-z, A-Z, 0-9 and _; other characters become _) besides a '_total' suffix.",
                nameof(name));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string label in labelNames)
        {
            string? sanitized = PrometheusNaming.SanitizeLabelName(label);
            if (sanitized is null)
            {
                throw new ArgumentException(
                    $"The label name '{label}' of metric '{name}' leaves no Prometheus label: it needs an ASCII letter or digit (labels allow a-z, A-Z, 0-9 and _).",
                    nameof(labelNames));
            }

            if (!seen.Add(sanitized))
            {
                throw new ArgumentException($"The label name '{label}' of metric '{name}' repeats another label (as '{sanitized}').", nameof(labelNames));
            }
        }

        lock (_lock)
        {
            if (_metrics.TryGetValue(name, out MusubiMetric? existing))
            {
                // Buckets left out on a later call mean "whatever it has"; given, they must agree.
                if (existing is T same && same.LabelNames.SequenceEqual(labelNames)
                    && (same is not MusubiHistogram h || buckets is null || (h.Buckets ?? []).SequenceEqual(buckets)))
                {
                    return same;
                }

                throw new InvalidOperationException(
                    $"The metric '{name}' already exists as {Describe(existing.Kind, existing.LabelNames, (existing as MusubiHistogram)?.Buckets)}; it cannot be created again as {Describe(typeof(T).Name, labelNames, buckets)}.");
            }

            if (_families.TryGetValue(family, out string? other))
            {
                throw new InvalidOperationException(
                    $"The metric '{name}' would be exported as '{family}', which the metric '{other}' already is; give it another name.");
            }

            if (_collector.FindConflict(name, null, type, buckets) is { } conflict)
            {
                throw new InvalidOperationException($"The metric '{name}' cannot be created: {conflict}.");
            }

            T created = create();
            _metrics.Add(name, created);
            _families.Add(family, name);
            return created;
        }
    }

    private static string Describe(string kind, IEnumerable<string> labels, IEnumerable<double>? buckets)
        => $"a {kind} with labels [{string.Join(", ", labels)}]"
            + (buckets is null ? string.Empty : $" and buckets [{string.Join(", ", buckets.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
}

/// <summary>What every convenience metric shares: its instrument, label names and how it records.</summary>
/// <remarks>
/// A convenience metric records straight into this library's collector — no listener dispatch, no tag lookup for a
/// bound series — and also through its instrument whenever another listener (OpenTelemetry, dotnet-counters)
/// has enabled it, so those listeners see every measurement with its tags. The collector does not listen to
/// these instruments itself, so nothing is counted twice.
/// </remarks>
public abstract class MusubiMetric
{
    private protected MusubiMetric(Instrument instrument, InstrumentState? state, string[] labelNames)
    {
        Instrument = instrument;
        State = state;
        LabelNames = [.. labelNames];
    }

    /// <summary>Gets the underlying instrument.</summary>
    public Instrument Instrument { get; }

    /// <summary>Gets the label names, in the order values are given.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    internal string Kind => GetType().Name;

    /// <summary>The collector's state for the instrument, or <see langword="null"/> when it listens as usual.</summary>
    internal InstrumentState? State { get; }

    /// <summary>Records into a bound series and, when another listener is on, through the instrument.</summary>
    internal void RecordBound(Series? series, KeyValuePair<string, object?>[] tags, double value)
    {
        if (series is not null)
        {
            State!.RecordTo(series, value);
        }

        if (Instrument.Enabled)
        {
            Forward(value, tags);
        }
    }

    /// <summary>Resolves label values to tags and, when the collector aggregates directly, to their series.</summary>
    internal (KeyValuePair<string, object?>[] Tags, Series? Series) Bind(string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException(
                $"The metric '{Instrument.Name}' has {LabelNames.Count} labels [{string.Join(", ", LabelNames)}] but {labelValues.Length} values were given.",
                nameof(labelValues));
        }

        // A null value is an empty one, as in Inc/Set/Observe: Prometheus has no empty labels, so it is no label.
        var tags = new KeyValuePair<string, object?>[labelValues.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new(LabelNames[i], labelValues[i] ?? string.Empty);
        }

        return (tags, State?.GetSeries(tags));
    }

    /// <summary>Records one measurement with label values given in the order of <see cref="LabelNames"/>.</summary>
    private protected void Record(double value, ReadOnlySpan<string> labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            Diagnostics.MusubiMonitoringEventSource.Log.InstrumentIgnored(Instrument.Meter.Name, Instrument.Name,
                $"a measurement had {labelValues.Length} label values for {LabelNames.Count} labels and was dropped");
            return;
        }

        TagBuffer buffer = default;
        Span<KeyValuePair<string, object?>> tags = labelValues.Length <= TagBuffer.Length
            ? ((Span<KeyValuePair<string, object?>>)buffer)[..labelValues.Length]
            : new KeyValuePair<string, object?>[labelValues.Length];
        for (int i = 0; i < labelValues.Length; i++)
        {
            tags[i] = new(LabelNames[i], labelValues[i] ?? string.Empty);
        }

        State?.Record(value, tags);
        if (Instrument.Enabled)
        {
            Forward(value, tags);
        }
    }

    /// <summary>Passes a measurement to the instrument, for the other listeners.</summary>
    private protected abstract void Forward(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);
}

/// <summary>A series resolved once, recorded into without a tag lookup.</summary>
/// <remarks>Thread-safe. Other listeners still receive every measurement with its tags.</remarks>
public abstract class MusubiBoundSeries
{
    private readonly MusubiMetric _metric;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Series? _series;

    private protected MusubiBoundSeries(MusubiMetric metric, string[] labelValues)
    {
        _metric = metric;
        (_tags, _series) = metric.Bind(labelValues);
    }

    /// <summary>Gets the label values as tags.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Tags => _tags;

    private protected void Record(double value) => _metric.RecordBound(_series, _tags, value);
}

/// <summary>A counter from <see cref="MusubiMetrics.Counter"/>.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class MusubiCounter : MusubiMetric
{
    private readonly Counter<double> _counter;

    internal MusubiCounter(MusubiMetrics owner, Func<Meter, Counter<double>> create, string[] labelNames)
        : this(owner.CreateDirect(create, out InstrumentState? state), state, labelNames)
    {
    }

    private MusubiCounter(Counter<double> counter, InstrumentState? state, string[] labelNames)
        : base(counter, state, labelNames) => _counter = counter;

    /// <summary>Adds <paramref name="value"/> (negative and NaN values are ignored and counted as invalid).</summary>
    /// <param name="value">The amount; the default is 1.</param>
    /// <param name="labelValues">One value per label name, in order.</param>
    public void Inc(double value = 1, params ReadOnlySpan<string> labelValues) => Record(value, labelValues);

    /// <summary>Binds label values once, for hot loops.</summary>
    /// <param name="labelValues">One value per label name, in order.</param>
    /// <returns>The bound series.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of labels.</exception>
    public Bound WithLabels(params string[] labelValues) => new(this, labelValues);

    private protected override void Forward(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _counter.Add(value, tags);

    /// <summary>One series of the counter.</summary>
    public sealed class Bound : MusubiBoundSeries
    {
        internal Bound(MusubiCounter counter, string[] labelValues)
            : base(counter, labelValues)
        {
        }

        /// <summary>Adds <paramref name="value"/> (negative and NaN values are ignored and counted as invalid).</summary>
        /// <param name="value">The amount; the default is 1.</param>
        public void Inc(double value = 1) => Record(value);
    }
}

/// <summary>A gauge from <see cref="MusubiMetrics.Gauge"/>: set to a value.</summary>
/// <remarks>Thread-safe; the last value set wins.</remarks>
public sealed class MusubiGauge : MusubiMetric
{
    private readonly Gauge<double> _gauge;

    internal MusubiGauge(MusubiMetrics owner, Func<Meter, Gauge<double>> create, string[] labelNames)
        : this(owner.CreateDirect(create, out InstrumentState? state), state, labelNames)
    {
    }

    private MusubiGauge(Gauge<double> gauge, InstrumentState? state, string[] labelNames)
        : base(gauge, state, labelNames) => _gauge = gauge;

    /// <summary>Sets the gauge.</summary>
    /// <param name="value">The value.</param>
    /// <param name="labelValues">One value per label name, in order.</param>
    public void Set(double value, params ReadOnlySpan<string> labelValues) => Record(value, labelValues);

    /// <summary>Binds label values once, for hot loops.</summary>
    /// <param name="labelValues">One value per label name, in order.</param>
    /// <returns>The bound series.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of labels.</exception>
    public Bound WithLabels(params string[] labelValues) => new(this, labelValues);

    private protected override void Forward(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _gauge.Record(value, tags);

    /// <summary>One series of the gauge.</summary>
    public sealed class Bound : MusubiBoundSeries
    {
        internal Bound(MusubiGauge gauge, string[] labelValues)
            : base(gauge, labelValues)
        {
        }

        /// <summary>Sets the gauge.</summary>
        /// <param name="value">The value.</param>
        public void Set(double value) => Record(value);
    }
}

/// <summary>An up-down counter from <see cref="MusubiMetrics.UpDownCounter"/>: exported as a gauge.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class MusubiUpDownCounter : MusubiMetric
{
    private readonly UpDownCounter<double> _counter;

    internal MusubiUpDownCounter(MusubiMetrics owner, Func<Meter, UpDownCounter<double>> create, string[] labelNames)
        : this(owner.CreateDirect(create, out InstrumentState? state), state, labelNames)
    {
    }

    private MusubiUpDownCounter(UpDownCounter<double> counter, InstrumentState? state, string[] labelNames)
        : base(counter, state, labelNames) => _counter = counter;

    /// <summary>Adds <paramref name="delta"/>, which may be negative (NaN and infinities are ignored).</summary>
    /// <param name="delta">The change.</param>
    /// <param name="labelValues">One value per label name, in order.</param>
    public void Add(double delta, params ReadOnlySpan<string> labelValues) => Record(delta, labelValues);

    /// <summary>Binds label values once, for hot loops.</summary>
    /// <param name="labelValues">One value per label name, in order.</param>
    /// <returns>The bound series.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of labels.</exception>
    public Bound WithLabels(params string[] labelValues) => new(this, labelValues);

    private protected override void Forward(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _counter.Add(value, tags);

    /// <summary>One series of the up-down counter.</summary>
    public sealed class Bound : MusubiBoundSeries
    {
        internal Bound(MusubiUpDownCounter counter, string[] labelValues)
            : base(counter, labelValues)
        {
        }

        /// <summary>Adds <paramref name="delta"/>, which may be negative.</summary>
        /// <param name="delta">The change.</param>
        public void Add(double delta) => Record(delta);
    }
}

/// <summary>A histogram from <see cref="MusubiMetrics.Histogram"/>.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class MusubiHistogram : MusubiMetric
{
    private readonly Histogram<double> _histogram;

    internal MusubiHistogram(MusubiMetrics owner, Func<Meter, Histogram<double>> create, string[] labelNames)
        : this(owner.CreateDirect(create, out InstrumentState? state), state, labelNames)
    {
    }

    private MusubiHistogram(Histogram<double> histogram, InstrumentState? state, string[] labelNames)
        : base(histogram, state, labelNames) => _histogram = histogram;

    /// <summary>Gets the explicit buckets given at creation, or <see langword="null"/> for the configured default.</summary>
    public IReadOnlyList<double>? Buckets => _histogram.Advice?.HistogramBucketBoundaries;

    /// <summary>Records one observation (NaN is ignored and counted as invalid).</summary>
    /// <param name="value">The observed value.</param>
    /// <param name="labelValues">One value per label name, in order.</param>
    public void Observe(double value, params ReadOnlySpan<string> labelValues) => Record(value, labelValues);

    /// <summary>Binds label values once, for hot loops.</summary>
    /// <param name="labelValues">One value per label name, in order.</param>
    /// <returns>The bound series.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of labels.</exception>
    public Bound WithLabels(params string[] labelValues) => new(this, labelValues);

    private protected override void Forward(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _histogram.Record(value, tags);

    /// <summary>One series of the histogram.</summary>
    public sealed class Bound : MusubiBoundSeries
    {
        internal Bound(MusubiHistogram histogram, string[] labelValues)
            : base(histogram, labelValues)
        {
        }

        /// <summary>Records one observation.</summary>
        /// <param name="value">The observed value.</param>
        public void Observe(double value) => Record(value);
    }
}
