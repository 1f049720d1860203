using System.Text;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// Renders a <see cref="QualityEvaluation"/> (and optionally a <see cref="QualityGateResult"/>) as a text dashboard for
/// a terminal, as Markdown, or as JSON. Everything is culture-invariant and lines end with <c>\n</c>.
/// </summary>
/// <remarks>
/// Displayed values are never rounded past a threshold: the text and Markdown show at most two decimals, cut toward the
/// worse side (79.999% shows as 79.99%, never 80.00%); the JSON has the exact values. A metric that was not measured
/// shows as UNKNOWN with its reason, never as 0 or 100%. Thread-safe (stateless).
/// </remarks>
public static partial class QualityDashboard
{
    private const int Gap = 2;

    /// <summary>
    /// Renders the text dashboard: a header with the snapshot's time and the overall status, a table (metric, value,
    /// status mark, bar, threshold), the gate's conditions when given, the reasons of unknown metrics, and the
    /// snapshot's sources and warnings.
    /// </summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="gate">The gate's result; <see langword="null"/> leaves the gate section out.</param>
    /// <param name="options">Width and Unicode or ASCII; <see langword="null"/> uses the defaults (80 columns, Unicode).</param>
    /// <returns>The dashboard; no line is wider than <see cref="QualityDashboardOptions.Width"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range; the message names it and its value.</exception>
    public static string ToText(QualityEvaluation evaluation, QualityGateResult? gate = null, QualityDashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        options ??= new QualityDashboardOptions();
        options.Validate();
        bool unicode = options.Unicode;
        int width = options.Width;
        var text = new StringBuilder();

        Wrap(text, width, $"Quality dashboard {(unicode ? "—" : "-")} {QualityText.Timestamp(evaluation.Snapshot.Timestamp)}", "  ");
        Wrap(text, width, $"Overall: {QualityText.Label(evaluation.Overall, unicode)}", "  ");
        text.Append('\n');

        if (evaluation.Metrics.Count == 0)
        {
            Wrap(text, width, "No metrics were measured.", string.Empty);
        }
        else
        {
            Table(text, evaluation, options);
        }

        QualityMetricEvaluation[] unknown = [.. evaluation.Metrics.Where(m => !m.Measurement.IsKnown)];
        if (unknown.Length > 0)
        {
            text.Append('\n');
            Line(text, width, "Not measured:");
            foreach (QualityMetricEvaluation metric in unknown)
            {
                Wrap(text, width, $"  {metric.Metric}: {metric.Measurement.UnknownReason}", "    ");
            }
        }

        if (gate is not null)
        {
            text.Append('\n');
            int failed = gate.Failures.Count;
            Wrap(text, width, gate.Passed
                ? $"Gate: {(unicode ? "✔ PASSED" : "[PASS]")} ({Count(gate.Conditions.Count, "condition")})"
                : $"Gate: {(unicode ? "✖ FAILED" : "[FAIL]")} ({failed} of {Count(gate.Conditions.Count, "condition")} failed)", "  ");
            foreach (QualityGateConditionResult condition in gate.Conditions)
            {
                string mark = (condition.Outcome, unicode) switch
                {
                    (QualityGateOutcome.Passed, true) => "✔",
                    (QualityGateOutcome.Passed, false) => "[OK]",
                    (QualityGateOutcome.Skipped, true) => "-",
                    (QualityGateOutcome.Skipped, false) => "[SKIP]",
                    (_, true) => "✖",
                    _ => "[FAIL]",
                };
                Wrap(text, width, $"  {mark} {condition}", "    ");
            }
        }

        List(text, width, "Sources:", evaluation.Snapshot.Sources);
        List(text, width, "Warnings:", evaluation.Snapshot.Warnings);
        return text.ToString();
    }

