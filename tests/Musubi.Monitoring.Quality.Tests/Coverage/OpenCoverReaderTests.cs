namespace Musubi.Monitoring.Quality.Tests.Coverage;

public sealed class OpenCoverReaderTests
{
    [Fact]
    public void ReadCoverage_OpenCover_ReadsSequenceAndBranchPoints()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.opencover.xml"));

        // Lines 10, 11, 12-13 (one statement over two lines) and 20; the hidden point and the skipped method are not lines.
        Assert.Equal(new CoverageSummary(5, 4, 2, 1, 2, 1), report.Summary);
        FileCoverage cart = Assert.Single(report.Files);
        Assert.Equal("/repo/src/Shop/Cart.cs", cart.Path);
        Assert.False(cart.TryGetLine(40, out _));
        Assert.True(cart.TryGetLine(11, out LineCoverage line11));
        Assert.Equal(new LineCoverage(11, 3, 2, 1), line11);
    }

    [Fact]
    public void ReadCoverage_OpenCover_SplitsNamesAndSignatures()
    {
        FileCoverage cart = Assert.Single(QualityReportReader.ReadCoverage(Fixtures.Path("shop.opencover.xml")).Files);

        Assert.Equal(["Shop.Cart::Add(Shop.Item)", "Shop.Cart::Remove(System.String)"], cart.Methods.Select(m => m.ToString()));
        Assert.Equal([10, 11, 12, 13], cart.Methods[0].Lines);
    }

    [Fact]
    public void ReadCoverage_OpenCoverSkippedModulesAndMethods_AreLeftOutWithOneWarning()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.opencover.xml"));

        string warning = Assert.Single(report.Warnings);
        Assert.Contains("1 module(s) and 1 method(s) were skipped", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Void Shop.Cart::Add(Shop.Item)", "Shop.Cart::Add", "(Shop.Item)")]
    [InlineData("System.Collections.Generic.List`1<System.Int32> Shop.Cart::Items()", "Shop.Cart::Items", "()")]
    [InlineData("Plain", "Plain", "")]
    public void SplitName_FullNames_GiveNameAndSignature(string full, string name, string signature)
    {
        Assert.Equal((name, signature), OpenCoverReader.SplitName(full));
    }
}
