using System.Diagnostics.Metrics;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

public sealed class PrometheusTextWriterTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static string Text(MetricsHarness harness) => harness.Scrape(ExpositionFormat.PrometheusText);

    private static string OpenMetrics(MetricsHarness harness) => harness.Scrape(ExpositionFormat.OpenMetrics);

    [Fact]
    public void Write_LabelValueWithBackslashQuoteAndNewline_IsEscapedInBothFormats()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(1, Tag("path", "C:\\temp\\\"x\"\nnext"));

        const string Expected = "jobs_total{path=\"C:\\\\temp\\\\\\\"x\\\"\\nnext\"} ";
        Assert.Contains(Expected + "1\n", Text(harness), StringComparison.Ordinal);
        Assert.Contains(Expected + "1.0\n", OpenMetrics(harness), StringComparison.Ordinal);
        Sample sample = Assert.Single(ExpositionDocument.Parse(Text(harness), openMetrics: false).SamplesNamed("jobs_total"));
        Assert.Equal("C:\\temp\\\"x\"\nnext", sample.Label("path"));
    }

    [Fact]
    public void Write_LabelValueWithUnicodeAndOtherControlCharacters_IsWrittenAsUtf8()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(1, Tag("city", "東京 🚀\ttab"));
        Assert.Contains("jobs_total{city=\"東京 🚀\ttab\"} 1\n", Text(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HelpWithNewlineBackslashAndQuote_TextEscapesBackslashAndNewlineOpenMetricsAlsoQuote()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs", null, "Line one\nLine two in C:\\jobs, \"quoted\".").Add(1);

        Assert.Contains("# HELP jobs_total Line one\\nLine two in C:\\\\jobs, \"quoted\".\n", Text(harness), StringComparison.Ordinal);
        Assert.Contains("# HELP jobs Line one\\nLine two in C:\\\\jobs, \\\"quoted\\\".\n", OpenMetrics(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoDescription_HasNoHelpLine()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs").Add(1);
        Assert.DoesNotContain("# HELP jobs", Text(harness), StringComparison.Ordinal);
        Assert.Contains("# TYPE jobs_total counter\njobs_total 1\n", Text(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_GaugeNaNAndInfinities_PrintPrometheusSpelling()
    {
        using var harness = new MetricsHarness();
        Gauge<double> gauge = harness.Meter.CreateGauge<double>("reading", null, "Reading.");
        gauge.Record(double.NaN, Tag("k", "nan"));
        gauge.Record(double.PositiveInfinity, Tag("k", "pos"));
        gauge.Record(double.NegativeInfinity, Tag("k", "neg"));
        Gauge<float> floats = harness.Meter.CreateGauge<float>("float_reading", null, "Reading.");
        floats.Record(float.NaN, Tag("k", "nan"));
        floats.Record(float.PositiveInfinity, Tag("k", "pos"));
        floats.Record(float.NegativeInfinity, Tag("k", "neg"));

        foreach (string text in new[] { Text(harness), OpenMetrics(harness) })
        {
            foreach (string name in new[] { "reading", "float_reading" })
            {
                Assert.Contains(name + "{k=\"nan\"} NaN\n", text, StringComparison.Ordinal);
                Assert.Contains(name + "{k=\"pos\"} +Inf\n", text, StringComparison.Ordinal);
                Assert.Contains(name + "{k=\"neg\"} -Inf\n", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Write_FloatHistogramWithBucketAdvice0025f_PrintsLe0025InBothFormats()
    {
        using var harness = new MetricsHarness();
        Histogram<float> histogram = harness.Meter.CreateHistogram("wait", "s", "Wait.", null,
            new InstrumentAdvice<float> { HistogramBucketBoundaries = [0.025f, 0.1f, 2.5f] });
        histogram.Record(0.025f);
        histogram.Record(0.3f);

        string text = Text(harness);
        string om = OpenMetrics(harness);
        Assert.Contains("wait_seconds_bucket{le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_bucket{le=\"0.1\"} 1\nwait_seconds_bucket{le=\"2.5\"} 2\nwait_seconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_bucket{le=\"0.025\"} 1\n", om, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_bucket{le=\"2.5\"} 2\n", om, StringComparison.Ordinal);
        Assert.Contains("wait_seconds_sum 0.325\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0250000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IntegralAndLargeBounds_OpenMetricsPrintsCanonicalLe()
    {
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram("size", "By", "Size.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 100000, 1e6, 1234567] });
        histogram.Record(2);

        string om = OpenMetrics(harness);
        Assert.Contains(
            "size_bytes_bucket{le=\"1.0\"} 0\nsize_bytes_bucket{le=\"100000.0\"} 1\nsize_bytes_bucket{le=\"1e+06\"} 1\nsize_bytes_bucket{le=\"1.234567e+06\"} 1\nsize_bytes_bucket{le=\"+Inf\"} 1\n",
            om, StringComparison.Ordinal);
        string text = Text(harness);
        Assert.Contains(
            "size_bytes_bucket{le=\"1\"} 0\nsize_bytes_bucket{le=\"100000\"} 1\nsize_bytes_bucket{le=\"1e+06\"} 1\nsize_bytes_bucket{le=\"1.234567e+06\"} 1\nsize_bytes_bucket{le=\"+Inf\"} 1\n",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IntegerHistogramBuckets_PrintAsIntegers()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateHistogram("items", "{item}", "Items.", null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] }).Record(50);
        Assert.Contains("items_bucket{le=\"10\"} 0\nitems_bucket{le=\"100\"} 1\n", Text(harness), StringComparison.Ordinal);
        Assert.Contains("items_bucket{le=\"10.0\"} 0\nitems_bucket{le=\"100.0\"} 1\n", OpenMetrics(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Histogram_BucketsAreCumulativeWithSumAndCount()
    {
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram("latency", "s", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.05, Tag("route", "/a"));
        histogram.Record(0.5, Tag("route", "/a"));
        histogram.Record(0.5, Tag("route", "/a"));
        histogram.Record(7, Tag("route", "/a"));

        Assert.Contains(
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"1\"} 3\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n" +
            "latency_seconds_sum{route=\"/a\"} 8.05\n" +
            "latency_seconds_count{route=\"/a\"} 4\n",
            Text(harness), StringComparison.Ordinal);
        Assert.Contains(
            "# TYPE latency_seconds histogram\n# UNIT latency_seconds seconds\n# HELP latency_seconds Latency.\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"1.0\"} 3\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n" +
            "latency_seconds_sum{route=\"/a\"} 8.05\n" +
            "latency_seconds_count{route=\"/a\"} 4\n",
            OpenMetrics(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Counter_TextNamesFamilyWithTotalOpenMetricsWithout()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("network.io", "By", "Bytes moved.").Add(1500);
        Assert.Contains("# HELP network_io_bytes_total Bytes moved.\n# TYPE network_io_bytes_total counter\nnetwork_io_bytes_total 1500\n", Text(harness), StringComparison.Ordinal);
        Assert.Contains("# TYPE network_io_bytes counter\n# UNIT network_io_bytes bytes\n# HELP network_io_bytes Bytes moved.\nnetwork_io_bytes_total 1500.0\n", OpenMetrics(harness), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Numbers_TextPlainOpenMetricsCanonical()
    {
        using var harness = new MetricsHarness();
        Gauge<double> gauge = harness.Meter.CreateGauge<double>("value", null, "Value.");
        gauge.Record(3, Tag("k", "int"));
        gauge.Record(2500000, Tag("k", "big"));
        gauge.Record(0.00001, Tag("k", "tiny"));
        gauge.Record(-0.5, Tag("k", "neg"));

        string text = Text(harness);
        Assert.Contains("value{k=\"int\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("value{k=\"big\"} 2500000\n", text, StringComparison.Ordinal);
        Assert.Contains("value{k=\"tiny\"} 1e-05\n", text, StringComparison.Ordinal);
        Assert.Contains("value{k=\"neg\"} -0.5\n", text, StringComparison.Ordinal);
        string om = OpenMetrics(harness);
        Assert.Contains("value{k=\"int\"} 3.0\n", om, StringComparison.Ordinal);
        Assert.Contains("value{k=\"big\"} 2.5e+06\n", om, StringComparison.Ordinal);
        Assert.Contains("value{k=\"tiny\"} 1e-05\n", om, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OpenMetrics_EndsWithOneEofLine()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(1);
        string om = OpenMetrics(harness);
        Assert.EndsWith("\n# EOF\n", om, StringComparison.Ordinal);
        Assert.Single(om.Split('\n'), l => l == "# EOF");
        Assert.DoesNotContain("# EOF", Text(harness), StringComparison.Ordinal);
        ExpositionDocument.Parse(om, openMetrics: true);
    }

    [Fact]
    public void Write_NoByteOrderMark()
    {
        using var harness = new MetricsHarness();
        foreach (ExpositionFormat format in Enum.GetValues<ExpositionFormat>())
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            harness.Collector.Write(buffer, format);
            Assert.False(buffer.WrittenSpan.StartsWith("\uFEFF"u8), $"{format} starts with a BOM.");
        }
    }

    [Fact]
    public void Write_Families_AreSortedAndEachSeriesBlockIsContiguous()
    {
        using var harness = new MetricsHarness();
        Meter second = harness.CreateMeter("Second");
        harness.Meter.CreateCounter<long>("zeta", null, "Z.").Add(1, Tag("a", "1"));
        second.CreateCounter<long>("alpha", null, "A.").Add(1);
        harness.Meter.CreateCounter<long>("zeta", null, "Z.").Add(1, Tag("a", "2"));
        harness.Meter.CreateGauge<long>("mid", null, "M.").Record(1);

        foreach (bool om in new[] { false, true })
        {
            var document = ExpositionDocument.Parse(om ? OpenMetrics(harness) : Text(harness), om);
            List<string> names = [.. document.Families.Select(f => f.Name)];
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Write_NonInvariantCulture_UsesPointDecimals(string culture)
    {
        using var scope = new CultureScope(culture);
        Assert.Equal(",", System.Globalization.CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator);
        using var harness = new MetricsHarness();
        harness.Meter.CreateGauge<double>("ratio", "1", "Ratio.").Record(0.5, Tag("scale", 1.5));
        harness.Meter.CreateHistogram("latency", "s", "Latency.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 2.5] }).Record(0.125);
        harness.Meter.CreateCounter<double>("work", "s", "Work.").Add(1234567.5);

        string text = Text(harness);
        Assert.Contains("ratio{scale=\"1.5\"} 0.5\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"0.25\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_sum 0.125\n", text, StringComparison.Ordinal);
        Assert.Contains("work_seconds_total 1.2345675e+06\n", text, StringComparison.Ordinal);
        string om = OpenMetrics(harness);
        Assert.Contains("ratio{scale=\"1.5\"} 0.5\n", om, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{le=\"2.5\"} 1\n", om, StringComparison.Ordinal);
        string json = harness.Scrape(ExpositionFormat.Json);
        Assert.Contains("\"value\":0.5", json, StringComparison.Ordinal);
        Assert.Contains("\"le\":0.25", json, StringComparison.Ordinal);
        Assert.Contains("\"sum\":0.125", json, StringComparison.Ordinal);
        foreach (string document in new[] { text, om, json })
        {
            Assert.DoesNotContain("0,5", document, StringComparison.Ordinal);
            Assert.DoesNotContain("1,5", document, StringComparison.Ordinal);
            Assert.DoesNotContain("0,25", document, StringComparison.Ordinal);
        }

        ExpositionDocument.Parse(text, openMetrics: false);
        ExpositionDocument.Parse(om, openMetrics: true);
    }

    [Fact]
    public void Write_AwkwardRegistry_PassesPromtoolAndTheStrictReader()
    {
        using var harness = AwkwardRegistry.Create();
        string text = Text(harness);
        ExpositionDocument document = ExpositionDocument.Parse(text, openMetrics: false);
        ExpositionDocument.Parse(OpenMetrics(harness), openMetrics: true);

        // The awkward inputs really are in there.
        Assert.Contains(document.Families, f => f.Name == "_2xx_responses_total");
        Assert.Contains(document.Families, f => f.Name == "caf_orders_total");
        Assert.Contains(document.Samples, s => s.Label("otel_metric_overflow") == "true");
        Assert.Contains(document.Samples, s => s.ValueText == "NaN");
        Assert.Contains(document.Samples, s => s.Label("user_id") == "u-2;u.1");
        Assert.Contains(document.Samples, s => s.Label("note") == "say \"hi\"\\\n東京 🚀");
        Promtool.CheckMetrics(text);
    }
}
