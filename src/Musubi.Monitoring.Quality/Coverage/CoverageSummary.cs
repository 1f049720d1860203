namespace Musubi.Monitoring.Quality;

/// <summary>Counts of a coverage report or of one file: the numerators and denominators of the coverage metrics.</summary>
/// <param name="CoverableLines">Lines that could run.</param>
/// <param name="CoveredLines">Coverable lines that ran at least once.</param>
/// <param name="BranchArms">Branch arms on the coverable lines.</param>
/// <param name="CoveredBranchArms">Branch arms taken at least once.</param>
/// <param name="Methods">Methods with at least one coverable line.</param>
/// <param name="CoveredMethods">Methods with at least one covered line.</param>
public readonly record struct CoverageSummary(
    long CoverableLines,
    long CoveredLines,
    long BranchArms,
    long CoveredBranchArms,
    long Methods,
    long CoveredMethods)
{
    internal CoverageSummary Add(CoverageSummary other) => new(
        CoverableLines + other.CoverableLines,
        CoveredLines + other.CoveredLines,
        BranchArms + other.BranchArms,
        CoveredBranchArms + other.CoveredBranchArms,
        Methods + other.Methods,
        CoveredMethods + other.CoveredMethods);
}
