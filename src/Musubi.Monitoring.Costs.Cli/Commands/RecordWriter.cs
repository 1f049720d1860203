using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// Writes ledger records as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted) or JSON, every
/// field of the record; money as exact decimal text, an unpriced total as an empty CSV field and JSON <c>null</c>; instants
/// in ISO 8601 with their offset. Culture-invariant.
/// </summary>
internal static class RecordWriter
{
    private static readonly string[] s_columns =
    [
        "sequence", "timestamp", "recorded_at", "provider", "request_model", "response_model", "base_model", "model", "operation",
        "input_tokens", "cached_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
        "user", "feature", "tenant", "total_usd", "input_usd", "cached_read_usd", "cache_write_5m_usd", "cache_write_1h_usd", "output_usd",
        "reasoning_usd", "resolution_rule", "resolution_key",
    ];

    /// <summary>The CSV header line.</summary>
    /// <returns>The header with its CRLF.</returns>
    public static string CsvHeader() => string.Join(',', s_columns) + "\r\n";

    /// <summary>One record as a CSV line.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The line with its CRLF.</returns>
    public static string CsvLine(CostRecord record)
    {
        LlmUsage u = record.Usage;
        string?[] fields =
        [
            Number(record.Sequence), Instant(u.Timestamp), Instant(record.RecordedAt), u.Provider, u.RequestModel, u.ResponseModel, u.BaseModel,
            record.Model, u.Operation, Number(u.InputTokens), Number(u.CachedReadTokens), Number(u.CacheWrite5MinuteTokens),
            Number(u.CacheWrite1HourTokens), Number(u.OutputTokens), Number(u.ReasoningTokens), u.Attribution?.User, u.Attribution?.Feature,
            u.Attribution?.Tenant, record.Total is { } total ? Money.Exact(total) : null, Money.Exact(record.Input), Money.Exact(record.CachedRead),
            Money.Exact(record.CacheWrite5Minute), Money.Exact(record.CacheWrite1Hour), Money.Exact(record.Output), Money.Exact(record.Reasoning),
            record.ResolutionRule.ToString(), record.ResolutionKey,
        ];
        var line = new StringBuilder();
        for (int i = 0; i < fields.Length; i++)
        {
            line.Append(i == 0 ? string.Empty : ",").Append(CsvField(fields[i] ?? string.Empty));
        }

        return line.Append("\r\n").ToString();
    }

    /// <summary>Writes one record as a JSON object.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="record">The record.</param>
    public static void WriteJson(Utf8JsonWriter json, CostRecord record)
    {
        LlmUsage u = record.Usage;
        json.WriteStartObject();
        json.WriteNumber("sequence", record.Sequence);
        json.WriteString("timestamp", Instant(u.Timestamp));
        json.WriteString("recordedAt", Instant(record.RecordedAt));
        json.WriteString("provider", u.Provider);
        json.WriteString("requestModel", u.RequestModel);
        json.StringOrNull("responseModel", u.ResponseModel);
        json.StringOrNull("baseModel", u.BaseModel);
        json.WriteString("model", record.Model);
        json.WriteString("operation", u.Operation);
        json.WriteNumber("inputTokens", u.InputTokens);
        json.WriteNumber("cachedReadTokens", u.CachedReadTokens);
        json.WriteNumber("cacheWrite5MinuteTokens", u.CacheWrite5MinuteTokens);
        json.WriteNumber("cacheWrite1HourTokens", u.CacheWrite1HourTokens);
        json.WriteNumber("outputTokens", u.OutputTokens);
        json.WriteNumber("reasoningTokens", u.ReasoningTokens);
        if (u.Attribution is { } attribution)
        {
            json.WriteStartObject("attribution");
            json.StringOrNull("user", attribution.User);
            json.StringOrNull("feature", attribution.Feature);
            json.StringOrNull("tenant", attribution.Tenant);
            json.WriteStartObject("tags");
            foreach (KeyValuePair<string, string> tag in attribution.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WriteString(tag.Key, tag.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("attribution");
        }

        json.WriteString("currency", "USD");
        json.StringOrNull("total", record.Total is { } total ? Money.Exact(total) : null);
        json.WriteString("input", Money.Exact(record.Input));
        json.WriteString("cachedRead", Money.Exact(record.CachedRead));
        json.WriteString("cacheWrite5Minute", Money.Exact(record.CacheWrite5Minute));
        json.WriteString("cacheWrite1Hour", Money.Exact(record.CacheWrite1Hour));
        json.WriteString("output", Money.Exact(record.Output));
        json.WriteString("reasoning", Money.Exact(record.Reasoning));
        json.WriteString("resolutionRule", record.ResolutionRule.ToString());
        json.StringOrNull("resolutionKey", record.ResolutionKey);
        json.WriteEndObject();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
