using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Diagnostics;
using Musubi.Monitoring.Metrics.Exposition;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// Aggregates the measurements of the selected meters (a <see cref="MeterListener"/>) and writes them as
/// Prometheus text, OpenMetrics or JSON. Registered as a singleton by <c>AddMusubiMonitoring</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Recording never throws and never takes a lock once a series exists. A scrape is a complete,
/// self-consistent document even while other threads create instruments and series; concurrent scrapes are
/// serialised so observable callbacks run one at a time.
/// </remarks>
public sealed class MusubiMetricsCollector : IDisposable
{
    [ThreadStatic]
    private static MusubiMetricsCollector? t_directFor;

    [ThreadStatic]
    private static InstrumentState? t_directState;

    private readonly Lock _registration = new();
    private readonly Lock _scrape = new();
    private readonly MeterListener _listener;
    private readonly MeterMatcher _meters;
    private readonly int _cardinalityLimit;
    private readonly double[] _defaultBuckets;
    private readonly Dictionary<string, double[]> _bucketOverrides;
    private readonly TimeProvider _timeProvider;
    private readonly IMeterFactory? _meterFactory;
    private readonly Dictionary<string, MetricFamily> _familiesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily> _sampleNames = new(StringComparer.Ordinal);
    private MetricFamily[] _families = [];
    private long _conflicts;
    private bool _disposed;

