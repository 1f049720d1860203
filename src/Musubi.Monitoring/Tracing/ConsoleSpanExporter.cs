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
    private readonly MusubiMonitoringOptions? _service;

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

    /// <summary>Initializes an exporter that also writes the service's name, version and environment on each span.</summary>
    internal ConsoleSpanExporter(SpanOutputFormat format, TextWriter? writer, MusubiMonitoringOptions service)
        : this(format, writer)
    {
        _service = service;
    }

    /// <inheritdoc/>
    public Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var text = new StringBuilder();
        foreach (Activity span in spans)
        {
            if (span is null)
            {
                continue;
            }

            // One span that cannot be written (an odd attribute, a name that is not UTF-16) costs that span its
            // detail, not the batch.
            string line;
            try
            {
                line = _format == SpanOutputFormat.Json ? ToJson(span, _service) : ToText(span, _service);
            }
            catch (Exception ex)
            {
                line = string.Create(CultureInfo.InvariantCulture,
                    $"{{\"trace_id\":\"{span.TraceId.ToHexString()}\",\"span_id\":\"{span.SpanId.ToHexString()}\",\"error\":\"the span could not be written: {ex.GetType().Name}\"}}");
            }

            text.Append(line).Append('\n');
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
    internal static string ToJson(Activity span, MusubiMonitoringOptions? service = null)
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
            if (service is not null)
            {
                json.WriteString("service.name", service.ServiceName);
                if (service.ServiceVersion is { } version)
                {
                    json.WriteString("service.version", version);
                }

                if (service.Environment is { } environment)
                {
                    json.WriteString("deployment.environment", environment);
                }
            }

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
    internal static string ToText(Activity span, MusubiMonitoringOptions? service = null)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{span.StartTimeUtc:yyyy-MM-ddTHH:mm:ss.fffZ} SPAN {Escape(span.DisplayName)} kind={KindName(span.Kind)} trace_id={span.TraceId.ToHexString()} span_id={span.SpanId.ToHexString()} parent_span_id={(span.ParentSpanId == default ? "-" : span.ParentSpanId.ToHexString())} duration_ms={span.Duration.TotalMilliseconds:0.###} status={StatusName(span.Status)}");
        if (service is not null)
        {
            text = $"{text} service={Escape(service.ServiceName)}";
        }

        return span.StatusDescription is { } description ? $"{text} {Escape(description)}" : text;
    }

    private static void WriteAttributes(Utf8JsonWriter json, string property, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        json.WriteStartObject(property);
        foreach (KeyValuePair<string, object?> attribute in attributes)
        {
            if (attribute.Key is null)
            {
                continue;
            }

            json.WritePropertyName(attribute.Key);
            WriteValue(json, attribute.Value, nested: false);
        }

        json.WriteEndObject();
    }

    /// <summary>An attribute value: JSON numbers, booleans and strings; arrays (OpenTelemetry's array attributes) one level deep.</summary>
    private static void WriteValue(Utf8JsonWriter json, object? value, bool nested)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case System.Collections.IEnumerable items when !nested:
                json.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(json, item, nested: true);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Describe(value));
                break;
        }
    }

    /// <summary>A value's invariant text; a <c>ToString</c> that throws is not the exporter's failure.</summary>
    private static string Describe(object value)
    {
        try
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
        catch (Exception ex)
        {
            return $"<{value.GetType().Name}.ToString threw {ex.GetType().Name}>";
        }
    }

    /// <summary>A name as a JSON string literal (quoted, escaped), so it stays on one line.</summary>
    private static string Escape(string value)
    {
        // JsonEncodedText refuses lone surrogates; write them as U+FFFD, as the JSON format does.
        string text = value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? new string(value.EnumerateRunes().Select(r => r.ToString()).SelectMany(r => r).ToArray()) : value;
        return $"\"{JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value}\"";
    }

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
