using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

/// <summary>
/// Byte-for-byte comparisons of a fixed registry with <c>Golden/registry.prom</c> and
/// <c>Golden/registry.openmetrics</c>. To accept a deliberate change of the output, run the tests once with
/// <c>MUSUBI_UPDATE_GOLDEN=1</c>, then read the diff of the golden files before committing them.
/// </summary>
public sealed class GoldenTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText, "registry.prom")]
    [InlineData(ExpositionFormat.OpenMetrics, "registry.openmetrics")]
    public void Write_GoldenRegistry_MatchesGoldenFileByteForByte(ExpositionFormat format, string file)
    {
        using MetricsHarness harness = CreateGoldenRegistry();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        harness.Collector.Write(buffer, format);
        byte[] actual = buffer.WrittenSpan.ToArray();

        if (Environment.GetEnvironmentVariable("MUSUBI_UPDATE_GOLDEN") == "1")
        {
            string path = Path.Combine(SourceDirectory(), "Golden", file);
            File.WriteAllBytes(path, actual);
            Assert.Fail($"Wrote {path}; review its diff, then run the tests again without MUSUBI_UPDATE_GOLDEN.");
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", file));
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Fail($"The bytes of {file} differ although the text is equal (encoding or BOM).");
        }
    }

    [Fact]
    public void Write_GoldenRegistry_IsTheSameOnEveryScrapeAndUnderAnotherCulture()
    {
        using MetricsHarness first = CreateGoldenRegistry();
        string text = first.Scrape(ExpositionFormat.PrometheusText);
        Assert.Equal(text, first.Scrape(ExpositionFormat.PrometheusText));
        first.Dispose();

        using var culture = new CultureScope("fr-FR");
        using MetricsHarness second = CreateGoldenRegistry();
        Assert.Equal(text, second.Scrape(ExpositionFormat.PrometheusText));
    }

    [Fact]
    public void Write_GoldenRegistry_PassesPromtoolAndTheStrictReader()
    {
        using MetricsHarness harness = CreateGoldenRegistry();
        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        ExpositionDocument.Parse(text, openMetrics: false);
        ExpositionDocument.Parse(harness.Scrape(ExpositionFormat.OpenMetrics), openMetrics: true);
        Promtool.CheckMetrics(text);
    }

    /// <summary>
    /// The fixed registry: counters with labels (raw and convenience), an invalid counter add, a gauge with NaN,
    /// an up-down counter, a histogram with custom buckets, a float histogram, HTTP request metrics, awkward help
    /// text and label values. Single-threaded, fixed clock and identity, meter names no other test uses.
    /// </summary>
    private static MetricsHarness CreateGoldenRegistry()
    {
        var harness = new MetricsHarness(o =>
        {
            o.ServiceName = "checkout";
            o.ServiceVersion = "1.2.3";
            o.Environment = "test";
        }, meterPrefix: "Musubi.Golden");

        Meter meter = harness.Meter;
        Counter<long> orders = meter.CreateCounter<long>("orders.placed", "{order}", "Orders placed.");
        orders.Add(3, Tag("region", "eu-west"), Tag("payment", "card"));
        orders.Add(2, Tag("payment", "invoice"), Tag("region", "us-east"));
        orders.Add(1, Tag("region", "eu-west"), Tag("payment", "card"));

        meter.CreateCounter<long>("network.io", "By", "Bytes sent and received.").Add(1_500_000, Tag("direction", "transmit"));

        meter.CreateCounter<double>("tasks.retried", null, "Retries of a task.\nCounts \"soft\" and hard failures in C:\\jobs.")
            .Add(2.5, Tag("path", "C:\\jobs\\\"nightly\"\nrun"));

        MusubiCounter jobs = harness.Metrics.Counter("jobs_processed", "Jobs processed by the worker.", "queue", "outcome");
        jobs.WithLabels("emails", "ok").Inc(5);
        jobs.Inc(1, "emails", "failed");
        jobs.Inc(-1, "emails", "ok");

        Gauge<double> hitRatio = meter.CreateGauge<double>("cache.hit_ratio", "1", "Cache hit ratio.");
        hitRatio.Record(double.NaN, Tag("cache", "sessions"));
        hitRatio.Record(0.75, Tag("cache", "users"));

        meter.CreateUpDownCounter<int>("connections.active", "{connection}", "Open connections.").Add(4);

        Histogram<double> payment = meter.CreateHistogram("payment.duration", "s", "Time to authorise a payment.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5] });
        foreach (double v in new[] { 0.05, 0.3, 0.5, 2, 7 })
        {
            payment.Record(v, Tag("provider", "acme"));
        }

        Histogram<float> batch = meter.CreateHistogram("batch.fill", "1", "How full a batch was when sent.", null,
            new InstrumentAdvice<float> { HistogramBucketBoundaries = [0.025f, 0.5f, 1e6f] });
        batch.Record(0.025f);
        batch.Record(0.3f);
        batch.Record(0.75f);

        harness.Metrics.RecordRequest("GET", "/orders/{id}", 200, TimeSpan.FromMilliseconds(42));
        harness.Metrics.RecordRequest("POST", "/orders", 503, TimeSpan.FromMilliseconds(1200));
        return harness;
    }

    private static string SourceDirectory([CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
