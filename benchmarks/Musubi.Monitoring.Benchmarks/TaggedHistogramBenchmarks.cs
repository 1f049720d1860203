using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// <c>Histogram&lt;double&gt;.Record(0.3, tag, tag, tag)</c> on an existing series with the same eleven bucket
/// bounds in every library (given as instrument advice, which both Musubi and OpenTelemetry honour).
/// Target: Musubi ≤ 0.5 × OpenTelemetry, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class TaggedHistogramBenchmarks
{
    private const string InstrumentName = "bench.histogram";

    private MusubiFixture? _musubi;
    private OpenTelemetryFixture? _openTelemetry;
    private Histogram<double> _musubiHistogram = null!;
    private Histogram<double> _openTelemetryHistogram = null!;
    private Prom.Histogram _prometheusHistogram = null!;

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _musubi = new MusubiFixture();
        _musubiHistogram = Create(_musubi.Meter);
        _musubiHistogram.Record(BenchTags.Observation, BenchTags.Method, BenchTags.Route, BenchTags.Status);
        _musubi.Require("bench_histogram", series: 1);
    }

    [GlobalSetup(Target = nameof(OpenTelemetrySdk))]
    public void SetupOpenTelemetry()
    {
        _openTelemetry = new OpenTelemetryFixture();
        _openTelemetryHistogram = Create(_openTelemetry.Meter);
        _openTelemetryHistogram.Record(BenchTags.Observation, BenchTags.Method, BenchTags.Route, BenchTags.Status);
        _openTelemetry.Require(InstrumentName, points: 1);
    }

    [GlobalSetup(Target = nameof(PrometheusNet))]
    public void SetupPrometheusNet()
    {
        _prometheusHistogram = PrometheusNetFixture.CreateFactory(out _).CreateHistogram(
            "bench_histogram", "Tagged histogram benchmark.", BenchTags.LabelNames,
            new Prom.HistogramConfiguration { Buckets = BenchTags.Buckets });
        _prometheusHistogram.WithLabels(BenchTags.LabelValues).Observe(BenchTags.Observation);
    }

    [Benchmark(Baseline = true)]
    public void OpenTelemetrySdk()
        => _openTelemetryHistogram.Record(BenchTags.Observation, BenchTags.Method, BenchTags.Route, BenchTags.Status);

    [Benchmark]
    public void Musubi() => _musubiHistogram.Record(BenchTags.Observation, BenchTags.Method, BenchTags.Route, BenchTags.Status);

    [Benchmark]
    public void PrometheusNet() => _prometheusHistogram.WithLabels(BenchTags.LabelValues).Observe(BenchTags.Observation);

    [GlobalCleanup]
    public void Cleanup()
    {
        _musubi?.Dispose();
        _openTelemetry?.Dispose();
    }

    private static Histogram<double> Create(Meter meter) => meter.CreateHistogram(
        InstrumentName, unit: null, description: "Tagged histogram benchmark.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BenchTags.Buckets });
}
