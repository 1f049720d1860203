using System.Text;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// Maps OpenTelemetry instrument names, units and tag keys to Prometheus names, following the
/// OpenTelemetry-to-Prometheus compatibility rules: invalid characters become <c>_</c>, runs of <c>_</c>
/// collapse, a leading digit gets a <c>_</c> prefix, and UCUM units become word suffixes.
/// </summary>
internal static class PrometheusNaming
{
    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds",
        ["us"] = "microseconds", ["ns"] = "nanoseconds", ["By"] = "bytes", ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["TiBy"] = "tibibytes", ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes", ["GBy"] = "gigabytes", ["TBy"] = "terabytes", ["m"] = "meters",
        ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules", ["W"] = "watts", ["g"] = "grams",
        ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> s_perUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week",
        ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>Sanitises a metric name; <see langword="null"/> when nothing usable is left.</summary>
    public static string? SanitizeMetricName(string? name) => Sanitize(name);

    /// <summary>Sanitises a label name; <see langword="null"/> when nothing usable is left.</summary>
    public static string? SanitizeLabelName(string? name)
    {
        string? sanitized = Sanitize(name);
        if (sanitized is null)
        {
            return null;
        }

        // Names that start with "__" are reserved for Prometheus' own use.
        return sanitized.StartsWith("__", StringComparison.Ordinal) ? sanitized[1..] : sanitized;
    }

    /// <summary>Returns the Prometheus unit word for a UCUM unit, or <see langword="null"/> for none.</summary>
    /// <param name="unit">The instrument's unit.</param>
    /// <param name="isGauge">Whether the metric is a gauge (only gauges get the <c>ratio</c> suffix for unit <c>1</c>).</param>
    public static string? UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return null;
        }

        // Annotations in braces ({request}) carry no unit.
        var stripped = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                stripped.Append(c);
            }
        }

        string u = stripped.ToString().Trim();
        if (u.Length == 0)
        {
            return null;
        }

        if (u == "1")
        {
            return isGauge ? "ratio" : null;
        }

        int slash = u.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && slash < u.Length - 1)
        {
            // "{request}/s" has only the per-unit left once the annotation is gone: "per_second".
            string left = u[..slash].Trim();
            string right = u[(slash + 1)..].Trim();
            string rightWord = s_perUnits.TryGetValue(right, out string? r) ? r : right;
            if (left.Length == 0 || left == "1")
            {
                return Sanitize("per_" + rightWord);
            }

            string leftWord = s_units.TryGetValue(left, out string? l) ? l : left;
            return Sanitize(leftWord + "_per_" + rightWord);
        }

        return Sanitize(s_units.TryGetValue(u, out string? word) ? word : u);
    }

    /// <summary>Builds the base family name: sanitised name plus unit suffix, without <c>_total</c>.</summary>
    public static string? FamilyName(string instrumentName, string? unit, bool isCounter, bool isGauge)
    {
        string? name = Sanitize(instrumentName);
        if (name is null)
        {
            return null;
        }

        if (isCounter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
            if (name.Length == 0)
            {
                return null;
            }
        }

        string? suffix = UnitSuffix(unit, isGauge);
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal) && name != suffix)
        {
            name = name + "_" + suffix;
        }

        return name;
    }

    private static string? Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var builder = new StringBuilder(name.Length + 1);
        bool lastUnderscore = false;
        bool meaningful = false;
        foreach (char c in name)
        {
            bool valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
            if (valid)
            {
                builder.Append(c);
                lastUnderscore = false;
                meaningful = true;
            }
            else if (!lastUnderscore)
            {
                builder.Append('_');
                lastUnderscore = true;
            }
        }

        if (!meaningful)
        {
            return null;
        }

        if (char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
