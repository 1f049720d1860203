using System.Numerics;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// The cost parts and their sum in integer arithmetic, giving bit for bit what <see cref="decimal"/> multiplication and
/// addition give (the same value and the same scale, so the same text) when every figure fits in decimal's 96-bit
/// mantissa — the case for any real call. <see cref="decimal"/> operations align scales with repeated multiplications
/// by ten; on the recording hot path that was most of the cost. Anything larger falls back to <see cref="decimal"/>.
/// </summary>
internal static class ExactCost
{
    private const int MaxBits = 96;

    private static readonly UInt128[] s_powersOfTen = PowersOfTen();

    /// <summary>The six parts (token count × rate) and their sum, in the order <see cref="CostBreakdown.Total"/> adds them.</summary>
    /// <remarks>Token counts are zero or more and rates are zero or more (both are validated where they are made).</remarks>
    public static decimal Sum(
        long tokens0, decimal rate0, long tokens1, decimal rate1, long tokens2, decimal rate2,
        long tokens3, decimal rate3, long tokens4, decimal rate4, long tokens5, decimal rate5,
        out decimal part0, out decimal part1, out decimal part2, out decimal part3, out decimal part4, out decimal part5)
    {
        if (TryProduct(tokens0, rate0, out UInt128 m0, out int s0)
            && TryProduct(tokens1, rate1, out UInt128 m1, out int s1)
            && TryProduct(tokens2, rate2, out UInt128 m2, out int s2)
            && TryProduct(tokens3, rate3, out UInt128 m3, out int s3)
            && TryProduct(tokens4, rate4, out UInt128 m4, out int s4)
            && TryProduct(tokens5, rate5, out UInt128 m5, out int s5))
        {
            int scale = Math.Max(Math.Max(Math.Max(s0, s1), Math.Max(s2, s3)), Math.Max(s4, s5));
            if (TryAlign(m0, s0, scale, out UInt128 a0) && TryAlign(m1, s1, scale, out UInt128 a1)
                && TryAlign(m2, s2, scale, out UInt128 a2) && TryAlign(m3, s3, scale, out UInt128 a3)
                && TryAlign(m4, s4, scale, out UInt128 a4) && TryAlign(m5, s5, scale, out UInt128 a5))
            {
                UInt128 total = a0 + a1 + a2 + a3 + a4 + a5;   // each < 2^96: no UInt128 overflow
                if (BitLength(total) <= MaxBits)
                {
                    part0 = ToDecimal(m0, s0);
                    part1 = ToDecimal(m1, s1);
                    part2 = ToDecimal(m2, s2);
                    part3 = ToDecimal(m3, s3);
                    part4 = ToDecimal(m4, s4);
                    part5 = ToDecimal(m5, s5);
                    return ToDecimal(total, scale);
                }
            }
        }

        part0 = tokens0 * rate0;
        part1 = tokens1 * rate1;
        part2 = tokens2 * rate2;
        part3 = tokens3 * rate3;
        part4 = tokens4 * rate4;
        part5 = tokens5 * rate5;
        return part0 + part1 + part2 + part3 + part4 + part5;
    }

    /// <summary>tokens × rate as decimal keeps it: the rate's scale and the exact product, when it fits in 96 bits.</summary>
    private static bool TryProduct(long tokens, decimal rate, out UInt128 mantissa, out int scale)
    {
        if (tokens == 0)
        {
            // 0 × rate is zero at the rate's scale (0.000000000 for a rate of 0.000000075; rates are never negative).
            mantissa = 0;
            scale = rate.Scale;
            return true;
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(rate, bits);
        scale = (bits[3] >> 16) & 0xFF;
        ulong low = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        if (bits[2] == 0)
        {
            // Every real per-token rate: a 64-bit mantissa, so one 64 × 64 multiplication.
            mantissa = Math.BigMul(low, (ulong)tokens);
            return tokens >= 0 && bits[3] >= 0 && BitLength(low) + BitLength((ulong)tokens) <= MaxBits;
        }

        UInt128 rateMantissa = ((UInt128)(uint)bits[2] << 64) | low;
        mantissa = rateMantissa * (ulong)tokens;
        return tokens >= 0 && bits[3] >= 0 && BitLength(rateMantissa) + BitLength((ulong)tokens) <= MaxBits;
    }

    private static bool TryAlign(UInt128 mantissa, int scale, int target, out UInt128 aligned)
    {
        if (mantissa == 0 || scale == target)
        {
            aligned = mantissa;
            return true;
        }

        UInt128 factor = s_powersOfTen[target - scale];
        if (BitLength(mantissa) + BitLength(factor) > MaxBits)
        {
            aligned = default;
            return false;
        }

        aligned = mantissa <= ulong.MaxValue && factor <= ulong.MaxValue
            ? Math.BigMul((ulong)mantissa, (ulong)factor)
            : mantissa * factor;
        return true;
    }

    private static decimal ToDecimal(UInt128 mantissa, int scale) =>
        new((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), isNegative: false, (byte)scale);

    private static int BitLength(UInt128 value) => 128 - (int)UInt128.LeadingZeroCount(value);

    private static int BitLength(ulong value) => 64 - BitOperations.LeadingZeroCount(value);

    private static UInt128[] PowersOfTen()
    {
        var powers = new UInt128[29];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
