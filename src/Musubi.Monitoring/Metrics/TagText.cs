using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Musubi.Monitoring.Metrics.Exposition;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// Turns tag values into the text a label carries, so that values of different CLR types that print the
/// same (<c>1</c>, <c>1L</c>, <c>"1"</c>) land in one series. Formatting is culture-invariant; doubles print
/// as Prometheus prints numbers; booleans print lower case.
/// </summary>
internal static class TagText
{
    /// <summary>Large enough for any primitive, Guid or date in invariant form.</summary>
    public const int BufferLength = 64;

    /// <summary>Gets the text of <paramref name="value"/> without allocating for strings and primitives.</summary>
    /// <param name="value">The tag value.</param>
    /// <param name="buffer">Scratch space of <see cref="BufferLength"/> chars.</param>
    /// <param name="allocated">Set when the text did not fit a span and a string was made.</param>
    public static ReadOnlySpan<char> AsSpan(object? value, Span<char> buffer, out string? allocated)
    {
        allocated = null;
        switch (value)
        {
            case null:
                return default;
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case double d:
                return FormatDouble(d, buffer);
            case float f:
                return FormatDouble(ShortestDouble(f), buffer);
            case char c:
                buffer[0] = c;
                return buffer[..1];
            case Enum:
                allocated = value.ToString();
                return allocated;
            case ISpanFormattable formattable when formattable.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture):
                return buffer[..written];
            default:
                allocated = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                return allocated;
        }
    }

    /// <summary>Gets the text of <paramref name="value"/> as a string.</summary>
    public static string ToText(object? value)
    {
        if (value is string s)
        {
            return s;
        }

        Span<char> buffer = stackalloc char[BufferLength];
        ReadOnlySpan<char> span = AsSpan(value, buffer, out string? allocated);
        return allocated ?? span.ToString();
    }

    /// <summary>
    /// Converts a float to the double that prints like the float (0.025f → 0.025, not 0.0250000003725…).
    /// </summary>
    public static double ShortestDouble(float value)
    {
        if (!float.IsFinite(value))
        {
            return value;
        }

        Span<char> buffer = stackalloc char[32];
        value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
        return double.Parse(buffer[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A fast, non-cryptographic hash of chars (not randomised: the table is private to the process).</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong hash = 0x9E3779B97F4A7C15UL ^ (ulong)text.Length;
        ReadOnlySpan<ulong> blocks = MemoryMarshal.Cast<char, ulong>(text);
        foreach (ulong block in blocks)
        {
            hash = BitOperations.RotateLeft((hash ^ block) * 0xFF51AFD7ED558CCDUL, 29);
        }

        for (int i = blocks.Length * 4; i < text.Length; i++)
        {
            hash = BitOperations.RotateLeft((hash ^ text[i]) * 0xC4CEB9FE1A85EC53UL, 23);
        }

        hash ^= hash >> 31;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 29);
    }

    private static ReadOnlySpan<char> FormatDouble(double value, Span<char> buffer)
    {
        Span<byte> ascii = stackalloc byte[PrometheusNumber.MaxLength];
        int n = PrometheusNumber.Format(value, ascii, canonical: false);
        for (int i = 0; i < n; i++)
        {
            buffer[i] = (char)ascii[i];
        }

        return buffer[..n];
    }
}
