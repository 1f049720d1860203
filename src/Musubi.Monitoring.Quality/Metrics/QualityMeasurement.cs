using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// One metric's value at one moment, or <see cref="QualityStatus.Unknown"/> with the reason nothing was measured.
/// </summary>
/// <remarks>
/// A percentage made from counts keeps its numerator and denominator and is computed as
/// <c>numerator * 100 / denominator</c> in <see cref="decimal"/>, so 79 999 of 100 000 lines is exactly 79.999 and
/// never reaches 80 by rounding.
/// </remarks>
public sealed record QualityMeasurement
{
    private QualityMeasurement(string metric, QualityUnit unit, decimal? value, long? numerator, long? denominator, string? unknownReason)
    {
        Metric = metric;
        Unit = unit;
        Value = value;
        Numerator = numerator;
        Denominator = denominator;
        UnknownReason = unknownReason;
    }

    /// <summary>The metric's id, such as <see cref="QualityMetrics.LineCoverage"/>.</summary>
    public string Metric { get; }

    /// <summary>What <see cref="Value"/> counts.</summary>
    public QualityUnit Unit { get; }

    /// <summary>The value; <see langword="null"/> when nothing was measured.</summary>
    public decimal? Value { get; }

    /// <summary>For a percentage made from counts: what was covered or passed.</summary>
    public long? Numerator { get; }

    /// <summary>For a percentage made from counts: what could be covered or was executed (greater than zero).</summary>
    public long? Denominator { get; }

    /// <summary>Why nothing was measured, such as "no coverable lines"; <see langword="null"/> when known.</summary>
    public string? UnknownReason { get; }

    /// <summary>Whether a value was measured.</summary>
    public bool IsKnown => Value is not null;

    /// <summary>A measured value.</summary>
    /// <param name="metric">The metric id: letters, digits, '_', '.' or '-', at most 100 characters.</param>
    /// <param name="value">The value; a <see cref="QualityUnit.Percent"/> is from 0 to 100 and a <see cref="QualityUnit.Count"/> is whole and not negative.</param>
    /// <param name="unit">What the value counts.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is empty or has another character; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> does not fit <paramref name="unit"/>, or <paramref name="unit"/> is undefined.</exception>
    public static QualityMeasurement Known(string metric, decimal value, QualityUnit unit)
    {
        ValidateMetric(metric);
        ValidateUnit(unit);
        if (unit == QualityUnit.Percent && value is < 0m or > 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A percentage for '{metric}' must be from 0 to 100.");
        }

        if (unit == QualityUnit.Count && (value < 0m || decimal.Truncate(value) != value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A count for '{metric}' must be a whole number, not negative.");
        }

        return new QualityMeasurement(metric, unit, value, null, null, null);
    }

    /// <summary>A percentage of <paramref name="numerator"/> over <paramref name="denominator"/>, or unknown when the denominator is 0.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="numerator">What was covered or passed; from 0 to <paramref name="denominator"/>.</param>
    /// <param name="denominator">What could be covered or was executed; 0 gives an unknown measurement.</param>
    /// <param name="unknownReason">The reason given when <paramref name="denominator"/> is 0, such as "no coverable lines".</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> or <paramref name="unknownReason"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the numerator exceeds the denominator.</exception>
    public static QualityMeasurement Ratio(string metric, long numerator, long denominator, string unknownReason)
    {
        ValidateMetric(metric);
        ArgumentException.ThrowIfNullOrWhiteSpace(unknownReason);
        ArgumentOutOfRangeException.ThrowIfNegative(denominator);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        if (numerator > denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), numerator, $"'{metric}' has {numerator} covered of {denominator}; the numerator cannot exceed the denominator.");
        }

        return denominator == 0
            ? new QualityMeasurement(metric, QualityUnit.Percent, null, numerator, denominator, unknownReason)
            : new QualityMeasurement(metric, QualityUnit.Percent, numerator * 100m / denominator, numerator, denominator, null);
    }

    /// <summary>A measurement with no value.</summary>
    /// <param name="metric">The metric id.</param>
    /// <param name="unit">What the value would count.</param>
    /// <param name="reason">Why nothing was measured.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> or <paramref name="reason"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is undefined.</exception>
    public static QualityMeasurement Unknown(string metric, QualityUnit unit, string reason)
    {
        ValidateMetric(metric);
        ValidateUnit(unit);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new QualityMeasurement(metric, unit, null, null, null, reason);
    }

    /// <summary>
    /// The value as invariant text ("79.999%", "12"), or "UNKNOWN". Exact up to four decimals; a longer value is cut
    /// (never rounded) to four and marked "…" ("66.6666…%"). <see cref="Value"/> keeps every digit.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value is { } value
        ? QualityText.Shown(value) + (Unit == QualityUnit.Percent ? "%" : string.Empty)
        : "UNKNOWN";

    internal static void ValidateMetric(string metric)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        if (metric.Length > 100)
        {
            throw new ArgumentException($"Metric id '{metric[..20]}…' is longer than 100 characters.", nameof(metric));
        }

        foreach (char c in metric)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                throw new ArgumentException($"Metric id '{metric}' has '{c}'; use letters, digits, '_', '.' or '-'.", nameof(metric));
            }
        }
    }

    private static void ValidateUnit(QualityUnit unit)
    {
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown quality unit.");
        }
    }
}
