using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// Turns one <see cref="ILogger.Log{TState}"/> call into one UTF-8 line ending in <c>\n</c>, in JSON or text, with the
/// enrichment both providers share: timestamp, level, category, event, message and template, structured properties,
/// scopes, exception, trace and correlation ids, and the service fields.
/// </summary>
/// <remarks>
/// <para>
/// Runs on the logging thread, so <see cref="Activity.Current"/>, <see cref="CorrelationContext.Current"/> and the
/// scopes are the caller's. Everything is culture-invariant, and untrusted text is escaped: in JSON by
/// <see cref="Utf8JsonWriter"/> with an encoder that escapes control and HTML-sensitive characters, in text by
/// <see cref="AppendEscaped"/> inside a quoted message, so a value can neither break the line nor pass for a field.
/// </para>
/// <para>
/// A part of the record that throws while it is read (an exception's <c>Message</c>, <c>StackTrace</c> or
/// <c>ToString</c>, a scope or state that throws while enumerating, a value's <c>ToString</c>) degrades only that part,
/// to a <c>&lt;… threw …&gt;</c> text or to what it gave before it threw, and is reported through the event source;
/// the record is still written. Pairs and sequence items are copied before the JSON is written, so the writer is
/// never left in the middle of an object or array.
/// </para>
/// <para>Thread-safe: the state is immutable and the buffers are per call.</para>
/// </remarks>
internal sealed class LogRecordFormatter
{
    internal const string OriginalFormatKey = "{OriginalFormat}";

    /// <summary>The most items of a sequence property written as a JSON array; the rest are left out.</summary>
    private const int MaxSequenceItems = 256;

