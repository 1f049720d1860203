using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// The tags every tagged scenario records: three string values, so that no value is boxed and the Allocated
/// column shows only what the library allocates.
/// </summary>
internal static class BenchTags
{
    public static readonly KeyValuePair<string, object?> Method = new("http.request.method", "GET");
    public static readonly KeyValuePair<string, object?> Route = new("http.route", "/api/orders/{id}");
    public static readonly KeyValuePair<string, object?> Status = new("http.response.status_code", "200");

    /// <summary>prometheus-net's label names (Prometheus names have no dots) for the same three tags.</summary>
    public static readonly string[] LabelNames = ["method", "route", "status"];

    /// <summary>
    /// The same values as one array, passed to prometheus-net's <c>WithLabels(string[])</c>: it still looks the
    /// child up on every call, but no <c>params</c> array is allocated for it, so the peer shows its best case.
    /// </summary>
    public static readonly string[] LabelValues = ["GET", "/api/orders/{id}", "200"];

    /// <summary>The Prometheus default buckets, given as advice to the OpenTelemetry and Musubi histograms alike.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>An observation in the middle of <see cref="Buckets"/>, so each library walks half its bounds.</summary>
    public const double Observation = 0.3;
}

/// <summary>
/// Musubi as an application wires it: <c>AddMusubiMonitoring</c> collecting the meter <c>Bench.Musubi</c>,
/// which no other library in the process listens to.
/// </summary>
internal sealed class MusubiFixture : IDisposable
{
    public const string MeterName = "Bench.Musubi";

    private readonly ServiceProvider _services;

    public MusubiFixture(int cardinalityLimit = 2000)
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o =>
        {
            o.Metrics.Meters.Add(MeterName);
            o.Metrics.CardinalityLimit = cardinalityLimit;
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Collector = _services.GetRequiredService<MusubiMetricsCollector>();
        Meter = new Meter(MeterName);
    }

    public MusubiMetricsCollector Collector { get; }

    /// <summary>The convenience API (its meter is <c>Musubi.Monitoring</c>, collected by default).</summary>
    public MusubiMetrics Metrics => _services.GetRequiredService<MusubiMetrics>();

    public Meter Meter { get; }

    /// <summary>Throws unless the family exists with <paramref name="series"/> series: a benchmark of nothing is worse than none.</summary>
    public MetricFamilySnapshot Require(string family, int series)
    {
        MetricFamilySnapshot found = Collector.Collect().Find(family)
            ?? throw new InvalidOperationException($"Musubi did not collect '{family}'.");
        if (found.Series.Count != series)
        {
            throw new InvalidOperationException($"Musubi has {found.Series.Count} series of '{family}', expected {series}.");
        }

        return found;
    }

    public void Dispose()
    {
        Meter.Dispose();
        _services.Dispose();
    }
}

/// <summary>
/// The OpenTelemetry SDK with its in-memory exporter (cumulative temporality, like a Prometheus scrape),
/// listening to the meter <c>Bench.Otel</c> only.
/// </summary>
internal sealed class OpenTelemetryFixture : IDisposable
{
    public const string MeterName = "Bench.Otel";

    public OpenTelemetryFixture(string? instrumentName = null, int cardinalityLimit = 2000)
    {
        MeterProviderBuilder builder = Sdk.CreateMeterProviderBuilder().AddMeter(MeterName);
        if (instrumentName is not null)
        {
            // 1.21's way to raise the per-stream limit (SetMaxMetricPointsPerMetricStream is obsolete).
            builder.AddView(instrumentName, new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit });
        }

        Provider = builder.AddInMemoryExporter(Exported).Build();
        Meter = new Meter(MeterName);
    }

    public List<Metric> Exported { get; } = [];

    public MeterProvider Provider { get; }

    public Meter Meter { get; }

    /// <summary>Collects once and returns the number of metric points of <paramref name="instrument"/>.</summary>
    public int Require(string instrument, int points)
    {
        Exported.Clear();
        Provider.ForceFlush();
        Metric metric = Exported.FirstOrDefault(m => m.Name == instrument)
            ?? throw new InvalidOperationException($"OpenTelemetry did not export '{instrument}'.");
        int count = 0;
        foreach (ref readonly MetricPoint _ in metric.GetMetricPoints())
        {
            count++;
        }

        Exported.Clear();
        if (count != points)
        {
            throw new InvalidOperationException($"OpenTelemetry has {count} points of '{instrument}', expected {points}.");
        }

        return count;
    }

    public void Dispose()
    {
        Meter.Dispose();
        Provider.Dispose();
    }
}

/// <summary>A prometheus-net registry of its own, without the default process and meter-adapter collectors.</summary>
internal static class PrometheusNetFixture
{
    private static readonly Lock s_lock = new();
    private static bool s_suppressed;

    public static Prom.MetricFactory CreateFactory(out Prom.CollectorRegistry registry)
    {
        lock (s_lock)
        {
            if (!s_suppressed)
            {
                // The default registry would start a MeterAdapter that listens to every Meter in the process.
                Prom.Metrics.SuppressDefaultMetrics();
                s_suppressed = true;
            }
        }

        registry = Prom.Metrics.NewCustomRegistry();
        return Prom.Metrics.WithCustomRegistry(registry);
    }
}
