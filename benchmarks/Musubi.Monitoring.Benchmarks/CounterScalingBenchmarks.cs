using System.Diagnostics.Metrics;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>Whether the threads of <see cref="CounterScalingBenchmarks"/> share one series.</summary>
public enum SeriesMode
{
    /// <summary>Each thread records into its own series (its own route tag value).</summary>
    Distinct,

    /// <summary>Every thread records into the same series.</summary>
    Same,
}

/// <summary>
/// 400,000 tagged <c>Counter&lt;long&gt;.Add</c> calls split over 1 or 2 threads, on distinct series or on one.
/// Mean is per add (OperationsPerInvoke), so throughput scaling is Mean(1 thread) / Mean(2 threads).
/// Threads are started once and released together by a <see cref="Barrier"/>; the benchmark thread is one of
/// them, so 2 threads means exactly 2 busy threads on the 2-core machine.
/// Target: 2 threads reach ≥ 1.7 × the single-thread throughput on distinct series.
/// </summary>
[MemoryDiagnoser]
public class CounterScalingBenchmarks
{
    public const int TotalOperations = 400_000;

    private const string InstrumentName = "bench.scaling";

    private MusubiFixture? _musubi;
    private OpenTelemetryFixture? _openTelemetry;
    private ThreadGang? _gang;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(SeriesMode.Distinct, SeriesMode.Same)]
    public SeriesMode Series { get; set; }

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _musubi = new MusubiFixture();
        Start(_musubi.Meter.CreateCounter<long>(InstrumentName));
        _musubi.Require("bench_scaling", Series == SeriesMode.Distinct ? Threads : 1);
    }

    [GlobalSetup(Target = nameof(OpenTelemetrySdk))]
    public void SetupOpenTelemetry()
    {
        _openTelemetry = new OpenTelemetryFixture();
        Start(_openTelemetry.Meter.CreateCounter<long>(InstrumentName));
        _openTelemetry.Require(InstrumentName, Series == SeriesMode.Distinct ? Threads : 1);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOperations)]
    public void OpenTelemetrySdk() => _gang!.Run();

    [Benchmark(OperationsPerInvoke = TotalOperations)]
    public void Musubi() => _gang!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _gang?.Dispose();
        _musubi?.Dispose();
        _openTelemetry?.Dispose();
    }

    private void Start(Counter<long> counter) => _gang = CreateGang(counter, Threads, Series);

    /// <summary>
    /// Creates every series the run will hit (the scenario is "an existing series") and a gang whose thread
    /// <c>t</c> adds <c>TotalOperations / threads</c> times to its series.
    /// </summary>
    internal static ThreadGang CreateGang(Counter<long> counter, int threads, SeriesMode series)
    {
        var tags = new KeyValuePair<string, object?>[threads][];
        for (int t = 0; t < threads; t++)
        {
            string route = series == SeriesMode.Distinct
                ? "/api/orders/" + t.ToString(CultureInfo.InvariantCulture)
                : BenchTags.Route.Value as string ?? string.Empty;
            tags[t] = [BenchTags.Method, new(BenchTags.Route.Key, route), BenchTags.Status];
            counter.Add(1, tags[t][0], tags[t][1], tags[t][2]);
        }

        int perThread = TotalOperations / threads;
        return new ThreadGang(threads, t => AddLoop(counter, tags[t], perThread));
    }

    private static void AddLoop(Counter<long> counter, KeyValuePair<string, object?>[] tags, int count)
    {
        KeyValuePair<string, object?> a = tags[0];
        KeyValuePair<string, object?> b = tags[1];
        KeyValuePair<string, object?> c = tags[2];
        for (int i = 0; i < count; i++)
        {
            counter.Add(1, a, b, c);
        }
    }
}
