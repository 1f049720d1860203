using System.Numerics;

namespace Musubi.Monitoring.Quality;

/// <summary>The mutable state of one line while reports are read and merged.</summary>
/// <remarks>
/// Branch arms are identified when the format names them (lcov <c>BRDA</c> block and branch, OpenCover branch points):
/// each arm of a line gets an index in the order it first appears and <see cref="Mask"/> has a bit per covered arm.
/// When the format only counts them (Cobertura <c>condition-coverage="50% (1/2)"</c>) <see cref="Mask"/> is
/// <see langword="null"/> and <see cref="CoveredCount"/> holds the count.
/// </remarks>
internal struct LineState
{
    public long Hits;
    public int Arms;
    public int CoveredCount;
    public ulong[]? Mask;

    public readonly int Covered => Mask is null ? CoveredCount : Math.Min(Arms, PopCount(Mask));

    public static LineState FromCoverage(LineCoverage line, ulong[]? mask) => new()
    {
        Hits = line.Hits,
        Arms = line.BranchArms,
        CoveredCount = line.CoveredBranchArms,
        Mask = mask is null ? null : (ulong[])mask.Clone(),
    };

    public readonly LineCoverage ToCoverage(int lineNumber) => new(lineNumber, Hits, Arms, Covered);

    /// <summary>Adds another observation of the same line.</summary>
    /// <param name="other">The other observation.</param>
    /// <param name="sumHits">Whether hits add up (another run) or the larger count wins (the same run seen twice).</param>
    public void Combine(in LineState other, bool sumHits)
    {
        Hits = sumHits ? SaturatingAdd(Hits, other.Hits) : Math.Max(Hits, other.Hits);
        if (other.Arms == 0)
        {
            return;
        }

        if (Arms == 0)
        {
            Arms = other.Arms;
            CoveredCount = other.CoveredCount;
            Mask = other.Mask is null ? null : (ulong[])other.Mask.Clone();
            return;
        }

        if (Mask is not null && other.Mask is not null)
        {
            // Both name their arms: the union of covered arms is exact.
            if (other.Mask.Length > Mask.Length)
            {
                Array.Resize(ref Mask, other.Mask.Length);
            }

            for (int i = 0; i < other.Mask.Length; i++)
            {
                Mask[i] |= other.Mask[i];
            }

            Arms = Math.Max(Arms, other.Arms);
            return;
        }

        // One side only counts its arms, so which arms it covered is unknown: the larger count is the union's
        // lower bound, and the merged line becomes count-only. Never more arms are claimed than one report saw.
        int covered = Math.Max(Covered, other.Covered);
        Arms = Math.Max(Arms, other.Arms);
        CoveredCount = Math.Min(covered, Arms);
        Mask = null;
    }

    public void SetArm(int index, bool taken)
    {
        Mask ??= new ulong[(index / 64) + 1];
        if (index / 64 >= Mask.Length)
        {
            Array.Resize(ref Mask, (index / 64) + 1);
        }

        if (taken)
        {
            Mask[index / 64] |= 1UL << (index % 64);
        }

        Arms = Math.Max(Arms, index + 1);
    }

    private static int PopCount(ulong[] mask)
    {
        int count = 0;
        foreach (ulong word in mask)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
