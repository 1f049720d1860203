using Musubi.Monitoring.Quality;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's quality examples.</summary>
public static class QualitySnippets
{
    public static async Task<QualitySnapshot> ReadReports(TimeProvider time, CancellationToken cancellationToken)
    {
        // Several reports: the readable ones merge per file and line; an unreadable one is an error naming its file.
        QualityReportSet set = await QualityReportSet.LoadAsync(
            coveragePaths: ["tests/Shop.Tests/TestResults/coverage.cobertura.xml", "web/coverage/lcov.info"],
            testPaths: ["tests/Shop.Tests/TestResults/shop.trx"],
            cancellationToken);

        foreach (QualityReportError error in set.Errors)
        {
            Console.Error.WriteLine(error.Message);    // Report 'web/coverage/lcov.info': does not exist.
        }

        QualitySnapshot snapshot = set.ToSnapshot(time.GetUtcNow());
        foreach (QualityMeasurement m in snapshot.Measurements)
        {
            Console.WriteLine($"{m.Metric}: {m} {m.UnknownReason}");  // line_coverage: 79.999%, branch_coverage: UNKNOWN no branches
        }

        return snapshot;
    }

    public static async Task<QualitySnapshot> ReadOneFileOrSource(TimeProvider time)
    {
        try
        {
            CoverageReport report = QualityReportReader.ReadCoverage("coverage.cobertura.xml");
            CoverageSummary s = report.Summary;                  // counts recomputed from the lines, rates ignored
            Console.WriteLine($"{s.CoveredLines}/{s.CoverableLines} lines, {s.CoveredBranchArms}/{s.BranchArms} arms");
        }
        catch (QualityReportException ex)
        {
            Console.Error.WriteLine($"{ex.Kind}: {ex.Message}");  // Malformed: Report 'coverage.cobertura.xml' (line 88, position 13): …
        }

        // Finds **/coverage.cobertura.xml and **/*.trx (not under bin/ or obj/) at each collection.
        ReportQualitySource source = ReportQualitySource.ForDirectory(".", time, baselineCoveragePath: "baseline/coverage.cobertura.xml");
        QualitySnapshot now = await source.CollectAsync();
        return now;
    }
}
