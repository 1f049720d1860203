using System.Buffers.Text;
using System.Globalization;

namespace Musubi.Monitoring.Metrics.Exposition;

/// <summary>
/// Formats doubles the way Prometheus' own Go clients do (<c>strconv.FormatFloat(v, 'g', -1, 64)</c>):
/// the shortest text that parses back to the same double, with an exponent only below 1e-4 or from 1e6 up.
/// The canonical form of OpenMetrics adds <c>.0</c> to integral numbers written without an exponent.
/// </summary>
internal static class PrometheusNumber
{
    /// <summary>Longest output: sign, 17 digits, point, "e-308" and spare.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="value"/> as ASCII into <paramref name="destination"/>.</summary>
    /// <param name="value">The number.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <param name="canonical">Whether to write OpenMetrics' canonical form (integral numbers end in <c>.0</c>).</param>
    /// <returns>The number of bytes written.</returns>
    public static int Format(double value, Span<byte> destination, bool canonical)
    {
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "+Inf"u8 : "-Inf"u8, destination);
        }

        // Fast path: integral values below 1e6 print as plain digits in Go's %g.
        if (value == Math.Floor(value) && Math.Abs(value) < 1e6)
        {
            int n;
            if (value == 0 && double.IsNegative(value))
            {
                n = Copy("-0"u8, destination);
            }
            else
            {
                Utf8Formatter.TryFormat((long)value, destination, out n);
            }

            if (canonical)
            {
                destination[n++] = (byte)'.';
                destination[n++] = (byte)'0';
            }

            return n;
        }

        return FormatGeneral(value, destination, canonical);
    }

    /// <summary>Formats a number for the text format 0.0.4: plain digits for integral values that a double holds exactly.</summary>
    public static int FormatPlain(double value, Span<byte> destination)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 9007199254740992d && !(value == 0 && double.IsNegative(value)))
        {
            Utf8Formatter.TryFormat((long)value, destination, out int n);
            return n;
        }

        return Format(value, destination, canonical: false);
    }

    /// <summary>Returns the Go <c>%g</c> text of <paramref name="value"/> (non-canonical) as a string.</summary>
    public static string ToText(double value, bool canonical = false)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        int n = Format(value, buffer, canonical);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    private static int FormatGeneral(double value, Span<byte> destination, bool canonical)
    {
        // Shortest round-trip digits from .NET ("R" is shortest on .NET Core 3.0+), then laid out as Go does.
        Span<char> text = stackalloc char[MaxLength];
        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        bool negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        int exponentAt = text.IndexOfAny('E', 'e');
        int exponent = 0;
        ReadOnlySpan<char> mantissa = text;
        if (exponentAt >= 0)
        {
            exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = text[..exponentAt];
        }

        // Collect the significant digits and where the decimal point falls (digits d1d2... = 0.d1d2... x 10^point).
        Span<byte> digits = stackalloc byte[24];
        int count = 0;
        int point = 0;
        bool seenPoint = false;
        bool leading = true;
        foreach (char c in mantissa)
        {
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }

            if (leading && c == '0')
            {
                if (seenPoint)
                {
                    point--;
                }

                continue;
            }

            leading = false;
            digits[count++] = (byte)c;
            if (!seenPoint)
            {
                point++;
            }
        }

        while (count > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        point += exponent;
        int decimalExponent = point - 1;
        int written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            destination[written++] = digits[0];
            if (count > 1)
            {
                destination[written++] = (byte)'.';
                digits[1..count].CopyTo(destination[written..]);
                written += count - 1;
            }

            destination[written++] = (byte)'e';
            destination[written++] = decimalExponent < 0 ? (byte)'-' : (byte)'+';
            int magnitude = Math.Abs(decimalExponent);
            if (magnitude < 10)
            {
                destination[written++] = (byte)'0';
            }

            Utf8Formatter.TryFormat(magnitude, destination[written..], out int e);
            return written + e;
        }

        if (point <= 0)
        {
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            for (int i = point; i < 0; i++)
            {
                destination[written++] = (byte)'0';
            }

            digits[..count].CopyTo(destination[written..]);
            return written + count;
        }

        for (int i = 0; i < point; i++)
        {
            destination[written++] = i < count ? digits[i] : (byte)'0';
        }

        if (count > point)
        {
            destination[written++] = (byte)'.';
            digits[point..count].CopyTo(destination[written..]);
            written += count - point;
        }
        else if (canonical)
        {
            destination[written++] = (byte)'.';
            destination[written++] = (byte)'0';
        }

        return written;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
