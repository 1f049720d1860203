using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Musubi.Monitoring.Metrics;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// One scrape of 10,000 series (one counter, three labels, 10 × 10 × 100 label values) in Prometheus text.
/// Baseline: prometheus-net writing its text format to a reused <see cref="MemoryStream"/>. Musubi writes
/// into a reused <see cref="ArrayBufferWriter{T}"/>. OpenTelemetry's Prometheus serialiser is internal to its
/// beta exporter packages, so its row is the SDK's collection into the in-memory exporter only — no text is
/// produced, a smaller workload than the other two rows.
/// Target: Musubi at least 2 × faster than both peers.
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    public const int SeriesCount = 10_000;

    private const string InstrumentName = "bench.scrape";
    private const string Help = "Scrape benchmark.";

    private MusubiFixture? _musubi;
    private OpenTelemetryFixture? _openTelemetry;
    private ArrayBufferWriter<byte> _buffer = null!;
    private Prom.CollectorRegistry _registry = null!;
    private MemoryStream _stream = null!;

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _musubi = new MusubiFixture(cardinalityLimit: 2 * SeriesCount);
        Fill(_musubi.Meter.CreateCounter<long>(InstrumentName, unit: null, description: Help));
        _musubi.Require("bench_scrape", SeriesCount);
        _buffer = new ArrayBufferWriter<byte>(4 * 1024 * 1024);
        Musubi();
        Console.WriteLine($"// Musubi scrape: {_buffer.WrittenCount} bytes");
    }

    [GlobalSetup(Target = nameof(OpenTelemetryCollectOnly))]
    public void SetupOpenTelemetry()
    {
        _openTelemetry = new OpenTelemetryFixture(InstrumentName, cardinalityLimit: 2 * SeriesCount);
        Fill(_openTelemetry.Meter.CreateCounter<long>(InstrumentName, unit: null, description: Help));
        _openTelemetry.Require(InstrumentName, SeriesCount);
    }

    [GlobalSetup(Target = nameof(PrometheusNet))]
    public void SetupPrometheusNet()
    {
        Prom.Counter counter = PrometheusNetFixture.CreateFactory(out _registry)
            .CreateCounter("bench_scrape_total", Help, "a", "b", "c");
        for (int i = 0; i < SeriesCount; i++)
        {
            (string a, string b, string c) = LabelValues(i);
            counter.WithLabels(a, b, c).Inc(i + 1);
        }

        _stream = new MemoryStream(4 * 1024 * 1024);
        PrometheusNet().GetAwaiter().GetResult();
        int lines = _stream.ToArray().Count(b => b == (byte)'\n');
        if (lines < SeriesCount)
        {
            throw new InvalidOperationException($"prometheus-net wrote {lines} lines, expected at least {SeriesCount}.");
        }

        Console.WriteLine($"// prometheus-net scrape: {_stream.Length} bytes");
    }

    [Benchmark(Baseline = true)]
    public Task PrometheusNet()
    {
        _stream.Position = 0;
        _stream.SetLength(0);
        return _registry.CollectAndExportAsTextAsync(_stream);
    }

    [Benchmark]
    public void Musubi()
    {
        // ResetWrittenCount keeps the buffer without zeroing the last megabyte (Clear would, and bill it to Musubi).
        _buffer.ResetWrittenCount();
        _musubi!.Collector.Write(_buffer, ExpositionFormat.PrometheusText);
    }

    /// <summary>Collection only: the SDK snapshots its 10,000 points and hands them to the in-memory exporter.</summary>
    [Benchmark]
    public void OpenTelemetryCollectOnly()
    {
        _openTelemetry!.Exported.Clear();
        _openTelemetry.Provider.ForceFlush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _musubi?.Dispose();
        _openTelemetry?.Dispose();
        _stream?.Dispose();
    }

    private static void Fill(Counter<long> counter)
    {
        for (int i = 0; i < SeriesCount; i++)
        {
            (string a, string b, string c) = LabelValues(i);
            counter.Add(i + 1, new("a", a), new("b", b), new("c", c));
        }
    }

    private static (string A, string B, string C) LabelValues(int i) => (
        "a" + (i % 10).ToString(CultureInfo.InvariantCulture),
        "b" + (i / 10 % 10).ToString(CultureInfo.InvariantCulture),
        "c" + (i / 100).ToString(CultureInfo.InvariantCulture));
}