    /// <summary>
    /// Up to this many properties, a repeated key is found by comparing with the earlier ones (no hashing, nothing to
    /// clear); beyond it, with <see cref="RecordScratch.Keys"/>.
    /// </summary>
    private const int LinearDedupeLimit = 16;

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
            WriteJson(scratch, now, category, encodedCategory, level, eventId, state, message, exception);
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
            return $"<message formatting threw {e.GetType().Name}: {MessageOf(e)}>";
        }
    }

    /// <summary>An exception's message, or <c>&lt;Message threw X&gt;</c> when its getter throws.</summary>
    private static string MessageOf(Exception exception) => MessageOf(exception, out _);

    private static string MessageOf(Exception exception, out Exception? failure)
    {
        failure = null;
        try
        {
            return exception.Message ?? string.Empty;
        }
#pragma warning disable CA1031 // A broken exception must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
            return $"<Message threw {e.GetType().Name}>";
        }
    }

    /// <summary>The logged exception's message (see <see cref="MessageOf(Exception)"/>), reporting a failure.</summary>
    private static string ExceptionMessage(Exception exception, string category)
    {
        string message = MessageOf(exception, out Exception? failure);
        if (failure is not null)
        {
            ReportField(category, "exception.message", failure);
        }

        return message;
    }

    /// <summary>
    /// An exception's <see cref="Exception.ToString"/>; when that throws, its type, message and stack trace as far as
    /// they can be read, saying what threw.
    /// </summary>
    private static string ExceptionText(Exception exception, string category, string message)
    {
        try
        {
            return exception.ToString();
        }
#pragma warning disable CA1031 // A broken exception must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ReportField(category, "exception.stacktrace", e);
            string? stackTrace;
            try
            {
                stackTrace = exception.StackTrace;
            }
#pragma warning disable CA1031 // As above.
            catch (Exception s)
#pragma warning restore CA1031
            {
                stackTrace = $"<StackTrace threw {s.GetType().Name}>";
            }

            string text = $"{exception.GetType().FullName}: {message} <ToString threw {e.GetType().Name}>";
            return string.IsNullOrEmpty(stackTrace) ? text : text + "\n" + stackTrace;
        }
    }

    /// <summary>Reports a part of a record that threw (the failure's own message read guarded, as it could throw too).</summary>
    private static void ReportField(string category, string field, Exception e) =>
        MusubiMonitoringEventSource.Log.LogRecordFieldFailed(category, field, $"{e.GetType().FullName}: {MessageOf(e)}");

    private void WriteJson<TState>(
        RecordScratch scratch,
        DateTimeOffset now,
        string category,
        JsonEncodedText encodedCategory,
        LogLevel level,
        EventId eventId,
        TState state,
        string message,
        Exception? exception)
    {
        Utf8JsonWriter w = scratch.Json;
        w.Reset();
        w.WriteStartObject();
        Span<char> chars = stackalloc char[32];
        WriteTimestamp(chars, now);
        w.WriteString(s_timestamp, chars[..TimestampLength]);
        w.WriteString(s_level, s_levels[LevelIndex(level)]);
        w.WriteString(s_category, encodedCategory);
        if (eventId.Id != 0)
        {
            w.WriteNumber(s_eventId, eventId.Id);
        }

        if (!string.IsNullOrEmpty(eventId.Name))
        {
            w.WriteString(s_eventName, eventId.Name);
        }

        w.WriteString(s_message, message);

        // The state's pairs are copied before anything of them is written (see RecordScratch.Properties).
        List<KeyValuePair<string, object?>> properties = scratch.Properties;
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            Collect(pairs, properties, category, "state");
        }

        if (FindTemplate(properties) is { } template)
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
            string exceptionMessage = ExceptionMessage(exception, category);
            w.WriteString(s_exceptionType, exception.GetType().FullName);
            w.WriteString(s_exceptionMessage, exceptionMessage);
            w.WriteString(s_exceptionStacktrace, ExceptionText(exception, category, exceptionMessage));
        }

        WriteAttributes(w, scratch, category);
        WriteOtherScopes(w, scratch.Scopes);
        w.WriteEndObject();
        w.Flush();
        scratch.Buffer.Write("\n"u8);
    }

    /// <summary>The record's <c>{OriginalFormat}</c>, as invariant text (a value whose <c>ToString</c> throws says so).</summary>
    private static string? FindTemplate(List<KeyValuePair<string, object?>> properties)
    {
        // MEL's FormattedLogValues and LoggerMessage put the template last; look there first.
        ReadOnlySpan<KeyValuePair<string, object?>> span = CollectionsMarshal.AsSpan(properties);
        for (int i = span.Length - 1; i >= 0; i--)
        {
            if (span[i].Key == OriginalFormatKey)
            {
                return span[i].Value is { } value ? ToInvariantString(value) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Copies the pairs of a state or scope into <paramref name="into"/>. One that throws while enumerating keeps
    /// the pairs it gave before, and is reported.
    /// </summary>
    private static void Collect(
        IEnumerable<KeyValuePair<string, object?>> source, List<KeyValuePair<string, object?>> into, string category, string owner)
    {
        try
        {
            if (source is IReadOnlyList<KeyValuePair<string, object?>> list)
            {
                int count = list.Count;
                for (int i = 0; i < count; i++)
                {
                    into.Add(list[i]);
                }
            }
            else
            {
                foreach (KeyValuePair<string, object?> pair in source)
                {
                    into.Add(pair);
                }
            }
        }
#pragma warning disable CA1031 // A broken scope or state must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ReportField(category, $"{owner} {source.GetType().FullName}", e);
        }
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

    private static void WriteAttributes(Utf8JsonWriter w, RecordScratch scratch, string category)
    {
        // Key/value scopes, innermost first, after the record's own properties: the first of a name wins, so the
        // record's properties win over an inner scope's, and an inner scope's over an outer one's.
        List<KeyValuePair<string, object?>> properties = scratch.Properties;
        List<object?> scopes = scratch.Scopes;
        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            // The logger factory's activity-tracking scope repeats trace_id and span_id; leave it out.
            if (scopes[i] is IEnumerable<KeyValuePair<string, object?>> scopeProperties && !IsActivityTrackingScope(scopes[i]))
            {
                Collect(scopeProperties, properties, category, "scope");
            }
        }

        bool open = false;
        ReadOnlySpan<KeyValuePair<string, object?>> span = CollectionsMarshal.AsSpan(properties);
        for (int i = 0; i < span.Length; i++)
        {
            string key = span[i].Key;
            if (key is null or OriginalFormatKey || IsRepeat(span, i, scratch.Keys))
            {
                continue;
            }

            if (!open)
            {
                w.WriteStartObject(s_attributes);
                open = true;
            }

            w.WritePropertyName(key);
            WriteValue(w, scratch, span[i].Value, nested: false, category, key);
        }

        if (open)
        {
            w.WriteEndObject();
        }
    }

    /// <summary>Whether the key at <paramref name="index"/> was seen before it (JSON keys must be unique; the first wins).</summary>
    private static bool IsRepeat(ReadOnlySpan<KeyValuePair<string, object?>> properties, int index, HashSet<string> keys)
    {
        string key = properties[index].Key;
        if (properties.Length <= LinearDedupeLimit)
        {
            for (int j = 0; j < index; j++)
            {
                if (string.Equals(properties[j].Key, key, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        return !keys.Add(key);
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
    private static void WriteValue(Utf8JsonWriter w, RecordScratch scratch, object? value, bool nested, string category, string key)
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
                WriteSequence(w, scratch, sequence, category, key);
                break;
            default: w.WriteStringValue(ToInvariantString(value)); break;
        }
    }

    /// <summary>
    /// Writes a sequence as an array of its first <see cref="MaxSequenceItems"/> items, copied first: one that throws
    /// while enumerating is written as a <c>&lt;… threw …&gt;</c> string instead.
    /// </summary>
    private static void WriteSequence(Utf8JsonWriter w, RecordScratch scratch, IEnumerable sequence, string category, string key)
    {
        List<object?> items = scratch.Items;
        items.Clear();
        try
        {
            foreach (object? item in sequence)
            {
                if (items.Count == MaxSequenceItems)
                {
                    break;
                }

                items.Add(item);
            }
        }
#pragma warning disable CA1031 // A broken sequence must not lose the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            items.Clear();
            ReportField(category, $"attribute {key}", e);
            w.WriteStringValue($"<{sequence.GetType().FullName} enumeration threw {e.GetType().Name}>");
            return;
        }

        w.WriteStartArray();
        foreach (object? item in items)
        {
            WriteValue(w, scratch, item, nested: true, category, key);
        }

        w.WriteEndArray();
        items.Clear();
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
        AppendEscaped(text, category, quoted: true);
        if (eventId.Id != 0)
        {
            text.Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        // The message is always quoted, with quotes and backslashes escaped: whatever a caller's value holds, the
        // message ends at the first unescaped quote, so nothing in it can pass for a field or an escape sequence.
        text.Append(": \"");
        AppendEscaped(text, message, quoted: true);
        text.Append('"');

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
            AppendEscaped(text, ExceptionMessage(exception, category), quoted: true);
            text.Append('"');
        }

        text.Append('\n');

        // One encoder across the chunks: a surrogate pair split between two chunks stays one character.
        // (GetMaxByteCount allows for a high surrogate carried over from the chunk before.)
        Encoder encoder = scratch.Utf8;
        encoder.Reset();
        ArrayBufferWriter<byte> buffer = scratch.Buffer;
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            int written = encoder.GetBytes(chunk.Span, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length)), flush: false);
            buffer.Advance(written);
        }

        // The line ends in '\n', so nothing is pending; flush anyway so the encoder is clean for the next line.
        buffer.Advance(encoder.GetBytes([], buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(0)), flush: true));
    }

    /// <summary>
    /// Appends <paramref name="value"/> with control characters escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, otherwise
    /// <c>\uXXXX</c>), so a text record is always one line and no terminal escape sequence passes through; with
    /// <paramref name="quoted"/>, <c>"</c> and <c>\</c> are escaped too, which makes the result a valid JSON string body.
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
