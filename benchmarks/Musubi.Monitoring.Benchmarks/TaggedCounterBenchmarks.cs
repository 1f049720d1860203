using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// <c>Counter&lt;long&gt;.Add(1, tag, tag, tag)</c> on a series that already exists, each library listening to its
/// own meter; prometheus-net's equivalent is <c>WithLabels(values).Inc()</c> (a child lookup per call).
/// Target: Musubi ≤ 0.5 × OpenTelemetry, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class TaggedCounterBenchmarks
{
    private const string InstrumentName = "bench.tagged";

    private MusubiFixture? _musubi;
    private OpenTelemetryFixture? _openTelemetry;
    private Counter<long> _musubiCounter = null!;
    private Counter<long> _openTelemetryCounter = null!;
    private Prom.Counter _prometheusCounter = null!;

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _musubi = new MusubiFixture();
        _musubiCounter = _musubi.Meter.CreateCounter<long>(InstrumentName);
        _musubiCounter.Add(1, BenchTags.Method, BenchTags.Route, BenchTags.Status);
        _musubi.Require("bench_tagged", series: 1);
    }

    [GlobalSetup(Target = nameof(OpenTelemetrySdk))]
    public void SetupOpenTelemetry()
    {
        _openTelemetry = new OpenTelemetryFixture();
        _openTelemetryCounter = _openTelemetry.Meter.CreateCounter<long>(InstrumentName);
        _openTelemetryCounter.Add(1, BenchTags.Method, BenchTags.Route, BenchTags.Status);
        _openTelemetry.Require(InstrumentName, points: 1);
    }

    [GlobalSetup(Target = nameof(PrometheusNet))]
    public void SetupPrometheusNet()
    {
        _prometheusCounter = PrometheusNetFixture.CreateFactory(out _)
            .CreateCounter("bench_tagged_total", "Tagged counter benchmark.", BenchTags.LabelNames);
        _prometheusCounter.WithLabels(BenchTags.LabelValues).Inc();
    }

    [Benchmark(Baseline = true)]
    public void OpenTelemetrySdk() => _openTelemetryCounter.Add(1, BenchTags.Method, BenchTags.Route, BenchTags.Status);

    [Benchmark]
    public void Musubi() => _musubiCounter.Add(1, BenchTags.Method, BenchTags.Route, BenchTags.Status);

    [Benchmark]
    public void PrometheusNet() => _prometheusCounter.WithLabels(BenchTags.LabelValues).Inc();

    [GlobalCleanup]
    public void Cleanup()
    {
        _musubi?.Dispose();
        _openTelemetry?.Dispose();
    }
}
