using System.Globalization;

namespace Musubi.Monitoring.Metrics;

/// <summary>Validation of histogram bucket bounds, shared by options and instrument creation.</summary>
internal static class HistogramBuckets
{
    /// <summary>Returns an error naming <paramref name="what"/> and the bad value, or <see langword="null"/> when valid.</summary>
    public static string? Validate(IEnumerable<double>? bounds, string what)
    {
        if (bounds is null)
        {
            return $"{what} is null; give ascending, distinct, finite bucket upper bounds.";
        }

        double previous = double.NegativeInfinity;
        int index = 0;
        foreach (double bound in bounds)
        {
            if (!double.IsFinite(bound))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{what}[{index}] is {bound}; bucket bounds must be finite (the +Inf bucket is always added).");
            }

            if (index > 0 && bound <= previous)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{what}[{index}] is {bound} after {previous}; bucket bounds must be ascending and distinct.");
            }

            previous = bound;
            index++;
        }

        return index == 0 ? $"{what} is empty; give at least one bucket upper bound." : null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="bounds"/> is invalid.</summary>
    public static double[] Require(IEnumerable<double>? bounds, string paramName)
    {
        if (Validate(bounds, paramName) is { } error)
        {
            throw new ArgumentException(error, paramName);
        }

        return [.. bounds!];
    }
}
