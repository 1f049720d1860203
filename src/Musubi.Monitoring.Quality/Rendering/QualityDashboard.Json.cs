using System.Text;
using System.Text.Json;

namespace Musubi.Monitoring.Quality;

public static partial class QualityDashboard
{
    /// <summary>
    /// Renders the evaluation (and the gate's result) as indented JSON. Values, thresholds and gate values are JSON
    /// numbers written with the exact digits of their <see cref="decimal"/> (<c>79.999</c>, never <c>80</c>); read them
    /// as decimal to keep them exact. A value that was not measured is <c>null</c> with its <c>unknownReason</c>.
    /// </summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="gate">The gate's result; <see langword="null"/> writes <c>"gate": null</c>.</param>
    /// <returns>The JSON, lines ending with <c>\n</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>The shape:</para>
    /// <code language="json">
    /// {
    ///   "timestamp": "2026-03-11T15:30:00+00:00",
    ///   "overall": "warning",
    ///   "metrics": [
    ///     { "metric": "line_coverage", "unit": "percent", "value": 79.999, "numerator": 79999, "denominator": 100000,
    ///       "unknownReason": null, "status": "warning",
    ///       "threshold": { "healthy": 80, "critical": 60, "direction": "higherIsBetter" } }
    ///   ],
    ///   "gate": { "passed": false, "conditions": [ { "metric": "line_coverage", "operator": "atLeast", "expected": 80,
    ///     "ignoreUnknown": false, "actual": 79.999, "unknownReason": null, "outcome": "failed",
    ///     "message": "line_coverage is 79.999, expected at least 80" } ] },
    ///   "sources": [], "warnings": []
    /// }
    /// </code>
    /// <para>
    /// Statuses are <c>healthy</c>, <c>warning</c>, <c>critical</c> or <c>unknown</c>; a metric without a threshold has
    /// <c>"threshold": null</c> and status <c>unknown</c>. Outcomes are <c>passed</c>, <c>failed</c>, <c>notMeasured</c>
    /// or <c>skipped</c>.
    /// </para>
    /// </remarks>
    public static string ToJson(QualityEvaluation evaluation, QualityGateResult? gate = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", evaluation.Snapshot.Timestamp);
            json.WriteString("overall", Camel(evaluation.Overall.ToString()));
            json.WriteStartArray("metrics");
            foreach (QualityMetricEvaluation metric in evaluation.Metrics)
            {
                QualityMeasurement m = metric.Measurement;
                json.WriteStartObject();
                json.WriteString("metric", metric.Metric);
                json.WriteString("unit", QualityText.Unit(m.Unit));
                WriteNumber(json, "value", m.Value);
                WriteNumber(json, "numerator", m.Numerator);
                WriteNumber(json, "denominator", m.Denominator);
                json.WriteString("unknownReason", m.UnknownReason);
                json.WriteString("status", Camel(metric.Status.ToString()));
                if (metric.Threshold is { } t)
                {
                    json.WriteStartObject("threshold");
                    json.WriteNumber("healthy", t.Healthy);
                    json.WriteNumber("critical", t.Critical);
                    json.WriteString("direction", Camel(t.Direction.ToString()));
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("threshold");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (gate is null)
            {
                json.WriteNull("gate");
            }
            else
            {
                json.WriteStartObject("gate");
                json.WriteBoolean("passed", gate.Passed);
                json.WriteStartArray("conditions");
                foreach (QualityGateConditionResult condition in gate.Conditions)
                {
                    json.WriteStartObject();
                    json.WriteString("metric", condition.Condition.Metric);
                    json.WriteString("operator", Camel(condition.Condition.Operator.ToString()));
                    json.WriteNumber("expected", condition.Condition.Value);
                    json.WriteBoolean("ignoreUnknown", condition.Condition.IgnoreUnknown);
                    WriteNumber(json, "actual", condition.Actual);
                    json.WriteString("unknownReason", condition.Actual is null ? condition.UnknownReason : null);
                    json.WriteString("outcome", Camel(condition.Outcome.ToString()));
                    json.WriteString("message", condition.ToString());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            WriteStrings(json, "sources", evaluation.Snapshot.Sources);
            WriteStrings(json, "warnings", evaluation.Snapshot.Warnings);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> items)
    {
        json.WriteStartArray(name);
        foreach (string item in items)
        {
            json.WriteStringValue(item);
        }

        json.WriteEndArray();
    }

    private static string Camel(string name) => string.Concat(name[..1].ToLowerInvariant(), name.AsSpan(1));
}
