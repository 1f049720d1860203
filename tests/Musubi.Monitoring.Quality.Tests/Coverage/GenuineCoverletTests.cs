namespace Musubi.Monitoring.Quality.Tests.Coverage;

/// <summary>
/// Files written by the real tools: coverlet.collector 6.0.4 (<c>dotnet test --collect:"XPlat Code Coverage"</c>) and
/// vstest's TRX logger over xunit v3, for a small Cart class with a branch, an uncovered method and an async method.
/// </summary>
public sealed class GenuineCoverletTests
{
    [Fact]
    public void ReadCoverage_Coverlet604_RecomputesFromLinesIgnoringNoisyRates()
    {
        // The file's class says line-rate="0.46659999999999996"; the lines say 7 of 15 for the class and 7 of 20 in all.
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet-6.0.4.cobertura.xml"));

        Assert.Equal(new CoverageSummary(20, 7, 6, 1, 6, 4), report.Summary);
        Assert.Empty(report.Warnings);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796411689), report.Timestamp);
    }

    [Fact]
    public void ReadCoverage_Coverlet604_RootSourceAndRelativeFilenameMakeAnAbsolutePath()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet-6.0.4.cobertura.xml"));

        FileCoverage cart = Assert.Single(report.Files);
        Assert.Equal("/tmp/cov-gen/Shop/Cart.cs", cart.Path);
        Assert.Contains(cart.Methods, m => m.Name == "Shop.Cart/<TotalAsync>d__6::MoveNext" && m.Lines.SequenceEqual([33, 34, 35, 36, 37]));
    }

    [Fact]
    public void Measurements_Coverlet604AndVstestTrx_AreExact()
    {
        IReadOnlyList<QualityMeasurement> coverage = QualityReportMeasurements.Coverage(QualityReportReader.ReadCoverage(Fixtures.Path("coverlet-6.0.4.cobertura.xml")));
        TestRunResults tests = QualityReportReader.ReadTestResults(Fixtures.Path("vstest-xunit.trx"));

        Assert.Equal(35m, coverage[0].Value);
        Assert.Equal(100m / 6, coverage[1].Value);
        Assert.Equal(100m * 4 / 6, coverage[2].Value);
        Assert.Equal((2, 1, 1, 0), (tests.Passed, tests.Failed, tests.Skipped, tests.Flaky));
        Assert.Equal(2m * 100 / 3, QualityReportMeasurements.Tests(tests)[0].Value);
    }

    [Theory]
    [InlineData("coverlet-6.0.4.cobertura.xml")]
    [InlineData("coverlet-6.0.4.info")]
    [InlineData("coverlet-6.0.4.opencover.xml")]
    public void ReadCoverage_OneRunInThreeFormats_GivesTheSameCounts(string name)
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path(name));

        Assert.Equal(new CoverageSummary(20, 7, 6, 1, 6, 4), report.Summary);
        FileCoverage cart = Assert.Single(report.Files);
        Assert.Equal("/tmp/cov-gen/Shop/Cart.cs", cart.Path);
        Assert.Equal(
            ["Shop.Cart::.ctor()", "Shop.Cart::get_Count()", "Shop.Cart::Add(System.Decimal)", "Shop.Cart::Total(System.Decimal)", "Shop.Cart::Remove(System.Decimal)", "Shop.Cart/<TotalAsync>d__6::MoveNext()"],
            cart.Methods.Select(m => m.ToString()));
        Assert.True(cart.TryGetLine(11, out LineCoverage line));
        Assert.Equal(new LineCoverage(11, 3, 2, 1), line);
    }

    [Fact]
    public void Merge_OneRunInThreeFormats_SumsHitsAndMatchesMethodsAcrossFormats()
    {
        CoverageReport merged = CoverageReport.Merge(
            [.. new[] { "coverlet-6.0.4.cobertura.xml", "coverlet-6.0.4.info", "coverlet-6.0.4.opencover.xml" }.Select(n => QualityReportReader.ReadCoverage(Fixtures.Path(n)))]);

        Assert.Equal(new CoverageSummary(20, 7, 6, 1, 6, 4), merged.Summary);
        Assert.True(Assert.Single(merged.Files).TryGetLine(20, out LineCoverage line));
        Assert.Equal(18, line.Hits);
    }
}

