namespace Musubi.Monitoring.Logging;

/// <summary>How a log record is written: one line per record in either format.</summary>
public enum LogFormat
{
    /// <summary>
    /// One JSON object per line: <c>timestamp</c>, <c>level</c>, <c>category</c>, <c>message</c>,
    /// <c>message_template</c>, <c>trace_id</c>, <c>span_id</c>, <c>correlation_id</c>, the service fields, the
    /// <c>exception.*</c> fields, the structured properties under <c>attributes</c> and other scopes under <c>scopes</c>.
    /// </summary>
    Json,

    /// <summary>
    /// One human-readable line: <c>2026-12-03T18:40:00.123Z INF Category: "message" trace_id=… span_id=… correlation_id=…</c>,
    /// with an exception's type and message inline as <c>exception="Type: message"</c>. The message is always quoted
    /// like a JSON string (<c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, other control characters as
    /// <c>\uXXXX</c>), so a record is always one line and a logged value can never pass for a field.
    /// </summary>
    Text,
}
