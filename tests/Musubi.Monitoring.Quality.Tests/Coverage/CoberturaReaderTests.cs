namespace Musubi.Monitoring.Quality.Tests.Coverage;

public sealed class CoberturaReaderTests
{
    private const string Root = "/home/runner/work/shop/src/Shop/";

    [Fact]
    public void ReadCoverage_CoverletReport_RecomputesTotalsFromLines()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));

        Assert.Equal(new CoverageSummary(13, 9, 6, 3, 6, 5), report.Summary);
        Assert.Equal(2, report.Files.Count);
        Assert.Empty(report.Warnings);
        Assert.Equal([Fixtures.Path("coverlet.cobertura.xml")], report.Sources);
    }

    [Fact]
    public void ReadCoverage_CoverletReport_ResolvesFilenamesAgainstTheSource()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));

        Assert.Equal([Root + "Cart.cs", Root + "Pricing.cs"], report.Files.Select(f => f.Path));
        Assert.True(report.TryGetFile(Root + "./Cart.cs", out FileCoverage cart));
        Assert.Equal(9, cart.Lines.Count);
    }

    [Fact]
    public void ReadCoverage_LinesUnderMethodAndClass_AreNotDoubleCounted()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));
        Assert.True(report.TryGetFile(Root + "Cart.cs", out FileCoverage cart));

        Assert.True(cart.TryGetLine(10, out LineCoverage line10));
        Assert.Equal(3, line10.Hits);
        Assert.True(cart.TryGetLine(11, out LineCoverage line11));
        Assert.Equal(new LineCoverage(11, 3, 2, 1), line11);
    }

    [Fact]
    public void ReadCoverage_LambdaClassOnTheSameLine_KeepsTheLargerHitsOfOneRun()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));
        Assert.True(report.TryGetFile(Root + "Pricing.cs", out FileCoverage pricing));

        Assert.True(pricing.TryGetLine(9, out LineCoverage line9));
        Assert.Equal(7, line9.Hits);
        Assert.Equal(2, line9.BranchArms);
        Assert.Equal(2, line9.CoveredBranchArms);
    }

    [Fact]
    public void ReadCoverage_CoverletReport_ReadsMethodsWithTheirLines()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));
        Assert.True(report.TryGetFile(Root + "Cart.cs", out FileCoverage cart));

        Assert.Equal([".ctor", "Add", "Remove", "get_Count"], cart.Methods.Select(m => m.Name));
        MethodCoverage remove = cart.Methods[2];
        Assert.Equal("(System.String)", remove.Signature);
        Assert.Equal(20, remove.FirstLine);
        Assert.Equal([20, 21, 22], remove.Lines);
        Assert.Equal(4, cart.Summary.Methods);
        Assert.Equal(3, cart.Summary.CoveredMethods);
    }

    [Fact]
    public void ReadCoverage_TimestampInSeconds_IsRead()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml"));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764842400), report.Timestamp);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void ReadCoverage_MillisecondTimestampAndFloatNoise_ParsesInvariantly(string culture)
    {
        using var scope = new CultureScope(culture);

        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("noise-ms.cobertura.xml"));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764842400123), report.Timestamp);
        // line-rate="0.7926000000000001" is ignored: 3 of 4 lines from the data.
        Assert.Equal(4, report.Summary.CoverableLines);
        Assert.Equal(3, report.Summary.CoveredLines);
        Assert.Equal(75m, QualityReportMeasurements.Coverage(report)[0].Value);
    }

    [Fact]
    public void ReadCoverage_WindowsSourceAndRelativeFilename_NormalisesSeparators()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("noise-ms.cobertura.xml"));

        Assert.Equal("C:/build/src/Api/Endpoints/Health.cs", Assert.Single(report.Files).Path);
        Assert.True(report.TryGetFile(@"C:\build\src\Api\Endpoints\Health.cs", out _));
    }

    [Fact]
    public void ReadCoverage_ClassesWithoutPackages_AreReadWithAWarning()
    {
        string path = Fixtures.Path("unwrapped.cobertura.xml");

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        Assert.Equal(["/src/Loose.cs", "/src/Looser.cs"], report.Files.Select(f => f.Path));
        Assert.Equal(3, report.Summary.CoverableLines);
        Assert.Equal(2, report.Summary.CoveredLines);
        string warning = Assert.Single(report.Warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("2 <class> element(s) outside <packages>/<package>", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("50% (1/2)", 1, 2)]
    [InlineData("100% (4/4)", 4, 4)]
    [InlineData("33.33% (1/3)", 1, 3)]
    [InlineData("0% (0/6)", 0, 6)]
    public void TryParseConditionCoverage_CountsInParentheses_AreRead(string text, int covered, int arms)
    {
        Assert.True(CoberturaReader.TryParseConditionCoverage(text, out int c, out int a));
        Assert.Equal((covered, arms), (c, a));
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("(3/2)")]
    [InlineData("x (a/b)")]
    [InlineData(null)]
    public void TryParseConditionCoverage_BadText_IsRefused(string? text)
    {
        Assert.False(CoberturaReader.TryParseConditionCoverage(text, out _, out _));
    }

    [Fact]
    public void ReadCoverage_LineWithoutNumber_IsSkippedWithAWarningNamingTheLine()
    {
        using var temp = new TempFolder();
        string path = temp.Write("c.xml", """
            <coverage><packages><package><classes><class filename="/a.cs"><lines>
            <line number="1" hits="1"/>
            <line hits="1"/>
            <line number="3" hits="many"/>
            </lines></class></classes></package></packages></coverage>
            """);

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        Assert.Equal(1, report.Summary.CoverableLines);
        string warning = Assert.Single(report.Warnings);
        Assert.Contains("2 <line> element(s)", warning, StringComparison.Ordinal);
        Assert.Contains("line 3", warning, StringComparison.Ordinal);
    }
}
