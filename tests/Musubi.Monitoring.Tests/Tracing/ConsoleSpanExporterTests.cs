using System.Diagnostics;
using System.Text.Json;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class ConsoleSpanExporterTests
{
    [Fact]
    public async Task ExportAsync_Json_WritesOneParsableObjectPerLine()
    {
        using var harness = new TracingHarness();
        (Activity span, ActivityContext parent, ActivityContext linked) = Sample(harness, "GET /orders/{id}");

        string output = await Export(SpanOutputFormat.Json, span);

        string line = Assert.Single(Lines(output));
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        Assert.Equal("GET /orders/{id}", root.GetProperty("name").GetString());
        Assert.Equal("server", root.GetProperty("kind").GetString());
        Assert.Equal(parent.TraceId.ToHexString(), root.GetProperty("trace_id").GetString());
        Assert.Equal(span.SpanId.ToHexString(), root.GetProperty("span_id").GetString());
        Assert.Equal(parent.SpanId.ToHexString(), root.GetProperty("parent_span_id").GetString());
        Assert.Equal(harness.SourceName, root.GetProperty("source").GetString());
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.Equal("out of stock", root.GetProperty("status_description").GetString());
        JsonElement attributes = root.GetProperty("attributes");
        Assert.Equal("GET", attributes.GetProperty("http.request.method").GetString());
        Assert.Equal(404, attributes.GetProperty("http.response.status_code").GetInt64());
        Assert.Equal(1.5, attributes.GetProperty("ratio").GetDouble());
        Assert.True(attributes.GetProperty("retried").GetBoolean());
        JsonElement e = Assert.Single(root.GetProperty("events").EnumerateArray());
        Assert.Equal("cache-miss", e.GetProperty("name").GetString());
        Assert.Equal("order:1", e.GetProperty("attributes").GetProperty("key").GetString());
        JsonElement link = Assert.Single(root.GetProperty("links").EnumerateArray());
        Assert.Equal(linked.TraceId.ToHexString(), link.GetProperty("trace_id").GetString());
        Assert.Equal(linked.SpanId.ToHexString(), link.GetProperty("span_id").GetString());
    }

    [Fact]
    public async Task ExportAsync_Text_WritesOneLinePerSpan()
    {
        using var harness = new TracingHarness();
        (Activity span, ActivityContext parent, _) = Sample(harness, "charge-card");

        string output = await Export(SpanOutputFormat.Text, span, span);

        string[] lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Contains("SPAN \"charge-card\" kind=server", lines[0], StringComparison.Ordinal);
        Assert.Contains($"trace_id={parent.TraceId.ToHexString()} span_id={span.SpanId.ToHexString()} parent_span_id={parent.SpanId.ToHexString()}", lines[0], StringComparison.Ordinal);
        Assert.Contains("status=error \"out of stock\"", lines[0], StringComparison.Ordinal);
    }

    public static TheoryData<SpanOutputFormat, string> HostileNames => new()
    {
        { SpanOutputFormat.Json, "a\nb" },
        { SpanOutputFormat.Text, "a\nb" },
        { SpanOutputFormat.Json, "a\r\nb\u0001c\u001bd\u0085e\u2028f\u2029g" },
        { SpanOutputFormat.Text, "a\r\nb\u0001c\u001bd\u0085e\u2028f\u2029g" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task ExportAsync_NameWithLineBreaksAndControlCharacters_StaysOneLine(SpanOutputFormat format, string name)
    {
        using var harness = new TracingHarness();
        Activity span = harness.Tracer.StartSpan(name)!;
        span.SetStatus(ActivityStatusCode.Error, name);
        span.SetTag("attr", name);
        span.Dispose();

        string output = await Export(format, span);

        string line = Assert.Single(Lines(output));
        Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        if (format == SpanOutputFormat.Json)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            Assert.Equal(name, json.RootElement.GetProperty("name").GetString());
            Assert.Equal(name, json.RootElement.GetProperty("attributes").GetProperty("attr").GetString());
        }
    }

    [Theory]
    [InlineData(SpanOutputFormat.Json)]
    [InlineData(SpanOutputFormat.Text)]
    public async Task ExportAsync_GermanAndArabicCulture_OutputIsIdenticalToInvariant(SpanOutputFormat format)
    {
        using var harness = new TracingHarness();
        (Activity span, _, _) = Sample(harness, "op");
        span.SetTag("amount", 1234.5m);
        span.SetTag("when", new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        string invariant;
        using (new CultureScope(""))
        {
            invariant = await Export(format, span);
        }

        using (new CultureScope("de-DE"))
        {
            Assert.Equal(invariant, await Export(format, span));
        }

        using (new CultureScope("ar-SA"))
        {
            Assert.Equal(invariant, await Export(format, span));
        }

        Assert.Contains(format == SpanOutputFormat.Json ? "\"start\":\"2025-" : "2025-", invariant, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ArrayAttributesAndService_AreWrittenAsJson()
    {
        using var harness = new TracingHarness();
        Activity span = harness.Tracer.StartSpan("op", attributes: [new("ids", new[] { 1, 2 }), new("names", new[] { "a", "b" }), new("odd", new Throwing())])!;
        span.Dispose();
        using var writer = new StringWriter();
        var service = new MusubiMonitoringOptions { ServiceName = "checkout", ServiceVersion = "1.4.2", Environment = "production" };

        await new ConsoleSpanExporter(SpanOutputFormat.Json, writer, service).ExportAsync([span], TestContext.Current.CancellationToken);

        using JsonDocument document = JsonDocument.Parse(Lines(writer.ToString()).Single());
        JsonElement attributes = document.RootElement.GetProperty("attributes");
        Assert.Equal([1, 2], attributes.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["a", "b"], attributes.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("threw", attributes.GetProperty("odd").GetString(), StringComparison.Ordinal);
        Assert.Equal("checkout", document.RootElement.GetProperty("service.name").GetString());
        Assert.Equal("1.4.2", document.RootElement.GetProperty("service.version").GetString());
        Assert.Equal("production", document.RootElement.GetProperty("deployment.environment").GetString());
    }

    [Theory]
    [InlineData(SpanOutputFormat.Json)]
    [InlineData(SpanOutputFormat.Text)]
    public async Task Export_OneOddSpan_OtherSpansOfTheBatchAreStillWritten(SpanOutputFormat format)
    {
        using var harness = new TracingHarness();
        Activity good = harness.Tracer.StartSpan("good")!;
        good.Dispose();
        Activity nullKey = harness.Tracer.StartSpan("null-key", attributes: [new(null!, 1)])!;
        nullKey.Dispose();
        Activity surrogate = harness.Tracer.StartSpan("c\ud800")!;
        surrogate.Dispose();

        string output = await Export(format, good, null!, nullKey, surrogate);

        string[] lines = Lines(output);
        Assert.Equal(3, lines.Length);
        Assert.Contains(good.SpanId.ToHexString(), lines[0], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.DoesNotContain("could not be written", l, StringComparison.Ordinal));
        Assert.True(lines[2].Contains('\uFFFD', StringComparison.Ordinal) || lines[2].Contains("\\uFFFD", StringComparison.Ordinal), lines[2]);
    }

    [Fact]
    public void Ctor_UndefinedFormat_ThrowsArgumentOutOfRangeException()
        => Assert.Equal("format", Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleSpanExporter((SpanOutputFormat)7)).ParamName);

    /// <summary>A finished server span with a remote parent, attributes, an event, a link and an error status, started at a fixed time.</summary>
    private static (Activity Span, ActivityContext Parent, ActivityContext Linked) Sample(TracingHarness harness, string name)
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Activity span = harness.Tracer.StartSpan(
            name,
            ActivityKind.Server,
            [new("http.request.method", "GET"), new("http.response.status_code", 404), new("ratio", 1.5), new("retried", true)],
            [new ActivityLink(linked)],
            parent)!;
        span.SetStartTime(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        span.AddEvent(new ActivityEvent("cache-miss", new DateTimeOffset(2025, 1, 2, 3, 4, 5, 500, TimeSpan.Zero), new ActivityTagsCollection { ["key"] = "order:1" }));
        span.SetStatus(ActivityStatusCode.Error, "out of stock");
        span.SetEndTime(new DateTime(2025, 1, 2, 3, 4, 6, 250, DateTimeKind.Utc));
        span.Dispose();
        return (span, parent, linked);
    }

    private static async Task<string> Export(SpanOutputFormat format, params Activity[] spans)
    {
        using var writer = new StringWriter();
        await new ConsoleSpanExporter(format, writer).ExportAsync(spans, TestContext.Current.CancellationToken);
        return writer.ToString();
    }

    /// <summary>Splits on '\n' (each line ends with one), so any other line break left in a line is visible.</summary>
    private static string[] Lines(string output)
    {
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        return output[..^1].Split('\n');
    }

    private sealed class Throwing
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }
}
