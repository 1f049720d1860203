using System.Globalization;

namespace Musubi.Monitoring.Costs.Tests;

/// <summary>The integer path must give exactly what decimal arithmetic gives: the same value and the same scale (text).</summary>
public sealed class ExactCostTests
{
    private static readonly decimal[] s_rates =
    [
        0m, 0.00000015m, 0.000000075m, 0.0000025m, 0.00000125m, 0.000003m, 0.00000375m, 0.000006m, 0.0000003m,
        0.000015m, 0.00001m, 0.0000006m, 1m, 2.5m, 0.0000000001m, 1.000m, 0.10m, 79228162514264337593543950335m,
        decimal.Parse("1.5e-07", NumberStyles.Float, CultureInfo.InvariantCulture), 0.0000000000000000000000000001m,
    ];

    [Fact]
    public void Sum_RandomTokensAndRealRates_MatchesDecimalArithmeticBitForBit()
    {
        var random = new Random(20261204);
        for (int i = 0; i < 20_000; i++)
        {
            long[] tokens = [.. Enumerable.Range(0, 6).Select(_ => Tokens(random))];
            decimal[] rates = [.. Enumerable.Range(0, 6).Select(_ => s_rates[random.Next(s_rates.Length)])];

            decimal[]? expectedParts = Parts(tokens, rates);
            string expectedTotal = expectedParts is null ? "overflow" : AddText(expectedParts);

            string total;
            decimal p0, p1, p2, p3, p4, p5;
            try
            {
                total = ExactCost.Sum(tokens[0], rates[0], tokens[1], rates[1], tokens[2], rates[2], tokens[3], rates[3], tokens[4], rates[4], tokens[5], rates[5],
                    out p0, out p1, out p2, out p3, out p4, out p5).ToString(CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                total = "overflow";
                p0 = p1 = p2 = p3 = p4 = p5 = 0m;
            }

            Assert.Equal(expectedTotal, total);
            if (expectedParts is not null && total != "overflow")
            {
                Assert.Equal(expectedParts.Select(Text), new[] { p0, p1, p2, p3, p4, p5 }.Select(Text));
            }
        }
    }

    [Fact]
    public void Sum_ZeroTokens_KeepTheRateScaleLikeDecimal()
    {
        decimal total = ExactCost.Sum(800, 0.00000015m, 0, 0.000000075m, 0, 0m, 0, 0m, 300, 0.0000006m, 0, 0m,
            out decimal input, out decimal cached, out _, out _, out decimal output, out _);

        Assert.Equal(((800 * 0.00000015m) + (0 * 0.000000075m) + (300 * 0.0000006m)).ToString(CultureInfo.InvariantCulture), total.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.000000000", cached.ToString(CultureInfo.InvariantCulture));
        Assert.Equal((input, output), (0.00012m, 0.00018m));
    }

    private static long Tokens(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => random.Next(1, 10_000),
        2 => random.NextInt64(1, 10_000_000_000),
        _ => random.NextInt64(1, long.MaxValue),
    };

    private static decimal[]? Parts(long[] tokens, decimal[] rates)
    {
        try
        {
            return [.. tokens.Select((t, k) => t * rates[k])];
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string AddText(decimal[] parts)
    {
        try
        {
            return Text(parts[0] + parts[1] + parts[2] + parts[3] + parts[4] + parts[5]);
        }
        catch (OverflowException)
        {
            return "overflow";
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
