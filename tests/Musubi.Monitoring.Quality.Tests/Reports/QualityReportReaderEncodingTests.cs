namespace Musubi.Monitoring.Quality.Tests.Reports;

public sealed class QualityReportReaderEncodingTests
{
    [Fact]
    public void ReadTestResults_Utf8BomAndCrlf_AreRead()
    {
        using var temp = new TempFolder();
        string text = File.ReadAllText(Fixtures.Path("shop.trx")).ReplaceLineEndings("\r\n");
        string path = temp.WriteBytes("bom.trx", [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(text)]);

        Assert.Equal(6, QualityReportReader.ReadTestResults(path).Tests.Count);
    }

    [Fact]
    public void ReadCoverage_LcovWithBomAndCrlf_IsRead()
    {
        using var temp = new TempFolder();
        string text = File.ReadAllText(Fixtures.Path("shop.lcov.info")).ReplaceLineEndings("\r\n");
        string path = temp.WriteBytes("bom.info", [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(text)]);

        Assert.Equal(new CoverageSummary(5, 3, 4, 1, 2, 1), QualityReportReader.ReadCoverage(path).Summary);
    }

    [Fact]
    public void ReadCoverage_CoberturaClassWithOnlyMethodLines_CountsThem()
    {
        using var temp = new TempFolder();
        string path = temp.Write("m.xml", """
            <coverage><packages><package><classes><class name="C" filename="/src/c.cs"><methods>
              <method name="A" signature="()"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></method>
              <method name="B" signature="()"><lines><line number="5" hits="0"/></lines></method>
            </methods></class></classes></package></packages></coverage>
            """);

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        Assert.Equal(new CoverageSummary(3, 1, 0, 0, 2, 1), report.Summary);
    }
}
