namespace Musubi.Monitoring.Quality;

/// <summary>One coverable source line: how often it ran and how many of its branch arms were taken.</summary>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Hits">How often the line ran, summed over the merged reports.</param>
/// <param name="BranchArms">The branch arms on the line; 0 when the line has no branch.</param>
/// <param name="CoveredBranchArms">The arms taken at least once (see <see cref="CoverageReport"/> for how arms are merged).</param>
public readonly record struct LineCoverage(int LineNumber, long Hits, int BranchArms, int CoveredBranchArms)
{
    /// <summary>Whether any merged report ran the line.</summary>
    public bool IsCovered => Hits > 0;

    /// <summary>Whether the line has branch arms.</summary>
    public bool HasBranches => BranchArms > 0;
}
