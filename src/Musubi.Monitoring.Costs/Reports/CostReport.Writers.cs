using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Musubi.Monitoring.Costs;

public sealed partial class CostReport
{
    private static readonly string[] s_headers = ["Requests", "Unpriced", "Input tokens", "Output tokens", "Cost (USD)"];

    /// <summary>Writes the report as aligned plain text (lines end with <c>\n</c>), money rounded to 6 decimals.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        List<string[]> table = [[GroupBy.ToString(), .. s_headers]];
        table.AddRange(Rows.Select(DisplayCells));
        table.Add(DisplayCells(Total));
        int[] widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();

        var text = new StringBuilder();
        text.Append("LLM costs, ").Append(PeriodLabel()).Append(" (").Append(TimeZone.Id).Append("), by ").Append(GroupBy.ToString().ToLowerInvariant()).Append('\n');
        for (int i = 0; i < table.Count; i++)
        {
            if (i == table.Count - 1)
            {
                text.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
            }

            string[] row = table[i];
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                string cell = c == 0 ? OneLine(row[c]).PadRight(widths[c]) : row[c].PadLeft(widths[c]);
                line.Append(c == 0 ? string.Empty : "  ").Append(cell);
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes the report as a GitHub-flavoured Markdown table (keys escaped), money rounded to 6 decimals.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("### LLM costs, ").Append(PeriodLabel()).Append(" (").Append(EscapeMarkdown(TimeZone.Id)).Append("), by ")
            .Append(GroupBy.ToString().ToLowerInvariant()).Append("\n\n");
        md.Append("| ").Append(GroupBy.ToString()).Append(" | ").Append(string.Join(" | ", s_headers)).Append(" |\n");
        md.Append("|---|---:|---:|---:|---:|---:|\n");
        foreach (CostReportRow row in Rows)
        {
            AppendMarkdownRow(md, DisplayCells(row), bold: false);
        }

        AppendMarkdownRow(md, DisplayCells(Total), bold: true);
        return md.ToString();
    }

    /// <summary>
    /// Writes the report as indented JSON. Money is written as exact decimal strings (<c>"total": "0.012345"</c>) so no
    /// reader's double rounds it; a group whose records were all unpriced has <c>"total": null</c>.
    /// </summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("period", Period.ToString().ToLowerInvariant());
            json.WriteString("groupBy", GroupBy.ToString().ToLowerInvariant());
            json.WriteString("timeZone", TimeZone.Id);
            WriteInstant(json, "from", From);
            WriteInstant(json, "to", To);
            json.WriteString("currency", "USD");
            json.WriteStartArray("rows");
            foreach (CostReportRow row in Rows)
            {
                WriteRow(json, row);
            }

            json.WriteEndArray();
            json.WritePropertyName("total");
            WriteRow(json, Total);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// Writes the report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted,
    /// quotes doubled), one header line, one line per row and a last <c>Total</c> line. <c>cost_usd</c> is the exact decimal,
    /// or <c>unpriced</c>.
    /// </summary>
    /// <returns>The CSV.</returns>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(GroupBy.ToString().ToLowerInvariant()).Append(",requests,unpriced,input_tokens,output_tokens,cost_usd\r\n");
        foreach (CostReportRow row in Rows.Append(Total))
        {
            csv.Append(CsvField(row.Key)).Append(',')
                .Append(Invariant(row.Count)).Append(',')
                .Append(Invariant(row.UnpricedCount)).Append(',')
                .Append(Invariant(row.InputTokens)).Append(',')
                .Append(Invariant(row.OutputTokens)).Append(',')
                .Append(row.IsUnpriced ? "unpriced" : row.Total.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string[] DisplayCells(CostReportRow row) =>
    [
        row.Key,
        Invariant(row.Count),
        Invariant(row.UnpricedCount),
        Invariant(row.InputTokens),
        Invariant(row.OutputTokens),
        row.IsUnpriced ? "unpriced" : CostFormat.Usd(row.Total),
    ];

    private static void AppendMarkdownRow(StringBuilder md, string[] cells, bool bold)
    {
        md.Append('|');
        for (int c = 0; c < cells.Length; c++)
        {
            string cell = c == 0 ? EscapeMarkdown(cells[c]) : cells[c];
            md.Append(' ').Append(bold ? "**" + cell + "**" : cell).Append(" |");
        }

        md.Append('\n');
    }

    private static void WriteRow(Utf8JsonWriter json, CostReportRow row)
    {
        json.WriteStartObject();
        json.WriteString("key", row.Key);
        json.WriteNumber("requests", row.Count);
        json.WriteNumber("unpriced", row.UnpricedCount);
        json.WriteNumber("inputTokens", row.InputTokens);
        json.WriteNumber("outputTokens", row.OutputTokens);
        if (row.IsUnpriced)
        {
            json.WriteNull("total");
        }
        else
        {
            json.WriteString("total", row.Total.ToString(CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
    }

    private static void WriteInstant(Utf8JsonWriter json, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            json.WriteString(name, value.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OneLine(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    // Backslash-escapes every ASCII punctuation character that Markdown could read as syntax, and flattens line breaks,
    // so user text (user names, feature names) can neither break the table nor inject links, HTML or emphasis.
    private static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in OneLine(text))
        {
            if (@"\`*_{}[]()<>#+-.!|~&".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
