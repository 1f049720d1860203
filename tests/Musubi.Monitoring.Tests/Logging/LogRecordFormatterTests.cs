using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Logging;
using static Musubi.Monitoring.Tests.Logging.LoggingTestSupport;

namespace Musubi.Monitoring.Tests.Logging;

/// <summary>Records with hostile parts: each is still written, whole and on one line, with only the failing field degraded.</summary>
public sealed class LogRecordFormatterTests
{
    private const string TextPrefix = "2026-12-03T18:40:00.123Z INF C: ";

    [Theory]
    [InlineData(HostileMember.Message)]
    [InlineData(HostileMember.StackTrace)]
    [InlineData(HostileMember.ToString)]
    [InlineData(HostileMember.All)]
    public void Log_ExceptionWhoseMemberThrows_WritesTheRecordInBothFormats(HostileMember member)
    {
        var exception = new HostileException(member);
        (ILoggerFactory jsonFactory, StringWriter jsonOutput) = Console(LogFormat.Json);
        (ILoggerFactory textFactory, StringWriter textOutput) = Console(LogFormat.Text);
        using (jsonFactory)
        using (textFactory)
        {
            jsonFactory.CreateLogger("C").LogError(exception, "failed {Order}", 42);
            textFactory.CreateLogger("C").LogError(exception, "failed {Order}", 42);
        }

        JsonElement record = SingleJson(jsonOutput);
        Assert.Equal("failed 42", record.GetProperty("message").GetString());
        Assert.Equal(42, record.GetProperty("attributes").GetProperty("Order").GetInt32());
        Assert.Equal(typeof(HostileException).FullName, record.GetProperty("exception.type").GetString());
        string message = record.GetProperty("exception.message").GetString()!;
        string stackTrace = record.GetProperty("exception.stacktrace").GetString()!;
        if (member is HostileMember.Message or HostileMember.All)
        {
            Assert.Equal("<Message threw InvalidOperationException>", message);
        }
        else
        {
            Assert.Equal("hostile", message);
        }

        if (member is HostileMember.ToString or HostileMember.All)
        {
            Assert.Contains("<ToString threw InvalidOperationException>", stackTrace);
        }

        string line = Assert.Single(Lines(textOutput));
        Assert.StartsWith("2026-12-03T18:40:00.123Z ERR C: \"failed 42\" exception=\"" + typeof(HostileException).FullName + ": ", line);
        Assert.EndsWith(member is HostileMember.Message or HostileMember.All ? ": <Message threw InvalidOperationException>\"" : ": hostile\"", line);
    }

