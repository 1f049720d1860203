using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Logging;
using static Musubi.Monitoring.Tests.Logging.LoggingTestSupport;

namespace Musubi.Monitoring.Tests.Logging;

public sealed class LogRecordEnrichmentTests
{
    [Fact]
    public void Log_Json_WritesTheDocumentedFields()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("Checkout.Orders").Log(LogLevel.Warning, new EventId(7, "OrderSlow"), "Order {OrderId} took {Seconds} s", 42, 1.5);
        }

        JsonElement record = SingleJson(output);
        Assert.Equal("2026-12-03T18:40:00.123Z", record.GetProperty("timestamp").GetString());
        Assert.Equal("warning", record.GetProperty("level").GetString());
        Assert.Equal("Checkout.Orders", record.GetProperty("category").GetString());
        Assert.Equal(7, record.GetProperty("event_id").GetInt32());
        Assert.Equal("OrderSlow", record.GetProperty("event_name").GetString());
        Assert.Equal("Order 42 took 1.5 s", record.GetProperty("message").GetString());
        Assert.Equal("Order {OrderId} took {Seconds} s", record.GetProperty("message_template").GetString());
        Assert.Equal(JsonValueKind.Number, record.GetProperty("attributes").GetProperty("OrderId").ValueKind);
        Assert.Equal(42, record.GetProperty("attributes").GetProperty("OrderId").GetInt32());
        Assert.Equal(1.5, record.GetProperty("attributes").GetProperty("Seconds").GetDouble());
        Assert.False(record.GetProperty("attributes").TryGetProperty("{OriginalFormat}", out _));
        Assert.Equal("checkout", record.GetProperty("service.name").GetString());
        Assert.Equal("1.2.3", record.GetProperty("service.version").GetString());
        Assert.Equal("production", record.GetProperty("deployment.environment").GetString());
        Assert.False(record.TryGetProperty("trace_id", out _));
        Assert.False(record.TryGetProperty("correlation_id", out _));
        Assert.False(record.TryGetProperty("exception.type", out _));
    }

    [Fact]
    public void Log_NullServiceVersionAndEnvironment_LeavesThemOut()
    {
        (ILoggerFactory factory, StringWriter output) = Console(service: Service(version: null, environment: null));
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("hello");
        }

        JsonElement record = SingleJson(output);
        Assert.Equal("checkout", record.GetProperty("service.name").GetString());
        Assert.False(record.TryGetProperty("service.version", out _));
        Assert.False(record.TryGetProperty("deployment.environment", out _));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace", "TRC")]
    [InlineData(LogLevel.Debug, "debug", "DBG")]
    [InlineData(LogLevel.Information, "information", "INF")]
    [InlineData(LogLevel.Warning, "warning", "WRN")]
    [InlineData(LogLevel.Error, "error", "ERR")]
    [InlineData(LogLevel.Critical, "critical", "CRT")]
    public void Log_Level_IsNamedInBothFormats(LogLevel level, string json, string text)
    {
        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("C").Log(level, "m");
            textFactory.CreateLogger("C").Log(level, "m");
        }

        Assert.Equal(json, SingleJson(jsonOutput).GetProperty("level").GetString());
        Assert.Equal($"2026-12-03T18:40:00.123Z {text} C: \"m\"", Assert.Single(Lines(textOutput)));
    }

    [Fact]
    public void Log_InsideActivityAndCorrelationContext_CarriesTheirIds()
    {
        using var activity = new Activity("checkout").SetIdFormat(ActivityIdFormat.W3C).Start();
        using IDisposable correlation = CorrelationContext.Begin(new CorrelationContext("corr-123"));
        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("C").LogInformation("inside");
            textFactory.CreateLogger("C").LogInformation("inside");
        }

        JsonElement record = SingleJson(jsonOutput);
        Assert.Equal(activity.TraceId.ToHexString(), record.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), record.GetProperty("span_id").GetString());
        Assert.Equal("corr-123", record.GetProperty("correlation_id").GetString());
        Assert.Equal("checkout", record.GetProperty("service.name").GetString());
        Assert.Equal(
            $"2026-12-03T18:40:00.123Z INF C: \"inside\" trace_id={activity.TraceId.ToHexString()} span_id={activity.SpanId.ToHexString()} correlation_id=corr-123",
            Assert.Single(Lines(textOutput)));
    }

    [Fact]
    public async Task Log_FileProviderInsideActivity_CapturesTheCallersIdsNotTheWritersOnes()
    {
        using var directory = new TempDirectory();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = directory.Combine("app.log"), RollInterval = LogRollInterval.None });
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        using (var activity = new Activity("checkout").SetIdFormat(ActivityIdFormat.W3C).Start())
        using (CorrelationContext.Begin(new CorrelationContext("corr-file")))
        {
            traceId = activity.TraceId;
            spanId = activity.SpanId;
            provider.CreateLogger("C").LogInformation("inside");
        }

        await provider.DisposeAsync();

        using JsonDocument document = JsonDocument.Parse(Assert.Single(ReadLines(directory.Combine("app.log"))));
        JsonElement record = document.RootElement;
        Assert.Equal(traceId.ToHexString(), record.GetProperty("trace_id").GetString());
        Assert.Equal(spanId.ToHexString(), record.GetProperty("span_id").GetString());
        Assert.Equal("corr-file", record.GetProperty("correlation_id").GetString());
        Assert.Equal("1.2.3", record.GetProperty("service.version").GetString());
    }

    [Fact]
    public void Log_NoActivityButRemoteParent_TakesTheTraceIdFromTheCorrelationContext()
    {
        Assert.Null(Activity.Current);
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using IDisposable correlation = CorrelationContext.Begin(new CorrelationContext("corr-remote", remoteParent: remote));
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("remote");
        }

        JsonElement record = SingleJson(output);
        Assert.Equal(remote.TraceId.ToHexString(), record.GetProperty("trace_id").GetString());
        Assert.False(record.TryGetProperty("span_id", out _));
        Assert.Equal("corr-remote", record.GetProperty("correlation_id").GetString());
    }

    [Fact]
    public void Log_InsideScopes_KeyValueScopesBecomeAttributesAndOthersGoToScopes()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            ILogger logger = factory.CreateLogger("C");
            using (logger.BeginScope("Order {OrderId} for {Tenant}", 42, "outer"))
            using (logger.BeginScope("plain scope"))
            using (logger.BeginScope(new Dictionary<string, object?> { ["Tenant"] = "inner", ["Attempt"] = 2 }))
            {
                logger.LogInformation("Shipping {Carrier}", "NZPost");
            }
        }

        JsonElement record = SingleJson(output);
        JsonElement attributes = record.GetProperty("attributes");
        Assert.Equal("NZPost", attributes.GetProperty("Carrier").GetString());
        Assert.Equal(42, attributes.GetProperty("OrderId").GetInt32());
        Assert.Equal(2, attributes.GetProperty("Attempt").GetInt32());
        Assert.Equal("inner", attributes.GetProperty("Tenant").GetString());
        Assert.Equal(["plain scope"], record.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4, attributes.EnumerateObject().Count());
    }

    [Fact]
    public void Log_TypedProperties_AreWrittenAsJsonTypes()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").LogInformation(
                "{Int} {Long} {Double} {Decimal} {Bool} {String} {Null} {Date} {Enum} {Span} {List} {NaN}",
                1, 2L, 0.25, 12.50m, true, "s", null, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), DayOfWeek.Friday,
                TimeSpan.FromMinutes(90), new[] { 1, 2 }, double.NaN);
        }

        JsonElement a = SingleJson(output).GetProperty("attributes");
        Assert.Equal("1", a.GetProperty("Int").GetRawText());
        Assert.Equal("2", a.GetProperty("Long").GetRawText());
        Assert.Equal("0.25", a.GetProperty("Double").GetRawText());
        Assert.Equal("12.50", a.GetProperty("Decimal").GetRawText());
        Assert.Equal("true", a.GetProperty("Bool").GetRawText());
        Assert.Equal("\"s\"", a.GetProperty("String").GetRawText());
        Assert.Equal("null", a.GetProperty("Null").GetRawText());
        Assert.Equal("2026-01-02T03:04:05+00:00", a.GetProperty("Date").GetString());
        Assert.Equal("Friday", a.GetProperty("Enum").GetString());
        Assert.Equal("01:30:00", a.GetProperty("Span").GetString());
        Assert.Equal("[1,2]", a.GetProperty("List").GetRawText());
        Assert.Equal("NaN", a.GetProperty("NaN").GetString());
    }

    [Fact]
    public void Log_WithException_WritesOpenTelemetryExceptionFields()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("boom\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            exception = e;
        }

        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("C").LogError(exception, "failed");
            textFactory.CreateLogger("C").LogError(exception, "failed");
        }

        JsonElement record = SingleJson(jsonOutput);
        Assert.Equal("System.InvalidOperationException", record.GetProperty("exception.type").GetString());
        Assert.Equal("boom\nsecond line", record.GetProperty("exception.message").GetString());
        Assert.Contains(nameof(Log_WithException_WritesOpenTelemetryExceptionFields), record.GetProperty("exception.stacktrace").GetString());
        Assert.Equal(
            "2026-12-03T18:40:00.123Z ERR C: \"failed\" exception=\"System.InvalidOperationException: boom\\nsecond line\"",
            Assert.Single(Lines(textOutput)));
    }

    [Fact]
    public void Log_ControlCharactersInUntrustedText_AreEscapedAndStayOnOneLine()
    {
        const string Hostile = "line1\nline2\r\u001b[31mred\u0000\u0085\u2028\"quoted\" <b>&amp;";
        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("Cat\negory").LogInformation("User said {Input}", Hostile);
            textFactory.CreateLogger("Cat\negory").LogInformation("User said {Input}", Hostile);
        }

        foreach (string raw in new[] { jsonOutput.ToString(), textOutput.ToString() })
        {
            Assert.Equal(raw.Length - 1, raw.IndexOf('\n', StringComparison.Ordinal));
            Assert.DoesNotContain(raw[..^1], c => char.IsControl(c) || c is '\u2028' or '\u2029');
        }

        JsonElement record = SingleJson(jsonOutput);
        Assert.Equal("User said " + Hostile, record.GetProperty("message").GetString());
        Assert.Equal(Hostile, record.GetProperty("attributes").GetProperty("Input").GetString());
        Assert.Equal("Cat\negory", record.GetProperty("category").GetString());
        Assert.Equal(
            "2026-12-03T18:40:00.123Z INF Cat\\negory: \"User said line1\\nline2\\r\\u001b[31mred\\u0000\\u0085\\u2028\\\"quoted\\\" <b>&amp;\"",
            Assert.Single(Lines(textOutput)));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("fr-FR")]
    public void Log_UnderAnyCulture_NumbersAndTimestampsAreInvariant(string culture)
    {
        using var scope = new CultureScope(culture);
        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("C").Log(LogLevel.Information, new EventId(1234567), "Price {Price} of {Count}", 1234.5m, 1_000_000);
            textFactory.CreateLogger("C").Log(LogLevel.Information, new EventId(1234567), "Price {Price} of {Count}", 1234.5m, 1_000_000);
        }

        string raw = jsonOutput.ToString();
        Assert.Contains("\"timestamp\":\"2026-12-03T18:40:00.123Z\"", raw);
        Assert.Contains("\"event_id\":1234567", raw);
        Assert.Contains("\"Price\":1234.5", raw);
        Assert.Contains("\"Count\":1000000", raw);
        Assert.Equal("Price 1234.5 of 1000000", SingleJson(jsonOutput).GetProperty("message").GetString());
        Assert.Equal("2026-12-03T18:40:00.123Z INF C[1234567]: \"Price 1234.5 of 1000000\"", Assert.Single(Lines(textOutput)));
    }

    [Fact]
    public void Log_StateWhoseToStringThrows_DoesNotThrowIntoTheCaller()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            ILogger logger = factory.CreateLogger("C");
            logger.LogInformation("{Bad}", new ThrowingToString());
            logger.Log(LogLevel.Information, default, "state", null, (_, _) => throw new InvalidOperationException("formatter broke"));
        }

        // Both records are written: the value that cannot be shown is named, the formatter's failure is the message.
        string[] lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Contains("ThrowingToString", lines[0]);
        Assert.Contains("formatter broke", lines[1]);
    }

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("no");
    }

    [Fact]
    public void Log_OutsideTheContextButOnTheRequestSpan_CarriesTheSpansCorrelationId()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            using Activity request = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn").SetIdFormat(ActivityIdFormat.W3C).Start();
            request.SetTag("correlation.id", "req-9");
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request finished");
        }

        Assert.Equal("req-9", SingleJson(output).GetProperty("correlation_id").GetString());
    }

    [Fact]
    public void Log_HostActivityTrackingScope_DoesNotRepeatTheIdsInAttributes()
    {
        var output = new StringWriter();
        var provider = new MusubiConsoleLoggerProvider(new ConsoleLoggingOptions(), Service(), Clock(), output);
        using (ILoggerFactory factory = LoggerFactory.Create(b => b
            .Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId)
            .AddProvider(provider)))
        {
            using Activity activity = new Activity("work").SetIdFormat(ActivityIdFormat.W3C).Start();
            factory.CreateLogger("C").LogInformation("Order {OrderId}", 1);
        }

        JsonElement record = SingleJson(output);
        JsonElement attributes = record.GetProperty("attributes");
        Assert.False(attributes.TryGetProperty("TraceId", out _));
        Assert.False(attributes.TryGetProperty("SpanId", out _));
        Assert.Equal(1, attributes.GetProperty("OrderId").GetInt32());
        Assert.True(record.TryGetProperty("trace_id", out _));
    }

    [Fact]
    public void Log_PlusQuoteAndAngleBrackets_StaySearchableButQuotesAreEscaped()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("Press Ctrl+C <now> 'quoted' \"double\"");
        }

        string line = Assert.Single(Lines(output));
        Assert.Contains("Press Ctrl+C <now> 'quoted' \\\"double\\\"", line, StringComparison.Ordinal);
    }
}
