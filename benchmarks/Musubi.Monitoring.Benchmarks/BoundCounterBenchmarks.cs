using BenchmarkDotNet.Attributes;
using Musubi.Monitoring.Metrics;
using Prom = Prometheus;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// A counter series bound once and incremented in a hot loop: Musubi's
/// <c>MusubiMetrics.Counter(…).WithLabels(…)</c> handle against prometheus-net's labelled child.
/// Target: Musubi ≤ 1.0 × prometheus-net.
/// </summary>
[MemoryDiagnoser]
public class BoundCounterBenchmarks
{
    private MusubiFixture? _musubi;
    private MusubiCounter.Bound _musubiBound = null!;
    private Prom.Counter.Child _prometheusChild = null!;

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _musubi = new MusubiFixture();
        _musubiBound = _musubi.Metrics.Counter("bench_bound", null, "a", "b", "c").WithLabels("x", "y", "z");
        _musubiBound.Inc();
        MetricFamilySnapshot family = _musubi.Require("bench_bound", series: 1);
        if (family.Series[0].Value != 1)
        {
            throw new InvalidOperationException($"The bound series holds {family.Series[0].Value}, expected 1.");
        }
    }

    [GlobalSetup(Target = nameof(PrometheusNet))]
    public void SetupPrometheusNet()
    {
        _prometheusChild = PrometheusNetFixture.CreateFactory(out _)
            .CreateCounter("bench_bound_total", "Bound counter benchmark.", "a", "b", "c")
            .WithLabels("x", "y", "z");
        _prometheusChild.Inc();
    }

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _prometheusChild.Inc();

    [Benchmark]
    public void Musubi() => _musubiBound.Inc();

    [GlobalCleanup]
    public void Cleanup() => _musubi?.Dispose();
}
