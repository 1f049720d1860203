namespace Musubi.Monitoring.Quality;

/// <summary>The merged coverage of one source file.</summary>
/// <remarks>Immutable and safe to share.</remarks>
public sealed class FileCoverage
{
    private readonly ulong[]?[]? _masks;

    internal FileCoverage(string path, LineCoverage[] lines, ulong[]?[]? masks, MethodCoverage[] methods)
    {
        Path = path;
        LineArray = lines;
        _masks = masks;
        Methods = methods;
        long covered = 0, arms = 0, coveredArms = 0, methodCount = 0, coveredMethods = 0;
        foreach (LineCoverage line in lines)
        {
            covered += line.IsCovered ? 1 : 0;
            arms += line.BranchArms;
            coveredArms += line.CoveredBranchArms;
        }

        foreach (MethodCoverage method in methods)
        {
            bool coverable = false, hit = false;
            foreach (int number in method.Lines)
            {
                if (TryGetLine(number, out LineCoverage line))
                {
                    coverable = true;
                    hit |= line.IsCovered;
                }
            }

            methodCount += coverable ? 1 : 0;
            coveredMethods += hit ? 1 : 0;
        }

        Summary = new CoverageSummary(lines.Length, covered, arms, coveredArms, methodCount, coveredMethods);
    }

    /// <summary>The normalised path (see <see cref="CoveragePaths"/>).</summary>
    public string Path { get; }

    /// <summary>The coverable lines, by ascending line number.</summary>
    public IReadOnlyList<LineCoverage> Lines => LineArray;

    /// <summary>The methods, by first line.</summary>
    public IReadOnlyList<MethodCoverage> Methods { get; }

    /// <summary>The file's counts.</summary>
    public CoverageSummary Summary { get; }

    internal LineCoverage[] LineArray { get; }

    /// <summary>Finds a coverable line.</summary>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="line">The line, when it is coverable.</param>
    /// <returns>Whether the line is coverable in this file.</returns>
    public bool TryGetLine(int lineNumber, out LineCoverage line)
    {
        int index = IndexOf(lineNumber);
        line = index >= 0 ? LineArray[index] : default;
        return index >= 0;
    }

    /// <inheritdoc/>
    public override string ToString() => Path;

    internal ulong[]? MaskAt(int index) => _masks?[index];

    private int IndexOf(int lineNumber)
    {
        int lo = 0, hi = LineArray.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            int current = LineArray[mid].LineNumber;
            if (current == lineNumber)
            {
                return mid;
            }

            if (current < lineNumber)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
