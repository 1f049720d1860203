namespace Musubi.Monitoring.Quality;

/// <summary>Line, branch and method coverage per source file, read from one report or merged from several.</summary>
/// <remarks>
/// <para>
/// Files are identified by their normalised path (<see cref="CoveragePaths"/>). Merging several reports works per
/// file and line: a line's hits are summed, so a line is covered when any report hit it; its branch arms are the
/// union of the arms each report covered; a method's lines are the union of its lines (methods are matched by
/// name and signature).
/// </para>
/// <para>
/// Branch arms: lcov (<c>BRDA</c> block and branch) and OpenCover (branch point offset and path) name each arm, so
/// a line's arms are numbered in the order they first appear and the union of covered arms is exact between such
/// reports. Cobertura only counts them (<c>condition-coverage="50% (1/2)"</c>); when either side of a merge only
/// counts, which arms were covered is unknown, so the merged line keeps the larger covered count (the union's
/// lower bound — never more than some report saw) and the larger number of arms. Two coverlet runs that covered
/// different arms of the same line therefore merge to the larger of the two counts, not their sum.
/// </para>
/// <para>
/// Inside one report, a line listed twice (partial classes, a class's lines repeated under its methods) is the
/// same execution: the larger hit count is kept, never the sum. Immutable and safe to share.
/// </para>
/// </remarks>
public sealed class CoverageReport
{
    private readonly Dictionary<string, FileCoverage> _byPath;

    internal CoverageReport(FileCoverage[] files, string[] sources, string[] warnings, DateTimeOffset? timestamp)
    {
        Files = files;
        Sources = sources;
        Warnings = warnings;
        Timestamp = timestamp;
        _byPath = new Dictionary<string, FileCoverage>(files.Length, CoveragePaths.Comparer);
        CoverageSummary summary = default;
        foreach (FileCoverage file in files)
        {
            _byPath[file.Path] = file;
            summary = summary.Add(file.Summary);
        }

        Summary = summary;
    }

    /// <summary>A report with no files.</summary>
    public static CoverageReport Empty { get; } = new([], [], [], null);

    /// <summary>The files, by ordinal path.</summary>
    public IReadOnlyList<FileCoverage> Files { get; }

    /// <summary>The counts over every file.</summary>
    public CoverageSummary Summary { get; }

    /// <summary>The report files this coverage was read from.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>What was tolerated while reading, each naming its report file.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>When the (newest) report was produced, when the format says so.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>Finds a file by path; the path is normalised first.</summary>
    /// <param name="path">The source file path.</param>
    /// <param name="file">The file, when the report has it.</param>
    /// <returns>Whether the report has the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    public bool TryGetFile(string path, out FileCoverage file) =>
        _byPath.TryGetValue(CoveragePaths.Normalize(path), out file!);

    /// <summary>Merges reports per file and line as described on <see cref="CoverageReport"/>.</summary>
    /// <param name="reports">The reports.</param>
    /// <returns>The merged report; <see cref="Empty"/> for none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reports"/> or one of them is <see langword="null"/>.</exception>
    public static CoverageReport Merge(IEnumerable<CoverageReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var builder = new CoverageBuilder();
        foreach (CoverageReport report in reports)
        {
            ArgumentNullException.ThrowIfNull(report, nameof(reports));
            foreach (FileCoverage file in report.Files)
            {
                builder.File(file.Path).AddFile(file, sumHits: true);
            }

            builder.Sources.AddRange(report.Sources);
            builder.Warnings.AddRange(report.Warnings);
            if (report.Timestamp is { } timestamp && (builder.Timestamp is null || timestamp > builder.Timestamp))
            {
                builder.Timestamp = timestamp;
            }
        }

        return builder.Build();
    }
}
