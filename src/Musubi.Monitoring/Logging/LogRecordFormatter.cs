using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// Turns one <see cref="ILogger.Log{TState}"/> call into one UTF-8 line ending in <c>\n</c>, in JSON or text, with the
/// enrichment both providers share: timestamp, level, category, event, message and template, structured properties,
/// scopes, exception, trace and correlation ids, and the service fields.
/// </summary>
/// <remarks>
/// Runs on the logging thread, so <see cref="Activity.Current"/>, <see cref="CorrelationContext.Current"/> and the
/// scopes are the caller's. Everything is culture-invariant, and untrusted text is escaped: in JSON by
/// <see cref="Utf8JsonWriter"/> with an encoder that escapes control and HTML-sensitive characters, in text by
/// <see cref="AppendEscaped"/>. Thread-safe: the state is immutable and the buffers are per call.
/// </remarks>
internal sealed class LogRecordFormatter
{
    internal const string OriginalFormatKey = "{OriginalFormat}";

    /// <summary>The most items of a sequence property written as a JSON array; the rest are left out.</summary>
    private const int MaxSequenceItems = 256;

    /// <summary>
    /// The JSON of log lines and span lines: non-ASCII letters and <c>' + &lt; &gt; &amp;</c> stay as they are, so a
    /// line can be searched for what was logged; control characters, quotes, backslashes, U+2028/U+2029 and lone
    /// surrogates are escaped, so a value can never break a line or a string. (Log files are not HTML.)
    /// </summary>
    internal static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText s_timestamp = Encode("timestamp");
    private static readonly JsonEncodedText s_level = Encode("level");
    private static readonly JsonEncodedText s_category = Encode("category");
    private static readonly JsonEncodedText s_eventId = Encode("event_id");
    private static readonly JsonEncodedText s_eventName = Encode("event_name");
    private static readonly JsonEncodedText s_message = Encode("message");
    private static readonly JsonEncodedText s_messageTemplate = Encode("message_template");
    private static readonly JsonEncodedText s_traceId = Encode("trace_id");
    private static readonly JsonEncodedText s_spanId = Encode("span_id");
    private static readonly JsonEncodedText s_correlationId = Encode("correlation_id");
    private static readonly JsonEncodedText s_serviceName = Encode("service.name");
    private static readonly JsonEncodedText s_serviceVersion = Encode("service.version");
    private static readonly JsonEncodedText s_environment = Encode("deployment.environment");
    private static readonly JsonEncodedText s_exceptionType = Encode("exception.type");
    private static readonly JsonEncodedText s_exceptionMessage = Encode("exception.message");
    private static readonly JsonEncodedText s_exceptionStacktrace = Encode("exception.stacktrace");
    private static readonly JsonEncodedText s_attributes = Encode("attributes");
    private static readonly JsonEncodedText s_scopes = Encode("scopes");

    private static readonly JsonEncodedText[] s_levels =
        [Encode("trace"), Encode("debug"), Encode("information"), Encode("warning"), Encode("error"), Encode("critical"), Encode("none")];

    private static readonly string[] s_textLevels = ["TRC", "DBG", "INF", "WRN", "ERR", "CRT", "NON"];

    /// <summary>What text lines escape: C0 and C1 controls, DEL, and the Unicode line and paragraph separators.</summary>
    private static readonly SearchValues<char> s_textEscapes = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\u2028\u2029");

