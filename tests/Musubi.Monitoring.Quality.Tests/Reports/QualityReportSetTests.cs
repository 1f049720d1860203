namespace Musubi.Monitoring.Quality.Tests.Reports;

public sealed class QualityReportSetTests
{
    [Fact]
    public async Task LoadAsync_BadReportsAmongGoodOnes_ListsErrorsAndLoadsTheRest()
    {
        using var temp = new TempFolder();
        string missing = Path.Combine(temp.Root, "missing.xml");
        string binary = temp.WriteBytes("bin.xml", [0x00, 0x01, 0x02, 0xFF]);
        string truncated = Fixtures.Path("truncated.cobertura.xml");
        string good = Fixtures.Path("coverlet.cobertura.xml");
        string lcov = Fixtures.Path("shop.lcov.info");
        string trx = Fixtures.Path("shop.trx");

        QualityReportSet set = await QualityReportSet.LoadAsync([missing, good, binary, truncated, lcov, temp.Root], [trx, missing]);

        Assert.Equal(
            [(missing, QualityReportErrorKind.NotFound), (binary, QualityReportErrorKind.Binary), (truncated, QualityReportErrorKind.Malformed), (temp.Root, QualityReportErrorKind.IsDirectory), (missing, QualityReportErrorKind.NotFound)],
            set.Errors.Select(e => (e.FilePath, e.Kind)));
        Assert.All(set.Errors, e => Assert.Contains(e.FilePath, e.Message, StringComparison.Ordinal));
        Assert.NotNull(set.Coverage);
        Assert.Equal(13 + 5, set.Coverage.Summary.CoverableLines);
        Assert.NotNull(set.Tests);
        Assert.Equal(6, set.Tests.Tests.Count);
        Assert.Equal([good, lcov, trx], set.Sources);
    }

    [Fact]
    public async Task LoadAsync_NothingReadable_HasNoCoverageAndNoTests()
    {
        QualityReportSet set = await QualityReportSet.LoadAsync(["/definitely/not/here.xml"], []);

        Assert.Null(set.Coverage);
        Assert.Null(set.Tests);
        Assert.Single(set.Errors);
        Assert.All(set.Measure(), m => Assert.False(m.IsKnown));
    }

    [Fact]
    public async Task ToSnapshot_ErrorsAndWarnings_BecomeSnapshotWarnings()
    {
        QualityReportSet set = await QualityReportSet.LoadAsync([Fixtures.Path("unwrapped.cobertura.xml"), "/not/here.xml"], []);
        var at = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

        QualitySnapshot snapshot = set.ToSnapshot(at);

        Assert.Equal(at, snapshot.Timestamp);
        Assert.Equal(2, snapshot.Warnings.Count);
        Assert.Contains("/not/here.xml", snapshot.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("outside <packages>", snapshot.Warnings[1], StringComparison.Ordinal);
        Assert.Equal([Fixtures.Path("unwrapped.cobertura.xml")], snapshot.Sources);
    }

    [Fact]
    public async Task LoadAsync_NullLists_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => QualityReportSet.LoadAsync(null!, []));
        await Assert.ThrowsAsync<ArgumentNullException>(() => QualityReportSet.LoadAsync([], null!));
    }
}