    [Fact]
    public async Task Log_ExceptionWhoseMessageThrows_IsWrittenToTheFileNotDropped()
    {
        using var directory = new TempDirectory();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = directory.Combine("app.log"), RollInterval = LogRollInterval.None });
        provider.CreateLogger("C").LogError(new HostileException(HostileMember.All), "failed");
        await provider.DisposeAsync();

        Assert.Equal(0, provider.DroppedRecords);
        using JsonDocument document = JsonDocument.Parse(Assert.Single(ReadLines(directory.Combine("app.log"))));
        Assert.Equal("<Message threw InvalidOperationException>", document.RootElement.GetProperty("exception.message").GetString());
    }

    [Fact]
    public void Log_FormatterThrowsExceptionWhoseMessageThrows_WritesTheRecord()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").Log(LogLevel.Information, default, "state", null, (_, _) => throw new HostileException(HostileMember.Message));
        }

        Assert.Contains("<Message threw InvalidOperationException>", SingleJson(output).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Log_KeyValueScopeWhoseEnumerationThrows_WritesTheRecordAsValidJson(int goodPairs)
    {
        using var events = new MonitoringEventListener();
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            ILogger logger = factory.CreateLogger("C");
            using (logger.BeginScope(new Dictionary<string, object?> { ["Outer"] = "o" }))
            using (logger.BeginScope(new ThrowingPairs(goodPairs, "Scope")))
            {
                logger.LogInformation("Order {OrderId}", 7);
            }
        }

        JsonElement record = SingleJson(output);
        Assert.Equal("Order 7", record.GetProperty("message").GetString());
        JsonElement attributes = record.GetProperty("attributes");
        Assert.Equal(7, attributes.GetProperty("OrderId").GetInt32());
        Assert.Equal("o", attributes.GetProperty("Outer").GetString());

        // What the scope gave before it threw is kept; nothing after.
        Assert.Equal(2 + goodPairs, attributes.EnumerateObject().Count());
        Assert.NotEmpty(events.Named("LogRecordFieldFailed", "ThrowingPairs"));
    }

    [Theory]
    [InlineData(LogFormat.Json)]
    [InlineData(LogFormat.Text)]
    public void Log_OriginalFormatWhoseToStringThrows_WritesTheRecord(LogFormat format)
    {
        var state = new List<KeyValuePair<string, object?>> { new("Id", 5), new("{OriginalFormat}", new ThrowingToString()) };
        (ILoggerFactory factory, StringWriter output) = Console(format);
        using (factory)
        {
            factory.CreateLogger("C").Log(LogLevel.Information, default, state, null, (_, _) => "rendered");
        }

        if (format == LogFormat.Json)
        {
            JsonElement record = SingleJson(output);
            Assert.Equal("rendered", record.GetProperty("message").GetString());
            Assert.Contains("ToString() threw InvalidOperationException", record.GetProperty("message_template").GetString());
            Assert.Equal(5, record.GetProperty("attributes").GetProperty("Id").GetInt32());
        }
        else
        {
            Assert.Equal(TextPrefix + "\"rendered\"", Assert.Single(Lines(output)));
        }
    }

    [Fact]
    public void Log_StateWhoseEnumerationThrows_WritesThePairsBeforeIt()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").Log(LogLevel.Information, default, new ThrowingPairs(1, "State"), null, (_, _) => "rendered");
        }

        JsonElement record = SingleJson(output);
        Assert.Equal("rendered", record.GetProperty("message").GetString());
        Assert.Equal(0, record.GetProperty("attributes").GetProperty("State0").GetInt32());
    }

    [Fact]
    public void Log_SequenceValueWhoseEnumerationThrows_WritesTheValueDegraded()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("{Items} {After}", new ThrowingSequence(), "kept");
        }

        JsonElement attributes = SingleJson(output).GetProperty("attributes");
        Assert.Contains("threw InvalidOperationException", attributes.GetProperty("Items").GetString());
        Assert.Equal("kept", attributes.GetProperty("After").GetString());
    }

    [Fact]
    public void Log_SurrogatePairAcrossStringBuilderChunks_IsWrittenIntact()
    {
        // On a thread's first record the text builder starts at 256 characters and grows by chunks; a pair that
        // straddled two chunks was encoded half by half, as two U+FFFD.
        (ILoggerFactory factory, StringWriter output) = Console(LogFormat.Text);
        using (factory)
        {
            ILogger logger = factory.CreateLogger("C");
            for (int length = 200; length <= 260; length++)
            {
                string message = new string('a', length) + "\U0001F600";
                // The message as the template, as the tester logged it (no placeholders in it).
#pragma warning disable CA2254
                var thread = new Thread(() => logger.LogInformation(message));
#pragma warning restore CA2254
                thread.Start();
                thread.Join();
            }
        }

        string[] lines = Lines(output);
        Assert.Equal(61, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal(TextPrefix + "\"" + new string('a', 200 + i) + "\U0001F600\"", lines[i]);
        }
    }

    [Fact]
    public void Log_RepeatedPlaceholder_WritesEachAttributeKeyOnceFirstWins()
    {
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("{A} {A} {B}", 1, 2, 3);
        }

        string line = Assert.Single(Lines(output));
        Assert.Contains("\"attributes\":{\"A\":1,\"B\":3}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_StateWithDuplicateKeysAndNoScopes_WritesEachAttributeKeyOnce()
    {
        var state = new List<KeyValuePair<string, object?>> { new("K", "first"), new("K", "second") };
        (ILoggerFactory factory, StringWriter output) = Console();
        using (factory)
        {
            factory.CreateLogger("C").Log(LogLevel.Information, default, state, null, (_, _) => "m");
        }

        Assert.Contains("\"attributes\":{\"K\":\"first\"}", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x\r\n correlation_id=evil")]
    [InlineData("x\\r\\n correlation_id=evil")]
    [InlineData("x\" correlation_id=evil")]
    [InlineData("x\\\" correlation_id=evil")]
    [InlineData("ends in a backslash\\")]
    public void Log_TextMessageForgingAField_IsQuotedSoItReadsBackExactly(string hostile)
    {
        (ILoggerFactory factory, StringWriter output) = Console(LogFormat.Text);
        using (factory)
        {
            factory.CreateLogger("C").LogInformation("{Input}", hostile);
        }

        string line = Assert.Single(Lines(output));
        Assert.StartsWith(TextPrefix + "\"", line);

        // The message is a JSON string and the line ends with it: no forged field can follow its closing quote.
        Assert.Equal(hostile, JsonSerializer.Deserialize<string>(line[TextPrefix.Length..]));
    }

    [Fact]
    public void Log_TextEscapedAndLiteralEscapeSequences_AreDistinguishable()
    {
        (ILoggerFactory factory, StringWriter output) = Console(LogFormat.Text);
        using (factory)
        {
            ILogger logger = factory.CreateLogger("C");
            logger.LogInformation("{Input}", "x\r\n correlation_id=evil");
            logger.LogInformation("{Input}", "x\\r\\n correlation_id=evil");
        }

        string[] lines = Lines(output);
        Assert.Equal(TextPrefix + "\"x\\r\\n correlation_id=evil\"", lines[0]);
        Assert.Equal(TextPrefix + "\"x\\\\r\\\\n correlation_id=evil\"", lines[1]);
    }

    public enum HostileMember
    {
        Message,
        StackTrace,
        ToString,
        All,
    }

    private sealed class HostileException(HostileMember member) : Exception("hostile")
    {
        public override string Message => member is HostileMember.Message or HostileMember.All ? throw new InvalidOperationException("message") : base.Message;

        public override string? StackTrace => member is HostileMember.StackTrace or HostileMember.All ? throw new InvalidOperationException("stack") : base.StackTrace;

        public override string ToString() => member is HostileMember.ToString or HostileMember.All ? throw new InvalidOperationException("to string") : base.ToString();
    }

    /// <summary>Gives <c>good</c> pairs named <c>{prefix}0</c>, <c>{prefix}1</c>, … then throws.</summary>
    private sealed class ThrowingPairs(int good, string prefix) : IEnumerable<KeyValuePair<string, object?>>
    {
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < good; i++)
            {
                yield return new KeyValuePair<string, object?>(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i);
            }

            throw new InvalidOperationException("enumeration broke");
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "ThrowingPairs";
    }

    private sealed class ThrowingSequence : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator()
        {
            yield return 1;
            throw new InvalidOperationException("sequence broke");
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("no");
    }
}
