namespace Musubi.Monitoring.Quality.Tests.Reports;

public sealed class QualityReportReaderTests
{
    [Theory]
    [InlineData("coverlet.cobertura.xml", QualityReportFormat.Cobertura)]
    [InlineData("shop.lcov.info", QualityReportFormat.Lcov)]
    [InlineData("shop.opencover.xml", QualityReportFormat.OpenCover)]
    [InlineData("shop.trx", QualityReportFormat.Trx)]
    public void DetectFormat_Fixtures_AreRecognised(string name, QualityReportFormat format)
    {
        Assert.Equal(format, QualityReportReader.DetectFormat(Fixtures.Path(name)));
    }

    [Fact]
    public void DetectFormat_MisleadingExtension_GoesByContent()
    {
        using var temp = new TempFolder();
        string lcovNamedXml = temp.Write("coverage.xml", File.ReadAllText(Fixtures.Path("shop.lcov.info")));
        string coberturaNamedTxt = temp.Write("report.txt", File.ReadAllText(Fixtures.Path("coverlet.cobertura.xml")));

        Assert.Equal(QualityReportFormat.Lcov, QualityReportReader.DetectFormat(lcovNamedXml));
        Assert.Equal(5, QualityReportReader.ReadCoverage(lcovNamedXml).Summary.CoverableLines);
        Assert.Equal(13, QualityReportReader.ReadCoverage(coberturaNamedTxt).Summary.CoverableLines);
    }

    [Fact]
    public void DetectFormat_Utf16Cobertura_IsRecognised()
    {
        using var temp = new TempFolder();
        string xml = File.ReadAllText(Fixtures.Path("noise-ms.cobertura.xml")).Replace("utf-8", "utf-16", StringComparison.Ordinal);
        string path = temp.WriteBytes("u16.xml", [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(xml)]);

        Assert.Equal(QualityReportFormat.Cobertura, QualityReportReader.DetectFormat(path));
        Assert.Equal(4, QualityReportReader.ReadCoverage(path).Summary.CoverableLines);
    }

    [Theory]
    [InlineData("ISO-8859-1")]
    [InlineData("windows-1252")]
    public void ReadCoverage_CoberturaDeclaringLatin1WithAccentedSourcePath_IsReadNotBinary(string encoding)
    {
        // A Cobertura report written by a tool on a machine whose user folder is "josé", in the encoding it declares.
        using var temp = new TempFolder();
        string xml = File.ReadAllText(Fixtures.Path("coverlet.cobertura.xml"))
            .Replace("encoding=\"utf-8\"", $"encoding=\"{encoding}\"", StringComparison.Ordinal)
            .Replace("<source>", "<source>/home/jos\u00e9", StringComparison.Ordinal);
        string path = temp.WriteBytes("latin1.cobertura.xml", System.Text.Encoding.Latin1.GetBytes(xml));

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        Assert.Equal(13, report.Summary.CoverableLines);
        Assert.All(report.Files, f => Assert.StartsWith("/home/jos\u00e9", f.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadCoverage_TruncatedXml_ThrowsNamingFileAndLine()
    {
        string path = Fixtures.Path("truncated.cobertura.xml");

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path));

        Assert.Equal(QualityReportErrorKind.Malformed, ex.Kind);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.LineNumber);
        Assert.True(ex.LineNumber > 30);
        Assert.Contains($"line {ex.LineNumber}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTestResults_TruncatedTrx_ThrowsNamingFile()
    {
        using var temp = new TempFolder();
        string full = File.ReadAllText(Fixtures.Path("shop.trx"));
        string path = temp.Write("cut.trx", full[..(full.Length / 2)]);

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadTestResults(path));

        Assert.Equal(QualityReportErrorKind.Malformed, ex.Kind);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCoverage_BinaryFile_ThrowsNamingFile()
    {
        using var temp = new TempFolder();
        var random = new Random(42);
        byte[] bytes = new byte[10_000];
        random.NextBytes(bytes);
        bytes[0] = (byte)'<';
        string path = temp.WriteBytes("coverage.cobertura.xml", bytes);

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path));

        Assert.Equal(QualityReportErrorKind.Binary, ex.Kind);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCoverage_Latin1BytesWithoutNul_AreBinaryNotGarbage()
    {
        using var temp = new TempFolder();
        string path = temp.WriteBytes("x.info", [(byte)'S', (byte)'F', (byte)':', 0xE9, 0xFF, 0xFE, (byte)'\n']);

        Assert.Equal(QualityReportErrorKind.Binary, Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path)).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    public void ReadCoverage_EmptyFile_ThrowsNamingFile(string content)
    {
        using var temp = new TempFolder();
        string path = temp.Write("empty.xml", content);

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path));

        Assert.Equal(QualityReportErrorKind.Empty, ex.Kind);
        Assert.Equal($"Report '{path}': is empty.", ex.Message);
    }

    [Fact]
    public void ReadCoverage_MissingPath_ThrowsNamingFile()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Root, "nope", "coverage.cobertura.xml");

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path));

        Assert.Equal(QualityReportErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Report '{path}': does not exist.", ex.Message);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void ReadTestResults_Directory_ThrowsNamingIt()
    {
        using var temp = new TempFolder();

        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadTestResults(temp.Root));

        Assert.Equal(QualityReportErrorKind.IsDirectory, ex.Kind);
        Assert.Contains(temp.Root, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCoverage_TrxGiven_IsTheWrongKind()
    {
        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(Fixtures.Path("shop.trx")));

        Assert.Equal(QualityReportErrorKind.WrongKind, ex.Kind);
        Assert.Contains("TRX", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTestResults_CoverageGiven_IsTheWrongKind()
    {
        var ex = Assert.Throws<QualityReportException>(() => QualityReportReader.ReadTestResults(Fixtures.Path("shop.lcov.info")));

        Assert.Equal(QualityReportErrorKind.WrongKind, ex.Kind);
        Assert.Contains("Lcov coverage report", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>hello</body></html>")]
    [InlineData("hello world\n")]
    public void ReadCoverage_OtherText_IsAnUnknownFormat(string content)
    {
        using var temp = new TempFolder();
        string path = temp.Write("x.txt", content);

        Assert.Equal(QualityReportErrorKind.UnknownFormat, Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path)).Kind);
    }

    [Fact]
    public void ReadCoverage_DtdInReport_IsRefusedNotResolved()
    {
        using var temp = new TempFolder();
        string path = temp.Write("dtd.xml", """<?xml version="1.0"?><!DOCTYPE coverage [<!ENTITY x "y">]><coverage></coverage>""");

        Assert.Equal(QualityReportErrorKind.Malformed, Assert.Throws<QualityReportException>(() => QualityReportReader.ReadCoverage(path)).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ReadCoverage_BadPathArgument_Throws(string? path)
    {
        Assert.ThrowsAny<ArgumentException>(() => QualityReportReader.ReadCoverage(path!));
    }

    [Fact]
    public async Task ReadCoverageAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => QualityReportReader.ReadCoverageAsync(Fixtures.Path("coverlet.cobertura.xml"), cts.Token));
    }

    [Fact]
    public async Task ReadAsync_Fixtures_ReadLikeTheSyncApi()
    {
        CoverageReport coverage = await QualityReportReader.ReadCoverageAsync(Fixtures.Path("coverlet.cobertura.xml"));
        TestRunResults tests = await QualityReportReader.ReadTestResultsAsync(Fixtures.Path("shop.trx"));

        Assert.Equal(13, coverage.Summary.CoverableLines);
        Assert.Equal(6, tests.Tests.Count);
    }
}
