using System.Globalization;
using System.Text.Json;

namespace Musubi.Monitoring.Quality;

/// <summary>Thresholds and a quality gate, read from a JSON document such as the file given to <c>musubi-validate --thresholds</c>.</summary>
/// <remarks>
/// <para>The format (every part optional; property names are case-sensitive and may not repeat; comments and trailing commas are allowed):</para>
/// <code language="json">
/// {
///   "thresholds": {
///     "line_coverage":   { "healthy": 85, "critical": 70 },
///     "flaky_tests":     { "healthy": 0, "critical": 3, "direction": "lowerIsBetter" },
///     "documentation":   { "healthy": 90, "critical": 50 },
///     "method_coverage": null
///   },
///   "gate": [
///     { "metric": "line_coverage", "operator": "atLeast", "value": 80 },
///     { "metric": "new_line_coverage", "operator": "atLeast", "value": 90, "ignoreUnknown": true }
///   ]
/// }
/// </code>
/// <para>
/// <c>thresholds</c> changes <see cref="QualityThresholds.Defaults"/>: a metric not named keeps its default, a metric
/// set to <c>null</c> has no threshold, any other metric id is added. In an entry, <c>healthy</c> and <c>critical</c>
/// are JSON numbers read exactly as <see cref="decimal"/> from the text (never through <see cref="double"/>);
/// either may be left out for a metric that has a default threshold, which then supplies it. <c>direction</c> is
/// <c>higherIsBetter</c> or <c>lowerIsBetter</c> (the default's direction, or higher is better).
/// </para>
/// <para>
/// <c>gate</c> is a list of conditions: <c>metric</c>, <c>operator</c> (<c>atLeast</c> or <c>&gt;=</c>, <c>atMost</c>
/// or <c>&lt;=</c>, <c>lessThan</c> or <c>&lt;</c>, <c>greaterThan</c> or <c>&gt;</c>), <c>value</c> (a number,
/// exact), and optionally <c>ignoreUnknown</c> (default <see langword="false"/>: a metric that was not measured fails
/// its condition). Without a <c>gate</c> section, <see cref="Gate"/> is <see langword="null"/> and callers use
/// <see cref="QualityGate.Default"/>.
/// </para>
/// <para>
/// A document that is not valid JSON, an unknown property, a value of the wrong type, or a threshold or condition
/// that its constructor refuses, throws <see cref="QualityConfigurationException"/> whose message names the file,
/// the entry's JSON path, the metric and the bad value. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class QualityConfiguration
{
    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false, // "healthy" given twice is a mistake, not "the last one wins"
    };

    /// <summary>Creates a configuration.</summary>
    /// <param name="thresholds">The thresholds.</param>
    /// <param name="gate">The gate; <see langword="null"/> when none is configured.</param>
    /// <exception cref="ArgumentNullException"><paramref name="thresholds"/> is <see langword="null"/>.</exception>
    public QualityConfiguration(QualityThresholdSet thresholds, QualityGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        Thresholds = thresholds;
        Gate = gate;
    }

    /// <summary>The thresholds: the defaults with the document's changes.</summary>
    public QualityThresholdSet Thresholds { get; }

    /// <summary>The gate; <see langword="null"/> when the document has no <c>gate</c> section.</summary>
    public QualityGate? Gate { get; }

    /// <summary>Reads a configuration file (UTF-8).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="QualityConfigurationException">The file is missing or unreadable, not valid JSON, or has a bad entry; the message names the file.</exception>
    public static QualityConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            throw new QualityConfigurationException(path, $"cannot read the thresholds file: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Reads a configuration from JSON text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The name used in error messages, such as a file path; <c>&lt;json&gt;</c> when <see langword="null"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="QualityConfigurationException">The text is not valid JSON or has a bad entry; the message names the source, the entry and the value.</exception>
    public static QualityConfiguration Parse(string json, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        string source = sourceName ?? "<json>";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_jsonOptions);
        }
        catch (JsonException e)
        {
            throw new QualityConfigurationException(source, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new QualityConfigurationException(source, $"the document must be a JSON object with \"thresholds\" and/or \"gate\", not {Describe(root)}.");
            }

            QualityThresholdSet thresholds = QualityThresholdSet.Default;
            QualityGate? gate = null;
            foreach (JsonProperty section in root.EnumerateObject())
            {
                switch (section.Name)
                {
                    case "thresholds":
                        thresholds = ReadThresholds(source, section.Value);
                        break;
                    case "gate":
                        gate = ReadGate(source, section.Value);
                        break;
                    case "$schema":
                        break;
                    default:
                        throw new QualityConfigurationException(source, $"unknown property \"{section.Name}\" at the top level; use \"thresholds\" and \"gate\".");
                }
            }

            return new QualityConfiguration(thresholds, gate);
        }
    }

    private static QualityThresholdSet ReadThresholds(string source, JsonElement section)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new QualityConfigurationException(source, $"\"thresholds\" must be an object of metric ids, not {Describe(section)}.");
        }

        QualityThresholdSet set = QualityThresholdSet.Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty entry in section.EnumerateObject())
        {
            string metric = entry.Name;
            string at = $"thresholds.{metric}";
            if (!seen.Add(metric))
            {
                throw new QualityConfigurationException(source, $"{at}: the metric '{metric}' is given twice.");
            }

            if (entry.Value.ValueKind == JsonValueKind.Null)
            {
                set = set.Without(metric);
                continue;
            }

            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                throw new QualityConfigurationException(source, $"{at}: expected an object such as {{\"healthy\": 80, \"critical\": 60}} or null, not {Describe(entry.Value)}.");
            }

            QualityThreshold? fallback = QualityThresholds.Defaults.FirstOrDefault(t => string.Equals(t.Metric, metric, StringComparison.Ordinal));
            decimal? healthy = null;
            decimal? critical = null;
            ThresholdDirection? direction = null;
            foreach (JsonProperty field in entry.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "healthy":
                        healthy = ReadDecimal(source, $"{at}.healthy", field.Value);
                        break;
                    case "critical":
                        critical = ReadDecimal(source, $"{at}.critical", field.Value);
                        break;
                    case "direction":
                        direction = ReadDirection(source, $"{at}.direction", field.Value);
                        break;
                    default:
                        throw new QualityConfigurationException(source, $"{at}: unknown property \"{field.Name}\"; use \"healthy\", \"critical\" and \"direction\".");
                }
            }

            if (fallback is null && (healthy is null || critical is null))
            {
                throw new QualityConfigurationException(source, $"{at}: '{metric}' has no default threshold, so both \"healthy\" and \"critical\" are required.");
            }

            try
            {
                set = set.With(new QualityThreshold(
                    metric,
                    healthy ?? fallback!.Healthy,
                    critical ?? fallback!.Critical,
                    direction ?? fallback?.Direction ?? ThresholdDirection.HigherIsBetter));
            }
            catch (ArgumentException e)
            {
                throw new QualityConfigurationException(source, $"{at}: {WithoutParameter(e)}", e);
            }
        }

        return set;
    }

    /// <summary>The message of an argument check without the " (Parameter 'x')" and "Actual value was" lines .NET appends.</summary>
    private static string WithoutParameter(ArgumentException e)
    {
        int end = e.ParamName is null ? -1 : e.Message.IndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return end < 0 ? e.Message : e.Message[..end];
    }

    private static QualityGate ReadGate(string source, JsonElement section)
    {
        if (section.ValueKind != JsonValueKind.Array)
        {
            throw new QualityConfigurationException(source, $"\"gate\" must be a list of conditions such as [{{\"metric\": \"line_coverage\", \"operator\": \"atLeast\", \"value\": 80}}], not {Describe(section)}.");
        }

        var conditions = new List<QualityGateCondition>();
        int index = 0;
        foreach (JsonElement item in section.EnumerateArray())
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"gate[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new QualityConfigurationException(source, $"{at}: expected a condition object, not {Describe(item)}.");
            }

            string? metric = null;
            QualityGateOperator? op = null;
            decimal? value = null;
            bool ignoreUnknown = false;
            foreach (JsonProperty field in item.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "metric":
                        metric = field.Value.ValueKind == JsonValueKind.String
                            ? field.Value.GetString()
                            : throw new QualityConfigurationException(source, $"{at}.metric: expected a metric id string, not {Describe(field.Value)}.");
                        break;
                    case "operator":
                        op = ReadOperator(source, $"{at}.operator", field.Value);
                        break;
                    case "value":
                        value = ReadDecimal(source, $"{at}.value", field.Value);
                        break;
                    case "ignoreUnknown":
                        ignoreUnknown = field.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => throw new QualityConfigurationException(source, $"{at}.ignoreUnknown: expected true or false, not {Describe(field.Value)}."),
                        };
                        break;
                    default:
                        throw new QualityConfigurationException(source, $"{at}: unknown property \"{field.Name}\"; use \"metric\", \"operator\", \"value\" and \"ignoreUnknown\".");
                }
            }

            if (metric is null || op is null || value is null)
            {
                string missing = string.Join(", ", new[] { metric is null ? "\"metric\"" : null, op is null ? "\"operator\"" : null, value is null ? "\"value\"" : null }.OfType<string>());
                throw new QualityConfigurationException(source, $"{at}{(metric is null ? string.Empty : $" ({metric})")}: missing {missing}.");
            }

            try
            {
                conditions.Add(new QualityGateCondition(metric, op.Value, value.Value) { IgnoreUnknown = ignoreUnknown });
            }
            catch (ArgumentException e)
            {
                throw new QualityConfigurationException(source, $"{at}: {WithoutParameter(e)}", e);
            }
        }

        if (conditions.Count == 0)
        {
            throw new QualityConfigurationException(source, "\"gate\" is an empty list; give at least one condition or leave the section out to use the default gate.");
        }

        return new QualityGate(conditions);
    }

    private static decimal ReadDecimal(string source, string at, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new QualityConfigurationException(source, $"{at}: expected a number, not {Describe(value)}.");
        }

        // TryGetDecimal parses the number's own text, so 79.999 stays 79.999 (no double in between).
        return value.TryGetDecimal(out decimal exact)
            ? exact
            : throw new QualityConfigurationException(source, $"{at}: the number {value.GetRawText()} does not fit a decimal.");
    }

    private static ThresholdDirection ReadDirection(string source, string at, JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                { } s when s.Equals("higherIsBetter", StringComparison.OrdinalIgnoreCase) => ThresholdDirection.HigherIsBetter,
                { } s when s.Equals("lowerIsBetter", StringComparison.OrdinalIgnoreCase) => ThresholdDirection.LowerIsBetter,
                _ => throw new QualityConfigurationException(source, $"{at}: unknown direction {value.GetRawText()}; use \"higherIsBetter\" or \"lowerIsBetter\"."),
            }
            : throw new QualityConfigurationException(source, $"{at}: expected \"higherIsBetter\" or \"lowerIsBetter\", not {Describe(value)}.");

    private static QualityGateOperator ReadOperator(string source, string at, JsonElement value)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text?.ToUpperInvariant() switch
        {
            "ATLEAST" or ">=" => QualityGateOperator.AtLeast,
            "ATMOST" or "<=" => QualityGateOperator.AtMost,
            "LESSTHAN" or "<" => QualityGateOperator.LessThan,
            "GREATERTHAN" or ">" => QualityGateOperator.GreaterThan,
            _ => throw new QualityConfigurationException(source, $"{at}: unknown operator {value.GetRawText()}; use \"atLeast\" (>=), \"atMost\" (<=), \"lessThan\" (<) or \"greaterThan\" (>)."),
        };
    }

    private static string Describe(JsonElement value)
    {
        string raw = value.GetRawText();
        if (raw.Length > 40)
        {
            raw = raw[..40] + "…";
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
            ? raw
            : $"{value.ValueKind.ToString().ToLowerInvariant()} {raw}";
    }
}
