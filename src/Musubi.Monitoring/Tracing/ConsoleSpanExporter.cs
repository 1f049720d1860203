using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Musubi.Monitoring.Tracing;

/// <summary>How <see cref="ConsoleSpanExporter"/> writes a span.</summary>
public enum SpanOutputFormat
{
    /// <summary>One JSON object per line, with every attribute, event and link.</summary>
    Json,

    /// <summary>One short human-readable line per span.</summary>
    Text,
}

/// <summary>Writes finished spans to the console (or any <see cref="TextWriter"/>), one line per span.</summary>
/// <remarks>
/// Thread-safe. Output is culture-invariant; untrusted text (names, attribute values) is JSON-escaped in both
/// formats, so a span can never inject a line break or control character into the output.
/// </remarks>
public sealed class ConsoleSpanExporter : ISpanExporter
{
    private static readonly JsonWriterOptions s_writerOptions = Logging.LogRecordFormatter.JsonOptions;
    private readonly Lock _lock = new();
    private readonly SpanOutputFormat _format;
    private readonly TextWriter? _writer;

    /// <summary>Initializes a new instance of the <see cref="ConsoleSpanExporter"/> class.</summary>
    /// <param name="format">The output format.</param>
    /// <param name="writer">Where to write; <see langword="null"/> for <see cref="Console.Out"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public ConsoleSpanExporter(SpanOutputFormat format = SpanOutputFormat.Json, TextWriter? writer = null)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Use SpanOutputFormat.Json or SpanOutputFormat.Text.");
        }

        _format = format;
        _writer = writer;
    }

    /// <inheritdoc/>
    public Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var text = new StringBuilder();
        foreach (Activity span in spans)
        {
            text.Append(_format == SpanOutputFormat.Json ? ToJson(span) : ToText(span)).Append('\n');
        }

        lock (_lock)
        {
            TextWriter writer = _writer ?? Console.Out;
            writer.Write(text.ToString());
            writer.Flush();
        }

        return Task.CompletedTask;
    }

    /// <summary>Formats one span as a JSON object on one line.</summary>
    internal static string ToJson(Activity span)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("name", span.DisplayName);
            json.WriteString("kind", KindName(span.Kind));
            json.WriteString("trace_id", span.TraceId.ToHexString());
            json.WriteString("span_id", span.SpanId.ToHexString());
            if (span.ParentSpanId != default)
            {
                json.WriteString("parent_span_id", span.ParentSpanId.ToHexString());
            }

            json.WriteString("source", span.Source.Name);
            json.WriteString("start", span.StartTimeUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
            json.WriteNumber("duration_ms", span.Duration.TotalMilliseconds);
            json.WriteString("status", StatusName(span.Status));
            if (span.StatusDescription is { } description)
            {
                json.WriteString("status_description", description);
            }

            WriteAttributes(json, "attributes", span.TagObjects);
            json.WriteStartArray("events");
            foreach (ActivityEvent e in span.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", e.Name);
                json.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                WriteAttributes(json, "attributes", e.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("links");
            foreach (ActivityLink link in span.Links)
            {
                json.WriteStartObject();
                json.WriteString("trace_id", link.Context.TraceId.ToHexString());
                json.WriteString("span_id", link.Context.SpanId.ToHexString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Formats one span as a short line: time, name, ids, duration, status.</summary>
    internal static string ToText(Activity span)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{span.StartTimeUtc:yyyy-MM-ddTHH:mm:ss.fffZ} SPAN {Escape(span.DisplayName)} kind={KindName(span.Kind)} trace_id={span.TraceId.ToHexString()} span_id={span.SpanId.ToHexString()} parent_span_id={(span.ParentSpanId == default ? "-" : span.ParentSpanId.ToHexString())} duration_ms={span.Duration.TotalMilliseconds:0.###} status={StatusName(span.Status)}");
        return span.StatusDescription is { } description ? $"{text} {Escape(description)}" : text;
    }

    private static void WriteAttributes(Utf8JsonWriter json, string property, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        json.WriteStartObject(property);
        foreach (KeyValuePair<string, object?> attribute in attributes)
        {
            switch (attribute.Value)
            {
                case null:
                    json.WriteNull(attribute.Key);
                    break;
                case bool b:
                    json.WriteBoolean(attribute.Key, b);
                    break;
                case int or long or short or byte or sbyte or ushort or uint:
                    json.WriteNumber(attribute.Key, Convert.ToInt64(attribute.Value, CultureInfo.InvariantCulture));
                    break;
                case double d when double.IsFinite(d):
                    json.WriteNumber(attribute.Key, d);
                    break;
                case float f when float.IsFinite(f):
                    json.WriteNumber(attribute.Key, f);
                    break;
                case decimal m:
                    json.WriteNumber(attribute.Key, m);
                    break;
                default:
                    json.WriteString(attribute.Key, Convert.ToString(attribute.Value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        json.WriteEndObject();
    }

    /// <summary>A name as a JSON string literal (quoted, escaped), so it stays on one line.</summary>
    private static string Escape(string value) => $"\"{JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value}\"";

    private static string KindName(ActivityKind kind) => kind switch
    {
        ActivityKind.Server => "server",
        ActivityKind.Client => "client",
        ActivityKind.Producer => "producer",
        ActivityKind.Consumer => "consumer",
        _ => "internal",
    };

    private static string StatusName(ActivityStatusCode status) => status switch
    {
        ActivityStatusCode.Ok => "ok",
        ActivityStatusCode.Error => "error",
        _ => "unset",
    };
}
