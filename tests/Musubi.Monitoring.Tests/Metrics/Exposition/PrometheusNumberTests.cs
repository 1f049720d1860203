using Musubi.Monitoring.Metrics.Exposition;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

public sealed class PrometheusNumberTests
{
    // Expected texts are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints.
    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1d, "1")]
    [InlineData(-2d, "-2")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.025, "0.025")]
    [InlineData(100000d, "100000")]
    [InlineData(999999d, "999999")]
    [InlineData(1e6, "1e+06")]
    [InlineData(-1e6, "-1e+06")]
    [InlineData(1234567d, "1.234567e+06")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(1e15, "1e+15")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1.5e-5, "1.5e-05")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1e-300, "1e-300")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(1d / 3, "0.3333333333333333")]
    [InlineData(9007199254740992d, "9.007199254740992e+15")]
    public void ToText_Number_PrintsGoShortestG(double value, string expected)
        => Assert.Equal(expected, PrometheusNumber.ToText(value));

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void ToText_NonFinite_PrintsPrometheusSpelling(double value, string expected)
    {
        Assert.Equal(expected, PrometheusNumber.ToText(value));
        Assert.Equal(expected, PrometheusNumber.ToText(value, canonical: true));
    }

    [Fact]
    public void ToText_NegativeZero_PrintsMinusZeroLikeGo()
    {
        Assert.Equal("-0", PrometheusNumber.ToText(-0.0));
        Assert.Equal("-0.0", PrometheusNumber.ToText(-0.0, canonical: true));
    }

    [Theory]
    [InlineData(0d, "0.0")]
    [InlineData(1d, "1.0")]
    [InlineData(-2d, "-2.0")]
    [InlineData(10d, "10.0")]
    [InlineData(100000d, "100000.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.025, "0.025")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567d, "1.234567e+06")]
    [InlineData(1e-5, "1e-05")]
    public void ToText_Canonical_AddsPointZeroOnlyToIntegralWithoutExponent(double value, string expected)
        => Assert.Equal(expected, PrometheusNumber.ToText(value, canonical: true));

    [Theory]
    [InlineData(1e6, "1000000")]
    [InlineData(1234567d, "1234567")]
    [InlineData(9007199254740991d, "9007199254740991")]
    [InlineData(9007199254740992d, "9.007199254740992e+15")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(double.NaN, "NaN")]
    public void FormatPlain_Number_PrintsExactIntegersAsDigits(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[PrometheusNumber.MaxLength];
        int n = PrometheusNumber.FormatPlain(value, buffer);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(buffer[..n]));
    }

    [Theory]
    [InlineData(double.MaxValue)]
    [InlineData(-double.MaxValue)]
    [InlineData(-2.2250738585072014e-308)]
    [InlineData(-1.2345678901234567e-300)]
    public void Format_LongestNumbers_FitMaxLength(double value)
    {
        Span<byte> buffer = stackalloc byte[PrometheusNumber.MaxLength];
        int n = PrometheusNumber.Format(value, buffer, canonical: true);
        Assert.InRange(n, 1, PrometheusNumber.MaxLength);
        Assert.Equal(value, double.Parse(System.Text.Encoding.ASCII.GetString(buffer[..n]), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ToText_ManyRandomDoubles_RoundTrip()
    {
        var random = new Random(20250102);
        for (int i = 0; i < 20_000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            string text = PrometheusNumber.ToText(value);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(value, double.Parse(PrometheusNumber.ToText(value, canonical: true), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void ToText_GermanCulture_StillUsesPoint()
    {
        using var culture = new CultureScope("de-DE");
        Assert.Equal("0,5", 0.5.ToString(System.Globalization.CultureInfo.CurrentCulture));
        Assert.Equal("0.5", PrometheusNumber.ToText(0.5));
        Assert.Equal("1.234567e+06", PrometheusNumber.ToText(1234567));
    }
}
