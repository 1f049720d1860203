using System.Globalization;
using System.Text;

namespace Musubi.Monitoring.Slo;

/// <summary>Culture-invariant numbers and Prometheus durations for generated rules.</summary>
internal static class SloNumber
{
    /// <summary>A decimal without trailing zeros or exponent: <c>0.0144</c>, <c>14.4</c>, <c>1</c>.</summary>
    public static string Format(decimal value)
    {
        string text = value.ToString("0.############################", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>A Prometheus duration built from the largest units that divide it: <c>5m</c>, <c>1h30m</c>, <c>3d</c>, <c>30d</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The span is not a positive whole number of milliseconds.</exception>
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero || span.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "A Prometheus duration must be a positive whole number of milliseconds.");
        }

        long ms = (long)span.TotalMilliseconds;
        var text = new StringBuilder();
        foreach ((string unit, long size) in new[] { ("d", 86_400_000L), ("h", 3_600_000L), ("m", 60_000L), ("s", 1_000L), ("ms", 1L) })
        {
            if (ms >= size)
            {
                text.Append((ms / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms %= size;
            }
        }

        return text.ToString();
    }
}