    private static readonly SearchValues<char> s_quotedTextEscapes = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\u2028\u2029\"\\");

    private static readonly Action<object?, RecordScratch> s_collectScope = static (scope, scratch) => scratch.Scopes.Add(scope);

    private readonly LogFormat _format;
    private readonly TimeProvider _timeProvider;
    private readonly JsonEncodedText _serviceName;
    private readonly JsonEncodedText? _serviceVersion;
    private readonly JsonEncodedText? _environment;

    public LogRecordFormatter(LogFormat format, MusubiMonitoringOptions service, TimeProvider timeProvider)
    {
        _format = format;
        _timeProvider = timeProvider;
        _serviceName = Encode(service.ServiceName ?? "unknown_service");
        _serviceVersion = service.ServiceVersion is { } version ? Encode(version) : null;
        _environment = service.Environment is { } environment ? Encode(environment) : null;
    }

    public static JsonEncodedText Encode(string value) => JsonEncodedText.Encode(value, JsonOptions.Encoder);

    /// <summary>Formats one record into <paramref name="scratch"/>'s buffer (ending in <c>\n</c>) and returns its timestamp.</summary>
    public DateTimeOffset Format<TState>(
        RecordScratch scratch,
        string category,
        JsonEncodedText encodedCategory,
        LogLevel level,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string>? formatter,
        IExternalScopeProvider? scopeProvider)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        string message = FormatMessage(state, exception, formatter);
        scopeProvider?.ForEachScope(s_collectScope, scratch);
        if (_format == LogFormat.Json)
        {
            WriteJson(scratch, now, encodedCategory, level, eventId, state, message, exception);
        }
        else
        {
            WriteText(scratch, now, category, level, eventId, message, exception);
        }

        return now;
    }

    /// <summary>The caller's message; when its formatter throws, the record is still written, saying so.</summary>
    private static string FormatMessage<TState>(TState state, Exception? exception, Func<TState, Exception?, string>? formatter)
    {
        try
        {
            return (formatter is null ? state?.ToString() : formatter(state, exception)) ?? string.Empty;
        }
#pragma warning disable CA1031 // A broken formatter or ToString must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"<message formatting threw {e.GetType().Name}: {e.Message}>";
        }
    }

    private void WriteJson<TState>(
        RecordScratch scratch, DateTimeOffset now, JsonEncodedText category, LogLevel level, EventId eventId, TState state, string message, Exception? exception)
    {
        Utf8JsonWriter w = scratch.Json;
        w.Reset();
        w.WriteStartObject();
        Span<char> chars = stackalloc char[32];
        WriteTimestamp(chars, now);
        w.WriteString(s_timestamp, chars[..TimestampLength]);
        w.WriteString(s_level, s_levels[LevelIndex(level)]);
        w.WriteString(s_category, category);
        if (eventId.Id != 0)
        {
            w.WriteNumber(s_eventId, eventId.Id);
        }

        if (!string.IsNullOrEmpty(eventId.Name))
        {
            w.WriteString(s_eventName, eventId.Name);
        }

        w.WriteString(s_message, message);

        IReadOnlyList<KeyValuePair<string, object?>>? list = state as IReadOnlyList<KeyValuePair<string, object?>>;
        IEnumerable<KeyValuePair<string, object?>>? properties = list ?? state as IEnumerable<KeyValuePair<string, object?>>;
        if (properties is not null && FindTemplate(list, properties) is { } template)
        {
            w.WriteString(s_messageTemplate, template);
        }

        WriteTraceContext(w);
        w.WriteString(s_serviceName, _serviceName);
        if (_serviceVersion is { } version)
        {
            w.WriteString(s_serviceVersion, version);
        }

        if (_environment is { } environment)
        {
            w.WriteString(s_environment, environment);
        }

        if (exception is not null)
        {
            w.WriteString(s_exceptionType, exception.GetType().FullName);
            w.WriteString(s_exceptionMessage, exception.Message);
            w.WriteString(s_exceptionStacktrace, exception.ToString());
        }

        WriteAttributes(w, scratch, list, properties);
        WriteOtherScopes(w, scratch.Scopes);
        w.WriteEndObject();
        w.Flush();
        scratch.Buffer.Write("\n"u8);
    }

    private static string? FindTemplate(IReadOnlyList<KeyValuePair<string, object?>>? list, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        // MEL's FormattedLogValues and LoggerMessage put the template last; look there first.
        if (list is { Count: > 0 } && list[^1] is { Key: OriginalFormatKey, Value: var last })
        {
            return last?.ToString();
        }

        if (list is not null)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i].Key == OriginalFormatKey)
                {
                    return list[i].Value?.ToString();
                }
            }

            return null;
        }

        foreach (KeyValuePair<string, object?> property in properties)
        {
            if (property.Key == OriginalFormatKey)
            {
                return property.Value?.ToString();
            }
        }

        return null;
    }

    /// <summary>
    /// The correlation id of the current flow; outside a <see cref="CorrelationContext"/>, the one the correlation
    /// middleware put on the request's span (so ASP.NET Core's own "Request finished" line has it too).
    /// </summary>
    private static string? CurrentCorrelationId() =>
        CorrelationContext.Current?.CorrelationId
        ?? (Activity.Current?.GetTagItem(HttpAttributes.CorrelationId) is string tagged && CorrelationIds.IsValid(tagged) ? tagged : null);

    private static void WriteTraceContext(Utf8JsonWriter w)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            // The ids keep their hex string, so this allocates nothing.
            w.WriteString(s_traceId, activity.TraceId.ToHexString());
            w.WriteString(s_spanId, activity.SpanId.ToHexString());
        }
        else if (CorrelationContext.Current is { } remote && remote.RemoteParent.TraceId != default)
        {
            w.WriteString(s_traceId, remote.RemoteParent.TraceId.ToHexString());
        }

        if (CurrentCorrelationId() is { } correlationId)
        {
            w.WriteString(s_correlationId, correlationId);
        }
    }

    private static void WriteAttributes(
        Utf8JsonWriter w, RecordScratch scratch, IReadOnlyList<KeyValuePair<string, object?>>? list, IEnumerable<KeyValuePair<string, object?>>? properties)
    {
        bool open = false;
        bool dedupe = scratch.Scopes.Count > 0;
        if (list is not null)
        {
            for (int i = 0; i < list.Count; i++)
            {
                WriteAttribute(w, scratch, list[i], dedupe, ref open);
            }
        }
        else if (properties is not null)
        {
            foreach (KeyValuePair<string, object?> property in properties)
            {
                WriteAttribute(w, scratch, property, dedupe, ref open);
            }
        }

        // Key/value scopes, innermost first, so an inner scope's value wins over an outer one's of the same name
        // (and the record's own properties win over both).
        List<object?> scopes = scratch.Scopes;
        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            // The logger factory's activity-tracking scope repeats trace_id and span_id; leave it out.
            if (scopes[i] is IEnumerable<KeyValuePair<string, object?>> scopeProperties && !IsActivityTrackingScope(scopes[i]))
            {
                foreach (KeyValuePair<string, object?> property in scopeProperties)
                {
                    WriteAttribute(w, scratch, property, dedupe: true, ref open);
                }
            }
        }

        if (open)
        {
            w.WriteEndObject();
        }
    }

    private static void WriteAttribute(Utf8JsonWriter w, RecordScratch scratch, KeyValuePair<string, object?> property, bool dedupe, ref bool open)
    {
        if (property.Key is null or OriginalFormatKey || (dedupe && !scratch.Keys.Add(property.Key)))
        {
            return;
        }

        if (!open)
        {
            w.WriteStartObject(s_attributes);
            open = true;
        }

        w.WritePropertyName(property.Key);
        WriteValue(w, property.Value, nested: false);
    }

    private static bool IsActivityTrackingScope(object? scope) =>
        scope?.GetType().FullName == "Microsoft.Extensions.Logging.LoggerFactoryScopeProvider+ActivityLogScope";

    private static void WriteOtherScopes(Utf8JsonWriter w, List<object?> scopes)
    {
        bool open = false;
        foreach (object? scope in scopes)
        {
            if (scope is null or IEnumerable<KeyValuePair<string, object?>>)
            {
                continue;
            }

            if (!open)
            {
                w.WriteStartArray(s_scopes);
                open = true;
            }

            w.WriteStringValue(ToInvariantString(scope));
        }

        if (open)
        {
            w.WriteEndArray();
        }
    }

    /// <summary>Writes a property value typed: numbers as JSON numbers, booleans, strings; anything else as invariant text.</summary>
    private static void WriteValue(Utf8JsonWriter w, object? value, bool nested)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case short s16: w.WriteNumberValue(s16); break;
            case byte u8: w.WriteNumberValue(u8); break;
            case sbyte s8: w.WriteNumberValue(s8); break;
            case ushort u16: w.WriteNumberValue(u16); break;
            case uint u32: w.WriteNumberValue(u32); break;
            case ulong u64: w.WriteNumberValue(u64); break;
            case DateTime dateTime: w.WriteStringValue(dateTime); break;
            case DateTimeOffset dateTimeOffset: w.WriteStringValue(dateTimeOffset); break;
            case Guid guid: w.WriteStringValue(guid); break;
            case IEnumerable sequence when !nested && value is not IFormattable:
                w.WriteStartArray();
                int count = 0;
                foreach (object? item in sequence)
                {
                    if (++count > MaxSequenceItems)
                    {
                        break;
                    }

                    WriteValue(w, item, nested: true);
                }

                w.WriteEndArray();
                break;
            default: w.WriteStringValue(ToInvariantString(value)); break;
        }
    }

    private static string ToInvariantString(object value)
    {
        try
        {
            return (value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString()) ?? string.Empty;
        }
#pragma warning disable CA1031 // A broken ToString must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"<{value.GetType().FullName}.ToString() threw {e.GetType().Name}>";
        }
    }

    private static void WriteText(
        RecordScratch scratch, DateTimeOffset now, string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        StringBuilder text = scratch.Text.Clear();
        Span<char> chars = stackalloc char[32];
        WriteTimestamp(chars, now);
        text.Append(chars[..TimestampLength]).Append(' ').Append(s_textLevels[LevelIndex(level)]).Append(' ');
        AppendEscaped(text, category, quoted: false);
        if (eventId.Id != 0)
        {
            text.Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        text.Append(": ");
        AppendEscaped(text, message, quoted: false);

        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            text.Append(" trace_id=").Append(activity.TraceId.ToHexString());
            text.Append(" span_id=").Append(activity.SpanId.ToHexString());
        }
        else if (CorrelationContext.Current is { } remote && remote.RemoteParent.TraceId != default)
        {
            text.Append(" trace_id=").Append(remote.RemoteParent.TraceId.ToHexString());
        }

        if (CurrentCorrelationId() is { } correlationId)
        {
            // Correlation ids are validated (CorrelationIds.IsValid) before they get here.
            text.Append(" correlation_id=").Append(correlationId);
        }

        if (exception is not null)
        {
            text.Append(" exception=\"");
            AppendEscaped(text, exception.GetType().FullName ?? exception.GetType().Name, quoted: true);
            text.Append(": ");
            AppendEscaped(text, exception.Message, quoted: true);
            text.Append('"');
        }

        text.Append('\n');
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            int max = Encoding.UTF8.GetMaxByteCount(chunk.Length);
            int written = Encoding.UTF8.GetBytes(chunk.Span, scratch.Buffer.GetSpan(max));
            scratch.Buffer.Advance(written);
        }
    }

    /// <summary>
    /// Appends <paramref name="value"/> with control characters escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, otherwise
    /// <c>\uXXXX</c>), so a text record is always one line and no terminal escape sequence passes through; inside
    /// quotes, <c>"</c> and <c>\</c> are escaped too.
    /// </summary>
    internal static void AppendEscaped(StringBuilder text, string value, bool quoted)
    {
        SearchValues<char> escapes = quoted ? s_quotedTextEscapes : s_textEscapes;
        ReadOnlySpan<char> rest = value;
        int index;
        while ((index = rest.IndexOfAny(escapes)) >= 0)
        {
            text.Append(rest[..index]);
            char c = rest[index];
            switch (c)
            {
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                default: text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }

            rest = rest[(index + 1)..];
        }

        text.Append(rest);
    }

    private const int TimestampLength = 24;

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC digit by digit: no culture, calendar or format string involved.</summary>
    internal static void WriteTimestamp(Span<char> destination, DateTimeOffset timestamp)
    {
        DateTime utc = timestamp.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = 'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), utc.Second);
        destination[19] = '.';
        Digits(destination.Slice(20, 3), utc.Millisecond);
        destination[23] = 'Z';

        static void Digits(Span<char> destination, int value)
        {
            for (int i = destination.Length - 1; i >= 0; i--)
            {
                destination[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    private static int LevelIndex(LogLevel level) => level is >= LogLevel.Trace and <= LogLevel.None ? (int)level : (int)LogLevel.None;
}