    private static void Table(StringBuilder text, QualityEvaluation evaluation, QualityDashboardOptions options)
    {
        bool unicode = options.Unicode;
        string[] headers = ["Metric", "Value", "Status", string.Empty, "Threshold"];
        string[][] rows = [.. evaluation.Metrics.Select(m => new[]
        {
            m.Metric,
            QualityText.Value(m.Measurement.Value, m.Measurement.Unit, m.Threshold?.Direction),
            QualityText.Label(m, unicode),
            Bar(m.Measurement, options),
            QualityText.Threshold(m.Threshold, m.Measurement.Unit, unicode),
        })];

        int[] widths = new int[headers.Length];
        for (int c = 0; c < headers.Length; c++)
        {
            widths[c] = Math.Max(headers[c].Length, rows.Max(r => r[c].Length));
        }

        bool[] shown = [true, true, true, rows.Any(r => r[3].Length > 0), true];
        // Narrow widths: drop the bar, then the threshold, then shorten the metric ids; a row never wraps.
        if (Total(widths, shown) > options.Width)
        {
            shown[3] = false;
        }

        if (Total(widths, shown) > options.Width)
        {
            shown[4] = false;
        }

        int over = Total(widths, shown) - options.Width;
        if (over > 0)
        {
            widths[0] = Math.Max(headers[0].Length, widths[0] - over);
        }

        string ellipsis = unicode ? "…" : "~";
        AppendRow(text, headers, widths, shown, ellipsis, options.Width);
        string[] rules = [.. widths.Select(w => new string(unicode ? '─' : '-', w))];
        AppendRow(text, rules, widths, shown, ellipsis, options.Width);
        foreach (string[] row in rows)
        {
            AppendRow(text, row, widths, shown, ellipsis, options.Width);
        }
    }

    private static int Total(int[] widths, bool[] shown)
    {
        int total = 0;
        int columns = 0;
        for (int c = 0; c < widths.Length; c++)
        {
            if (shown[c])
            {
                total += widths[c];
                columns++;
            }
        }

        return total + (Gap * (columns - 1));
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths, bool[] shown, string ellipsis, int width)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            if (!shown[c])
            {
                continue;
            }

            if (line.Length > 0)
            {
                line.Append(' ', Gap);
            }

            string cell = cells[c];
            if (cell.Length > widths[c])
            {
                cell = cell[..(widths[c] - ellipsis.Length)] + ellipsis;
            }

            line.Append(cell.PadRight(widths[c]));
        }

        Line(text, width, line.ToString());
    }

    /// <summary>A percentage's bar: a cell is filled only when the value has fully reached it, so a bar never looks fuller than the value.</summary>
    private static string Bar(QualityMeasurement measurement, QualityDashboardOptions options)
    {
        if (measurement.Unit != QualityUnit.Percent || measurement.Value is not { } value)
        {
            return string.Empty;
        }

        int filled = (int)decimal.Floor(value * options.BarWidth / 100m);
        filled = Math.Clamp(filled, 0, options.BarWidth);
        return new string(options.Unicode ? '█' : '#', filled) + new string(options.Unicode ? '░' : '.', options.BarWidth - filled);
    }

    private static void List(StringBuilder text, int width, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append('\n');
        Line(text, width, title);
        foreach (string item in items)
        {
            Wrap(text, width, "  " + OneLine(item), "    ");
        }
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? string.Empty : "s")}";

    /// <summary>Control characters (line breaks in a warning or a path) become spaces, so user text cannot break the layout.</summary>
    private static string OneLine(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString();
    }

    /// <summary>Appends one line, trailing spaces trimmed; cut at the width as a last resort (it is always within it for table rows).</summary>
    private static void Line(StringBuilder text, int width, string line)
    {
        line = OneLine(line).TrimEnd();
        text.Append(line.Length > width ? line[..width] : line).Append('\n');
    }

    /// <summary>Wraps free text between words to the width, continuation lines indented; a word longer than a line is split.</summary>
    private static void Wrap(StringBuilder text, int width, string line, string indent)
    {
        line = OneLine(line).TrimEnd();
        string lead = new(' ', line.Length - line.TrimStart().Length);
        var current = new StringBuilder(lead);
        bool empty = true;
        foreach (string word in line.TrimStart().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string rest = word;
            while (rest.Length > 0)
            {
                int room = width - current.Length - (empty ? 0 : 1);
                if (rest.Length <= room)
                {
                    current.Append(empty ? string.Empty : " ").Append(rest);
                    empty = false;
                    rest = string.Empty;
                }
                else if (!empty)
                {
                    text.Append(current).Append('\n');
                    current.Clear().Append(indent);
                    empty = true;
                }
                else
                {
                    // A word longer than a whole line: split it.
                    int take = Math.Max(1, room);
                    current.Append(rest[..take]);
                    rest = rest[take..];
                    text.Append(current).Append('\n');
                    current.Clear().Append(indent);
                }
            }
        }

        if (!empty || current.Length > indent.Length)
        {
            text.Append(current.ToString().TrimEnd()).Append('\n');
        }
    }
}