    /// <summary>Creates a collector and starts listening.</summary>
    /// <param name="options">The monitoring options (validated by the options pipeline).</param>
    /// <param name="timeProvider">The clock used for scrape timestamps.</param>
    /// <param name="meterFactory">
    /// The container's meter factory. When given, meters created by another factory (another service provider
    /// in the same process) are not collected, so two hosts in one process never see each other's metrics;
    /// meters created with <c>new Meter(…)</c> (no factory) are collected when their name matches.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each bad option.</exception>
    public MusubiMetricsCollector(IOptions<MusubiMonitoringOptions> options, TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        MusubiMonitoringOptions value = options.Value;

        // The options pipeline validates when the collector comes from DI; a collector built by hand is checked here.
        ValidateOptionsResult validation = new MusubiMonitoringOptionsValidator().Validate(null, value);
        ValidateOptionsResult crossField = new MetricsOptionsValidator().Validate(null, value);
        if (validation.Failed || crossField.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MusubiMonitoringOptions),
                [.. validation.Failures ?? [], .. crossField.Failures ?? []]);
        }

        _timeProvider = timeProvider;
        _meterFactory = meterFactory;
        foreach ((string selfName, MetricType selfType) in MetricsSnapshot.SelfFamilyNames)
        {
            var reserved = new MetricFamily(selfName, selfType, null, null, null);
            foreach (string sample in SampleNames(selfName, selfType))
            {
                _sampleNames[sample] = reserved;
            }
        }

        Service = new ServiceIdentity(value.ServiceName, value.ServiceVersion, value.Environment);
        _meters = new MeterMatcher([.. value.Metrics.Meters, value.Metrics.MeterName]);
        _cardinalityLimit = value.Metrics.CardinalityLimit;
        _defaultBuckets = [.. value.Metrics.DefaultHistogramBuckets];
        _bucketOverrides = value.Metrics.HistogramBuckets.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, v, tags, state) => ((InstrumentState)state!).Record((long)v, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, v, tags, state) => ((InstrumentState)state!).Record((long)v, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, v, tags, state) => ((InstrumentState)state!).Record((long)v, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, v, tags, state) => ((InstrumentState)state!).Record(TagText.ShortestDouble(v), tags));
        _listener.SetMeasurementEventCallback<double>(static (_, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, v, tags, state) => ((InstrumentState)state!).Record((double)v, tags));
        _listener.Start();
    }

    internal ServiceIdentity Service { get; }

    internal long InstrumentConflicts => Interlocked.Read(ref _conflicts);

    internal ReadOnlySpan<MetricFamily> Families => Volatile.Read(ref _families);

    /// <summary>Writes one scrape in <paramref name="format"/> to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the UTF-8 document goes.</param>
    /// <param name="format">The exposition format.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public void Write(IBufferWriter<byte> writer, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Use PrometheusText, OpenMetrics or Json.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_scrape)
        {
            CollectObservables();
            if (format == ExpositionFormat.Json)
            {
                JsonExpositionWriter.Write(writer, CollectCore());
            }
            else
            {
                PrometheusTextWriter.Write(writer, this, format == ExpositionFormat.OpenMetrics);
            }
        }
    }

    /// <summary>Writes one scrape in <paramref name="format"/> to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the UTF-8 document goes; left open.</param>
    /// <param name="format">The exposition format.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public async Task WriteAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        Write(buffer, format);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes a snapshot of every family: values, labels and histogram buckets, for reading in code.</summary>
    /// <returns>An immutable snapshot.</returns>
    /// <exception cref="ObjectDisposedException">The collector was disposed.</exception>
    public MetricsSnapshot Collect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_scrape)
        {
            CollectObservables();
            return CollectCore();
        }
    }

    /// <summary>Stops listening. Values already recorded stay readable until the collector is collected.</summary>
    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    /// <summary>
    /// Creates an instrument whose measurements the caller records straight into the returned state (the
    /// convenience API does), so this collector does not also listen to it. <paramref name="state"/> is
    /// <see langword="null"/> when the instrument was not registered just now (the meter returned an existing
    /// instrument, or it is not collected): the caller then records through the instrument as usual.
    /// </summary>
    internal TInstrument CreateDirect<TInstrument>(Func<TInstrument> create, out InstrumentState? state)
        where TInstrument : Instrument
    {
        t_directFor = this;
        t_directState = null;
        try
        {
            TInstrument instrument = create();
            state = ReferenceEquals(t_directState?.Instrument, instrument) ? t_directState : null;
            return instrument;
        }
        finally
        {
            t_directFor = null;
            t_directState = null;
        }
    }

    private MetricsSnapshot CollectCore() => MetricsSnapshot.Create(this, _timeProvider.GetUtcNow());

    private void CollectObservables()
    {
        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing callback must not fail the scrape; the other instruments were still observed.
            MusubiMonitoringEventSource.Log.ObservableCallbackFailed(e.ToString());
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        object? scope = instrument.Meter.Scope;
        if (!_meters.IsMatch(instrument.Meter.Name) || (scope is not null && _meterFactory is not null && !ReferenceEquals(scope, _meterFactory)))
        {
            return;
        }

        InstrumentState? state;
        lock (_registration)
        {
            state = Register(instrument);
        }

        if (state is null)
        {
            return;
        }

        if (ReferenceEquals(t_directFor, this))
        {
            // Created by CreateDirect on this thread: its owner records into the state itself.
            t_directState = state;
        }
        else
        {
            listener.EnableMeasurementEvents(instrument, state);
        }
    }

    private InstrumentState? Register(Instrument instrument)
    {
        (MetricType type, bool monotonic, bool lastValue)? shape = ShapeOf(instrument);
        if (shape is not { } s)
        {
            MusubiMonitoringEventSource.Log.InstrumentIgnored(instrument.Meter.Name, instrument.Name, "unsupported instrument type");
            return null;
        }

        string? name = PrometheusNaming.FamilyName(instrument.Name, instrument.Unit, s.type == MetricType.Counter, s.type == MetricType.Gauge);
        if (name is null)
        {
            MusubiMonitoringEventSource.Log.InstrumentIgnored(instrument.Meter.Name, instrument.Name, "the name has no letter or digit to build a Prometheus name from");
            return null;
        }

        string? unit = UnitOf(name, instrument.Unit, s.type);

        double[]? bounds = s.type == MetricType.Histogram ? BucketsFor(instrument) : null;
        if (ConflictWith(name, s.type, unit, bounds) is { } conflict)
        {
            Interlocked.Increment(ref _conflicts);
            MusubiMonitoringEventSource.Log.InstrumentIgnored(instrument.Meter.Name, instrument.Name, conflict);
            return null;
        }

        if (!_familiesByName.TryGetValue(name, out MetricFamily? family))
        {
            family = new MetricFamily(name, s.type, unit, instrument.Description, bounds);
            _familiesByName.Add(name, family);
            foreach (string sample in SampleNames(name, s.type))
            {
                _sampleNames.Add(sample, family);
            }

            MetricFamily[] families = [.. _families, family];
            Array.Sort(families, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            Volatile.Write(ref _families, families);
        }

        InstrumentState state = s.type == MetricType.Histogram
            ? new HistogramState(instrument, family, _cardinalityLimit)
            : s.lastValue
                ? new LastValueState(instrument, family, _cardinalityLimit)
                : new SumState(instrument, family, _cardinalityLimit, s.monotonic);
        family.Add(state);
        return state;
    }

    /// <summary>
    /// Says why an instrument of this name, unit, type and buckets could not be exported (its family exists with
    /// another shape, or one of its sample names belongs to another family), or <see langword="null"/> when it can.
    /// </summary>
    internal string? FindConflict(string instrumentName, string? instrumentUnit, MetricType type, double[]? advice)
    {
        string? name = PrometheusNaming.FamilyName(instrumentName, instrumentUnit, type == MetricType.Counter, type == MetricType.Gauge);
        if (name is null)
        {
            return "the name has no letter or digit to build a Prometheus name from";
        }

        double[]? bounds = type == MetricType.Histogram ? ResolveBuckets(instrumentName, advice) : null;
        lock (_registration)
        {
            return ConflictWith(name, type, UnitOf(name, instrumentUnit, type), bounds);
        }
    }

    private static string? UnitOf(string familyName, string? instrumentUnit, MetricType type)
    {
        string? unit = PrometheusNaming.UnitSuffix(instrumentUnit, type == MetricType.Gauge);
        return unit is not null && familyName.EndsWith("_" + unit, StringComparison.Ordinal) ? unit : null;
    }

    private string? ConflictWith(string name, MetricType type, string? unit, double[]? bounds)
    {
        if (_familiesByName.TryGetValue(name, out MetricFamily? family))
        {
            return family.IsCompatible(type, unit, bounds)
                ? null
                : $"it maps to the family '{name}' already exported with another type, unit or buckets";
        }

        // A family owns its name and every sample name it writes (jobs_total, latency_bucket …): another
        // family may not take any of them, or the document would hold two TYPEs for one name.
        foreach (string sample in SampleNames(name, type))
        {
            if (_sampleNames.TryGetValue(sample, out MetricFamily? owner))
            {
                return $"its samples would be named '{sample}', which the family '{owner.Name}' already writes";
            }
        }

        return null;
    }

    private static string[] SampleNames(string name, MetricType type) => type switch
    {
        MetricType.Counter => [name, name + "_total", name + "_created"],
        MetricType.Histogram => [name, name + "_bucket", name + "_sum", name + "_count", name + "_created"],
        _ => [name],
    };

    private double[] BucketsFor(Instrument instrument)
    {
        if (_bucketOverrides.ContainsKey(instrument.Name))
        {
            return ResolveBuckets(instrument.Name, null);
        }

        double[]? advice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(TagText.ShortestDouble).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(v => (double)v).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(v => (double)v).ToArray(),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(v => (double)v).ToArray(),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(v => (double)v).ToArray(),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(v => (double)v).ToArray(),
            _ => null,
        };

        if (advice is not null && HistogramBuckets.Validate(advice, "advice") is { } error)
        {
            MusubiMonitoringEventSource.Log.InstrumentIgnored(instrument.Meter.Name, instrument.Name,
                "its bucket advice is invalid, default buckets used: " + error);
            advice = null;
        }

        return ResolveBuckets(instrument.Name, advice);
    }

    /// <summary>Options override, then the instrument's advice, then the configured default.</summary>
    private double[] ResolveBuckets(string instrumentName, double[]? advice)
        => _bucketOverrides.GetValueOrDefault(instrumentName) ?? advice ?? _defaultBuckets;

    private static (MetricType, bool Monotonic, bool LastValue)? ShapeOf(Instrument instrument)
    {
        Type type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return (MetricType.Counter, true, false);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return (MetricType.Gauge, false, false);
        }

        if (definition == typeof(Histogram<>))
        {
            return (MetricType.Histogram, false, false);
        }

        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>))
        {
            return (MetricType.Gauge, false, true);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return (MetricType.Counter, true, true);
        }

        return null;
    }
}

/// <summary>Who the service is, as exported on <c>target_info</c>.</summary>
internal sealed record ServiceIdentity(string Name, string? Version, string? Environment);
