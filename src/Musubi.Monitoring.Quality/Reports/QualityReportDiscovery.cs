using System.Text.RegularExpressions;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Musubi.Monitoring.Quality;

/// <summary>Finds the coverage and test reports a test run left under a folder.</summary>
/// <remarks>
/// Finds <c>**/coverage.cobertura.xml</c> (coverlet's collector and msbuild default name) and <c>**/*.trx</c>,
/// skipping <c>bin</c>, <c>obj</c>, <c>node_modules</c> and <c>.git</c> folders, where build outputs and copies of
/// fixtures live rather than results, and the copies the TRX logger keeps of a run's attachments
/// (<c>&lt;user&gt;_&lt;machine&gt;_&lt;yyyy-MM-dd_HH_mm_ss&gt;/In/&lt;machine&gt;/</c>), which would count every file twice.
/// Every other report found is returned: coverlet's collector writes each run to a new
/// <c>TestResults/&lt;guid&gt;/</c> folder, so clean <c>TestResults</c> (or pass <c>--results-directory</c> to a fresh
/// folder) before the run, or old runs are merged with the new one. Thread-safe.
/// </remarks>
public static partial class QualityReportDiscovery
{
    /// <summary>The file pattern of coverage reports.</summary>
    public const string CoveragePattern = "**/coverage.cobertura.xml";

    /// <summary>The file pattern of test reports.</summary>
    public const string TestPattern = "**/*.trx";

    private static readonly string[] s_excluded = ["**/bin/**", "**/obj/**", "**/node_modules/**", "**/.git/**"];

    /// <summary>Finds the reports under <paramref name="root"/>.</summary>
    /// <param name="root">The folder to search, recursively.</param>
    /// <returns>The full paths of the reports found.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist; the message names it.</exception>
    public static QualityReportPaths Find(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The folder '{root}' to search for quality reports does not exist.");
        }

        return new QualityReportPaths(Match(root, CoveragePattern), Match(root, TestPattern));
    }

    private static string[] Match(string root, string pattern)
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddInclude(pattern);
        matcher.AddExcludePatterns(s_excluded);
        string[] found = [.. matcher.GetResultsInFullPath(root).Where(p => !TrxDeploymentCopy().IsMatch(p))];
        Array.Sort(found, StringComparer.Ordinal);
        return found;
    }

    /// <summary>A path inside a TRX logger's deployment folder: <c>…/ana_host_2026-12-04_22_19_01/In/…</c>.</summary>
    [GeneratedRegex(@"[/\\][^/\\]*_\d{4}-\d{2}-\d{2}_\d{2}_\d{2}_\d{2}[/\\]In[/\\]", RegexOptions.CultureInvariant)]
    private static partial Regex TrxDeploymentCopy();
}
