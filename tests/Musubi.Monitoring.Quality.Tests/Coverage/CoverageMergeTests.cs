namespace Musubi.Monitoring.Quality.Tests.Coverage;

public sealed class CoverageMergeTests
{
    [Fact]
    public void Merge_TwoLcovReports_SumsHitsAndUnitesNamedArms()
    {
        using var temp = new TempFolder();
        string a = temp.Write("a.info", "SF:/src/a.cs\nFN:1,Run\nDA:1,2\nDA:2,0\nBRDA:1,0,0,1\nBRDA:1,0,1,0\nBRDA:1,0,2,0\nend_of_record\n");
        string b = temp.Write("b.info", "SF:/src/a.cs\nFN:1,Run\nDA:1,3\nDA:2,0\nBRDA:1,0,0,0\nBRDA:1,0,1,5\nBRDA:1,0,2,0\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        FileCoverage file = Assert.Single(merged.Files);
        Assert.Equal(new LineCoverage(1, 5, 3, 2), file.Lines[0]);
        Assert.Equal(new LineCoverage(2, 0, 0, 0), file.Lines[1]);
        Assert.Equal(new CoverageSummary(2, 1, 3, 2, 1, 1), merged.Summary);
        Assert.Equal([a, b], merged.Sources);
    }

    [Fact]
    public void Merge_LineCoveredInOnlyOneReport_IsCovered()
    {
        using var temp = new TempFolder();
        string a = temp.Write("a.info", "SF:/src/a.cs\nDA:1,0\nDA:2,4\nend_of_record\n");
        string b = temp.Write("b.info", "SF:/src/a.cs\nDA:1,1\nDA:2,0\nDA:3,0\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        Assert.Equal(new CoverageSummary(3, 2, 0, 0, 0, 0), merged.Summary);
    }

    [Fact]
    public void Merge_CountOnlyCoberturaArms_KeepTheLargerCountNeverTheSum()
    {
        using var temp = new TempFolder();
        string a = temp.Write("a.xml", Cobertura("/src/a.cs", hits: 1, condition: "50% (1/2)"));
        string b = temp.Write("b.xml", Cobertura("/src/a.cs", hits: 2, condition: "50% (1/2)"));

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        // Which arm each run took is unknown: the union is at least 1 of 2, and 2 of 2 would be a guess.
        Assert.Equal(new LineCoverage(5, 3, 2, 1), Assert.Single(Assert.Single(merged.Files).Lines));
    }

    [Fact]
    public void Merge_NamedArmsWithCountOnlyArms_BecomeCountOnlyWithTheLargerCount()
    {
        using var temp = new TempFolder();
        string lcov = temp.Write("a.info", "SF:/src/a.cs\nDA:5,1\nBRDA:5,0,0,1\nBRDA:5,0,1,0\nend_of_record\n");
        string cobertura = temp.Write("b.xml", Cobertura("/src/a.cs", hits: 1, condition: "50% (1/2)"));
        string lcov2 = temp.Write("c.info", "SF:/src/a.cs\nDA:5,1\nBRDA:5,0,0,0\nBRDA:5,0,1,1\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([.. new[] { lcov, cobertura, lcov2 }.Select(p => QualityReportReader.ReadCoverage(p))]);

        Assert.Equal(new LineCoverage(5, 3, 2, 1), Assert.Single(Assert.Single(merged.Files).Lines));
    }

    [Fact]
    public void Merge_SameFileWithDifferentSeparators_IsOneFile()
    {
        using var temp = new TempFolder();
        string a = temp.Write("a.info", "SF:C:\\repo\\src\\a.cs\nDA:1,1\nend_of_record\n");
        string b = temp.Write("b.info", "SF:C:/repo/src/./lib/../a.cs\nDA:2,1\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        Assert.Equal("C:/repo/src/a.cs", Assert.Single(merged.Files).Path);
        Assert.Equal(2, merged.Summary.CoverableLines);
    }

    [Fact]
    public void Merge_WindowsReportsWhoseDriveLetterCaseDiffers_AreOneFileOnEveryOs()
    {
        // Windows tools disagree on the drive letter's case (C:\ from coverlet, c:\ from others); read on a Linux CI
        // machine, the file counted twice and its coverable lines doubled.
        using var temp = new TempFolder();
        string a = temp.Write("a.info", "SF:C:\\repo\\src\\a.cs\nDA:1,1\nDA:2,0\nend_of_record\n");
        string b = temp.Write("b.info", "SF:c:\\repo\\src\\a.cs\nDA:1,0\nDA:2,1\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        Assert.Equal("C:/repo/src/a.cs", Assert.Single(merged.Files).Path);
        Assert.Equal(2, merged.Summary.CoverableLines);
        Assert.Equal(2, merged.Summary.CoveredLines);
    }

    [Fact]
    public void Merge_MethodsByNameAndSignature_UniteTheirLines()
    {
        using var temp = new TempFolder();
        string a = temp.Write("a.info", "SF:/src/a.cs\nFN:1,2,Run\nDA:1,0\nend_of_record\n");
        string b = temp.Write("b.info", "SF:/src/a.cs\nFN:1,2,Run\nDA:2,1\nend_of_record\n");

        CoverageReport merged = CoverageReport.Merge([QualityReportReader.ReadCoverage(a), QualityReportReader.ReadCoverage(b)]);

        MethodCoverage run = Assert.Single(Assert.Single(merged.Files).Methods);
        Assert.Equal([1, 2], run.Lines);
        Assert.Equal(1, merged.Summary.CoveredMethods);
    }

    [Fact]
    public void Merge_NewestTimestamp_IsKept()
    {
        CoverageReport seconds = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));
        CoverageReport ms = QualityReportReader.ReadCoverage(Fixtures.Path("noise-ms.cobertura.xml"));

        Assert.Equal(ms.Timestamp, CoverageReport.Merge([ms, seconds]).Timestamp);
    }

    [Fact]
    public void Merge_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CoverageReport.Merge(null!));
        Assert.Throws<ArgumentNullException>(() => CoverageReport.Merge([CoverageReport.Empty, null!]));
    }

    [Theory]
    [InlineData(@"a\b\c.cs", "a/b/c.cs")]
    [InlineData("/a//b/./c.cs", "/a/b/c.cs")]
    [InlineData("/a/b/../c.cs", "/a/c.cs")]
    [InlineData("../x/c.cs", "../x/c.cs")]
    [InlineData(@"\\server\share\c.cs", "//server/share/c.cs")]
    [InlineData("C:/../c.cs", "C:/../c.cs")]
    [InlineData(@"c:\Repo\c.cs", "C:/Repo/c.cs")]
    [InlineData("/c:/x.cs", "/c:/x.cs")]
    public void Normalize_Paths_AreUnified(string path, string expected)
    {
        Assert.Equal(expected, CoveragePaths.Normalize(path));
    }

    internal static string Cobertura(string file, long hits, string condition) => $"""
        <?xml version="1.0"?>
        <coverage line-rate="1" branch-rate="1" timestamp="1764842400">
          <packages><package name="p"><classes><class name="C" filename="{file}"><lines>
            <line number="5" hits="{hits}" branch="True" condition-coverage="{condition}" />
          </lines></class></classes></package></packages>
        </coverage>
        """;
}
