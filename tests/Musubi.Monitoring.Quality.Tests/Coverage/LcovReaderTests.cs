namespace Musubi.Monitoring.Quality.Tests.Coverage;

public sealed class LcovReaderTests
{
    [Fact]
    public void ReadCoverage_Lcov_UsesTheDataNotTheSummaryRecords()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.lcov.info"));

        // LF:99/LH:99 and BRF:40/BRH:40 are ignored; FNDA is not needed.
        Assert.Equal(new CoverageSummary(5, 3, 4, 1, 2, 1), report.Summary);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void ReadCoverage_LcovDashTaken_IsAnArmNotTaken()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.lcov.info"));
        Assert.True(report.TryGetFile("/repo/src/Shop/Cart.cs", out FileCoverage cart));

        Assert.True(cart.TryGetLine(21, out LineCoverage line));
        Assert.Equal(new LineCoverage(21, 0, 2, 0), line);
        Assert.True(cart.TryGetLine(11, out LineCoverage branched));
        Assert.Equal(new LineCoverage(11, 3, 2, 1), branched);
    }

    [Fact]
    public void ReadCoverage_LcovFunctions_OwnTheLinesUpToTheNextFunction()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.lcov.info"));
        Assert.True(report.TryGetFile("/repo/src/Shop/Cart.cs", out FileCoverage cart));

        Assert.Equal(["Add", "Remove"], cart.Methods.Select(m => m.Name));
        Assert.Equal([10, 11, 12], cart.Methods[0].Lines);
        Assert.Equal([20, 21], cart.Methods[1].Lines);
    }

    [Fact]
    public void ReadCoverage_LcovFileWithNoLines_IsListedButCountsNothing()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.lcov.info"));

        Assert.True(report.TryGetFile("/repo/src/Shop/Empty.cs", out FileCoverage empty));
        Assert.Empty(empty.Lines);
    }

    [Fact]
    public void ReadCoverage_Lcov2FunctionEndLines_BoundTheMethod()
    {
        using var temp = new TempFolder();
        string path = temp.Write("a.info", "SF:/a.cs\nFN:1,3,First\nFN:10,Second\nDA:2,1\nDA:5,1\nDA:11,0\nend_of_record\n");

        FileCoverage file = Assert.Single(QualityReportReader.ReadCoverage(path).Files);

        Assert.Equal([2], file.Methods[0].Lines);
        Assert.Equal([11], file.Methods[1].Lines);
        Assert.Equal(2, file.Summary.Methods);
        Assert.Equal(1, file.Summary.CoveredMethods);
    }

    [Fact]
    public void ReadCoverage_LcovWithoutEndOfRecord_KeepsTheDataAndWarns()
    {
        using var temp = new TempFolder();
        string path = temp.Write("cut.info", "TN:\nSF:/a.cs\nDA:1,1\nDA:2,0\n");

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        Assert.Equal(2, report.Summary.CoverableLines);
        Assert.Contains("no end_of_record", Assert.Single(report.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCoverage_LcovBadHits_ThrowsNamingFileAndLine()
    {
        using var temp = new TempFolder();
        string path = temp.Write("bad.info", "TN:\nSF:/a.cs\nDA:1,1\nDA:2,lots\nend_of_record\n");

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path));

        Assert.Equal(QualityReportErrorKind.Malformed, ex.Kind);
        Assert.Equal(4, ex.LineNumber);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lots", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCoverage_ConcatenatedTracefiles_AddUpLikeLcovAdd()
    {
        using var temp = new TempFolder();
        string path = temp.Write("two.info",
            "SF:/a.cs\nDA:1,2\nBRDA:1,0,0,1\nBRDA:1,0,1,0\nend_of_record\n" +
            "SF:/a.cs\nDA:1,3\nBRDA:1,0,0,0\nBRDA:1,0,1,4\nend_of_record\n");

        FileCoverage file = Assert.Single(QualityReportReader.ReadCoverage(path).Files);

        Assert.Equal(new LineCoverage(1, 5, 2, 2), Assert.Single(file.Lines));
    }
}
