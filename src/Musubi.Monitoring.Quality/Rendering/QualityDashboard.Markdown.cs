using System.Globalization;
using System.Text;
using Musubi.Monitoring.Text;

namespace Musubi.Monitoring.Quality;

public static partial class QualityDashboard
{
    /// <summary>
    /// Renders a GitHub-flavoured Markdown report: the overall status, a table of metrics (value, status, threshold,
    /// and the counts or the reason it was not measured), the gate's conditions when given, and the sources and warnings.
    /// </summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="gate">The gate's result; <see langword="null"/> leaves the gate section out.</param>
    /// <returns>The Markdown; user text (sources, warnings, reasons) is escaped, metric ids are code spans.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is <see langword="null"/>.</exception>
    public static string ToMarkdown(QualityEvaluation evaluation, QualityGateResult? gate = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var md = new StringBuilder();
        md.Append("# Quality report\n\n");
        md.Append("Measured ").Append(QualityText.Timestamp(evaluation.Snapshot.Timestamp))
            .Append(". Overall: **").Append(QualityText.Label(evaluation.Overall, unicode: true)).Append("**\n\n");

        if (evaluation.Metrics.Count == 0)
        {
            md.Append("No metrics were measured.\n");
        }
        else
        {
            md.Append("| Metric | Value | Status | Threshold | Detail |\n");
            md.Append("|---|---:|---|---|---|\n");
            foreach (QualityMetricEvaluation metric in evaluation.Metrics)
            {
                QualityMeasurement m = metric.Measurement;
                string detail = m.IsKnown
                    ? m.Numerator is { } n && m.Denominator is { } d ? string.Create(CultureInfo.InvariantCulture, $"{n} of {d}") : string.Empty
                    : "not measured: " + MarkdownText.Heading(m.UnknownReason ?? string.Empty);
                md.Append("| `").Append(metric.Metric).Append("` | ")
                    .Append(QualityText.Value(m.Value, m.Unit, metric.Threshold?.Direction)).Append(" | ")
                    .Append(QualityText.Label(metric, unicode: true)).Append(" | ")
                    .Append(MarkdownText.Heading(QualityText.Threshold(metric.Threshold, m.Unit, unicode: true))).Append(" | ")
                    .Append(detail).Append(" |\n");
            }
        }

        if (gate is not null)
        {
            md.Append("\n## Quality gate: ").Append(gate.Passed ? "✔ PASSED" : "✖ FAILED").Append("\n\n");
            md.Append("| Condition | Actual | Outcome |\n");
            md.Append("|---|---:|---|\n");
            foreach (QualityGateConditionResult condition in gate.Conditions)
            {
                QualityGateCondition c = condition.Condition;
                string outcome = condition.Outcome switch
                {
                    QualityGateOutcome.Passed => "✔ passed",
                    QualityGateOutcome.Failed => "✖ failed",
                    QualityGateOutcome.NotMeasured => "✖ not measured: " + MarkdownText.Heading(condition.UnknownReason ?? string.Empty),
                    _ => "- ignored, not measured: " + MarkdownText.Heading(condition.UnknownReason ?? string.Empty),
                };
                md.Append("| `").Append(c.Metric).Append("` ").Append(QualityGateCondition.OperatorText(c.Operator)).Append(' ')
                    .Append(QualityText.Exact(c.Value)).Append(" | ")
                    .Append(condition.Actual is { } actual ? QualityText.GateValue(actual, c.Operator) : "UNKNOWN").Append(" | ")
                    .Append(outcome).Append(" |\n");
            }
        }

        MarkdownList(md, "Sources", evaluation.Snapshot.Sources);
        MarkdownList(md, "Warnings", evaluation.Snapshot.Warnings);
        return md.ToString();
    }

    private static void MarkdownList(StringBuilder md, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        md.Append("\n## ").Append(title).Append("\n\n");
        foreach (string item in items)
        {
            md.Append("- ").Append(MarkdownText.Heading(item)).Append('\n');
        }
    }
}
