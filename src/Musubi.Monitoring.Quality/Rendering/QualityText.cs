using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>The culture-invariant text pieces the dashboards share: displayed values, status words, threshold text.</summary>
internal static class QualityText
{
    /// <summary>
    /// A value for display with at most two decimals, cut toward the worse side of its threshold and never rounded
    /// past it: 79.999% (higher is better) shows as 79.99%, 3.001 flaky tests (lower is better) as 3.01. Counts are whole.
    /// </summary>
    public static string Value(decimal? value, QualityUnit unit, ThresholdDirection? direction)
    {
        if (value is not { } v)
        {
            return "UNKNOWN";
        }

        if (unit == QualityUnit.Count)
        {
            return v.ToString("0", CultureInfo.InvariantCulture);
        }

        decimal scaled = v * 100m;
        decimal cut = (direction == ThresholdDirection.LowerIsBetter ? decimal.Ceiling(scaled) : decimal.Floor(scaled)) / 100m;
        return cut.ToString("0.00", CultureInfo.InvariantCulture) + (unit == QualityUnit.Percent ? "%" : string.Empty);
    }

    /// <summary>An exact number as invariant text, without trailing zeros of its scale ("80", "79.999").</summary>
    public static string Exact(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A gate's actual value: exact up to four decimals ("79.999"); a longer one is cut to four decimals toward the
    /// side that fails <paramref name="op"/> and marked "…" (94.770947… for at least, 0.0001… for at most), so a
    /// failing value never reads as passing.
    /// </summary>
    public static string GateValue(decimal value, QualityGateOperator op) =>
        Cut(value, towardHigher: op is QualityGateOperator.AtMost or QualityGateOperator.LessThan);

    /// <summary>A measured value in an alert or log line: <see cref="GateValue"/>'s rule, cut toward the worse side of the threshold.</summary>
    public static string AlertValue(decimal value, ThresholdDirection direction) =>
        Cut(value, towardHigher: direction == ThresholdDirection.LowerIsBetter);

    /// <summary>A value with no threshold to side with: <see cref="GateValue"/>'s rule, cut toward zero.</summary>
    public static string Shown(decimal value) => Cut(value, towardHigher: value < 0);

    private static string Cut(decimal value, bool towardHigher)
    {
        const decimal Scale = 10_000m;
        decimal scaled = value * Scale;
        if (scaled == decimal.Truncate(scaled))
        {
            return Exact(value);
        }

        decimal cut = (towardHigher ? decimal.Ceiling(scaled) : decimal.Floor(scaled)) / Scale;
        return cut.ToString("0.0000", CultureInfo.InvariantCulture) + "…";
    }

    public static string Word(QualityStatus status) => status switch
    {
        QualityStatus.Healthy => "HEALTHY",
        QualityStatus.Warning => "WARNING",
        QualityStatus.Critical => "CRITICAL",
        _ => "UNKNOWN",
    };

    public static string Label(QualityStatus status, bool unicode) => unicode
        ? status switch
        {
            QualityStatus.Healthy => "✔ HEALTHY",
            QualityStatus.Warning => "⚠ WARNING",
            QualityStatus.Critical => "✖ CRITICAL",
            _ => "? UNKNOWN",
        }
        : status switch
        {
            QualityStatus.Healthy => "[OK]",
            QualityStatus.Warning => "[WARN]",
            QualityStatus.Critical => "[CRIT]",
            _ => "[UNKNOWN]",
        };

    public static string Label(QualityMetricEvaluation metric, bool unicode) =>
        metric.HasThreshold ? Label(metric.Status, unicode) : unicode ? "- no threshold" : "[-] no threshold";

    /// <summary>"healthy ≥ 80%, critical &lt; 60%" (or with <c>&gt;=</c> in ASCII); "-" without a threshold.</summary>
    public static string Threshold(QualityThreshold? threshold, QualityUnit unit, bool unicode)
    {
        if (threshold is null)
        {
            return "-";
        }

        string suffix = unit == QualityUnit.Percent ? "%" : string.Empty;
        bool higher = threshold.Direction == ThresholdDirection.HigherIsBetter;
        string healthyOp = higher ? (unicode ? "≥" : ">=") : (unicode ? "≤" : "<=");
        string criticalOp = higher ? "<" : ">";
        return $"healthy {healthyOp} {Exact(threshold.Healthy)}{suffix}, critical {criticalOp} {Exact(threshold.Critical)}{suffix}";
    }

    public static string Unit(QualityUnit unit) => unit switch
    {
        QualityUnit.Percent => "percent",
        QualityUnit.Count => "count",
        _ => "number",
    };

    public static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
