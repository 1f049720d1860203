using System.Globalization;
using System.Xml.Linq;
using Musubi.Monitoring.Quality;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// The quality scenario: the quality dashboard of the repository's own latest test run — the coverlet
/// <c>coverage.cobertura.xml</c> files and TRX results under a <c>TestResults</c> folder, as <c>.ci/run</c> or
/// <c>dotnet test --collect:"XPlat Code Coverage" --logger trx</c> writes them — or, when there is none, of the small
/// report the sample ships (<c>QualityReports/</c>). The reports are read by <see cref="QualityReportSet"/>, evaluated
/// against the default thresholds and gate, and printed as the text dashboard. The line figures are checked against a
/// count made here independently from the Cobertura XML; for the shipped report every figure is checked.
/// </summary>
internal static class QualityScenario
{
    /// <summary>Coverage files written more than this long before the newest one belong to an earlier run.</summary>
    private static readonly TimeSpan s_sameRun = TimeSpan.FromMinutes(30);

    public sealed record Result(string Text, string? Problem);

    public static async Task<Result> RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        Reports reports = FindLatestRun(Directory.GetCurrentDirectory()) ?? Shipped();
        QualityReportSet set = await QualityReportSet.LoadAsync(reports.Coverage, reports.Tests, cancellationToken);
        QualitySnapshot snapshot = set.ToSnapshot(time.GetUtcNow());
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot, QualityThresholdSet.Default);
        QualityGateResult gate = QualityGate.Default.Evaluate(snapshot);
        string dashboard = QualityDashboard.ToText(evaluation, gate, new QualityDashboardOptions
        {
            Width = Console.IsOutputRedirected ? 100 : Math.Clamp(Console.WindowWidth, 40, 160),
            Unicode = Console.OutputEncoding.CodePage == 65001,
        });

        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Quality: {reports.Origin} ({reports.Coverage.Count} coverage file(s), {reports.Tests.Count} TRX file(s))\n");
        foreach (QualityReportError error in set.Errors)
        {
            text.Append(CultureInfo.InvariantCulture, $"  unreadable: {error.Message}\n");
        }

        text.Append(dashboard);
        string? problem = Check(reports, set, snapshot);
        text.Append(problem is null
            ? "  Check: the line figures equal a separate count of the Cobertura <line> elements" + (reports.IsShipped ? " and every figure of the shipped report is as written in it" : string.Empty) + "; OK\n"
            : $"  Check: {problem}\n");
        return new Result(text.ToString(), problem);
    }

    private static string? Check(Reports reports, QualityReportSet set, QualitySnapshot snapshot)
    {
        if (set.Errors.Count > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{set.Errors.Count} report(s) could not be read, first: {set.Errors[0].Message}");
        }

        (long covered, long coverable) = CountLines(reports.Coverage);
        if (!Matches(snapshot, QualityMetrics.LineCoverage, covered, coverable, out string? lineProblem))
        {
            return lineProblem;
        }

        if (!reports.IsShipped)
        {
            return null;
        }

        // What shop.cobertura.xml and shop-tests.trx.xml say in their header comments.
        return Matches(snapshot, QualityMetrics.BranchCoverage, 3, 6, out string? problem)
            && Matches(snapshot, QualityMetrics.MethodCoverage, 5, 6, out problem)
            && Matches(snapshot, QualityMetrics.TestPassRate, 6, 7, out problem)
            && Count(snapshot, QualityMetrics.FailedTests, 1, out problem)
            && Count(snapshot, QualityMetrics.FlakyTests, 1, out problem)
            ? null
            : problem;
    }

    private static bool Matches(QualitySnapshot snapshot, string metric, long numerator, long denominator, out string? problem)
    {
        problem = snapshot.TryGet(metric, out QualityMeasurement measured) && measured.Numerator == numerator && measured.Denominator == denominator
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{metric} is {Describe(snapshot, metric)}, expected {numerator}/{denominator}");
        return problem is null;
    }

    private static bool Count(QualitySnapshot snapshot, string metric, decimal expected, out string? problem)
    {
        problem = snapshot.TryGet(metric, out QualityMeasurement measured) && measured.Value == expected
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{metric} is {Describe(snapshot, metric)}, expected {expected}");
        return problem is null;
    }

    private static string Describe(QualitySnapshot snapshot, string metric) => snapshot.TryGet(metric, out QualityMeasurement m)
        ? string.Create(CultureInfo.InvariantCulture, $"{m} ({m.Numerator}/{m.Denominator})")
        : "missing";

    /// <summary>
    /// Covered and coverable lines over every file, counted from the <c>&lt;line&gt;</c> elements: one line per
    /// source file and number whichever class or method lists it, covered when any report hit it.
    /// </summary>
    private static (long Covered, long Coverable) CountLines(IReadOnlyList<string> coberturaFiles)
    {
        var lines = new Dictionary<(string File, int Number), bool>();
        foreach (string path in coberturaFiles)
        {
            XElement root = XDocument.Load(path).Root!;
            string[] sources = [.. root.Descendants("source").Select(s => s.Value.Trim())];
            foreach (XElement @class in root.Descendants("class"))
            {
                string file = Resolve((string)@class.Attribute("filename")!, sources);
                foreach (XElement line in @class.Descendants("line"))
                {
                    var key = (file, int.Parse((string)line.Attribute("number")!, CultureInfo.InvariantCulture));
                    bool hit = long.Parse((string)line.Attribute("hits")!, CultureInfo.InvariantCulture) > 0;
                    lines[key] = lines.GetValueOrDefault(key) || hit;
                }
            }
        }

        return (lines.Values.LongCount(covered => covered), lines.Count);
    }

    private static string Resolve(string fileName, string[] sources)
    {
        if (Path.IsPathRooted(fileName) || sources.Length == 0)
        {
            return Path.GetFullPath(fileName.Replace('\\', '/'), "/");
        }

        string first = Path.Combine(sources[0], fileName);
        string existing = sources.Select(s => Path.Combine(s, fileName)).FirstOrDefault(File.Exists) ?? first;
        return Path.GetFullPath(existing.Replace('\\', '/'));
    }

    /// <summary>
    /// The newest coverage file under a <c>TestResults</c> folder, with the other coverage and TRX files under that
    /// folder written up to 30 minutes before it: one <c>dotnet test</c> run writes one coverage file per test project
    /// (<c>TestResults/…/&lt;guid&gt;/coverage.cobertura.xml</c>), and older runs stay beside it.
    /// </summary>
    private static Reports? FindLatestRun(string root)
    {
        QualityReportPaths found = QualityReportDiscovery.Find(root);
        FileInfo[] coverage = [.. found.Coverage.Where(IsTestRunOutput).Select(p => new FileInfo(p))];
        if (coverage.Length == 0)
        {
            return null;
        }

        FileInfo newest = coverage.MaxBy(f => f.LastWriteTimeUtc)!;
        string results = TestResultsFolder(newest.FullName)!;
        DateTime since = newest.LastWriteTimeUtc - s_sameRun;
        string[] runCoverage = [.. coverage.Where(f => InRun(f, results, since)).Select(f => f.FullName).Order(StringComparer.Ordinal)];
        string[] runTests = [.. found.Tests.Where(IsTestRunOutput).Select(p => new FileInfo(p))
            .Where(f => InRun(f, results, since)).Select(f => f.FullName).Order(StringComparer.Ordinal)];
        string relative = Path.GetRelativePath(root, results);
        return new Reports(runCoverage, runTests, $"the latest test run in {relative} ({newest.LastWriteTimeUtc:yyyy-MM-dd HH:mm}Z)", IsShipped: false);

        static bool IsTestRunOutput(string path) => TestResultsFolder(path) is not null;

        static bool InRun(FileInfo file, string results, DateTime since) =>
            TestResultsFolder(file.FullName) == results && file.LastWriteTimeUtc >= since;

        static string[] Segments(string path) => Path.GetFullPath(path).Replace('\\', '/').Split('/');

        static string? TestResultsFolder(string path)
        {
            string[] segments = Segments(path);
            int last = Array.FindLastIndex(segments, s => s.Equals("TestResults", StringComparison.OrdinalIgnoreCase));
            return last < 0 ? null : string.Join('/', segments[..(last + 1)]);
        }
    }

    private static Reports Shipped()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "QualityReports");
        return new Reports(
            [Path.Combine(folder, "shop.cobertura.xml")],
            [Path.Combine(folder, "shop-tests.trx.xml")],
            "no test run of this repository found under TestResults/, so the sample's own small report (QualityReports/shop.*)",
            IsShipped: true);
    }

    private sealed record Reports(IReadOnlyList<string> Coverage, IReadOnlyList<string> Tests, string Origin, bool IsShipped);
}
