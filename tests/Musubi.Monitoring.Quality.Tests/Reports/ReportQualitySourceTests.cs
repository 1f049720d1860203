using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Quality.Tests.Reports;

public sealed class ReportQualitySourceTests
{
    [Fact]
    public async Task CollectAsync_Reports_SnapshotAtTheTimeProvidersNow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        var source = new ReportQualitySource([Fixtures.Path("coverlet.cobertura.xml")], [Fixtures.Path("shop.trx")], time);

        QualitySnapshot first = await source.CollectAsync();
        time.Advance(TimeSpan.FromHours(1));
        QualitySnapshot second = await source.CollectAsync();

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), first.Timestamp);
        Assert.Equal(first.Timestamp.AddHours(1), second.Timestamp);
        Assert.Equal(6, first.Measurements.Count);
        Assert.True(first.TryGet(QualityMetrics.TestPassRate, out QualityMeasurement passRate));
        Assert.Equal(40m, passRate.Value);
        Assert.False(first.TryGet(QualityMetrics.NewLineCoverage, out _));
    }

    [Fact]
    public async Task CollectAsync_WithBaseline_AddsNewCodeMetrics()
    {
        var source = new ReportQualitySource([Fixtures.Path("coverlet.cobertura.xml")], [], new FakeTimeProvider(), Fixtures.Path("coverlet.cobertura.xml"));

        QualitySnapshot snapshot = await source.CollectAsync();

        Assert.True(snapshot.TryGet(QualityMetrics.NewLineCoverage, out QualityMeasurement newLines));
        Assert.Equal("no new lines", newLines.UnknownReason);
        Assert.True(snapshot.TryGet(QualityMetrics.TestPassRate, out QualityMeasurement passRate));
        Assert.Equal("no test results", passRate.UnknownReason);
    }

    [Fact]
    public async Task CollectAsync_UnreadableBaseline_NewCodeIsUnknownWithAWarning()
    {
        var source = new ReportQualitySource([Fixtures.Path("shop.lcov.info")], [], new FakeTimeProvider(), "/no/baseline.xml");

        QualitySnapshot snapshot = await source.CollectAsync();

        Assert.True(snapshot.TryGet(QualityMetrics.NewBranchCoverage, out QualityMeasurement m));
        Assert.Equal(ReportQualitySource.NoBaseline, m.UnknownReason);
        Assert.Contains(snapshot.Warnings, w => w.Contains("/no/baseline.xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForDirectory_FindsReportsAndSkipsBinAndObj()
    {
        using var temp = new TempFolder();
        string cobertura = File.ReadAllText(Fixtures.Path("coverlet.cobertura.xml"));
        string trx = File.ReadAllText(Fixtures.Path("shop.trx"));
        string kept = temp.Write("tests/App.Tests/TestResults/0f1e/coverage.cobertura.xml", cobertura);
        string keptTrx = temp.Write("tests/App.Tests/TestResults/run.trx", trx);
        temp.Write("tests/App.Tests/bin/Debug/net10.0/Fixtures/coverage.cobertura.xml", cobertura);
        temp.Write("src/App/obj/old.trx", trx);
        temp.Write("tests/App.Tests/TestResults/0f1e/coverage.opencover.xml", "not looked at");

        QualityReportPaths found = QualityReportDiscovery.Find(temp.Root);
        QualitySnapshot snapshot = await ReportQualitySource.ForDirectory(temp.Root, new FakeTimeProvider()).CollectAsync();

        Assert.Equal([Path.GetFullPath(kept)], found.Coverage.Select(Path.GetFullPath));
        Assert.Equal([Path.GetFullPath(keptTrx)], found.Tests.Select(Path.GetFullPath));
        Assert.Equal(2, snapshot.Sources.Count);
        Assert.True(snapshot.TryGet(QualityMetrics.LineCoverage, out QualityMeasurement line));
        Assert.Equal(13, line.Denominator);
    }

    [Fact]
    public void Find_TrxLoggersCopyOfTheCoverageAttachment_IsNotFoundTwice()
    {
        using var temp = new TempFolder();
        string cobertura = File.ReadAllText(Fixtures.Path("coverlet.cobertura.xml"));
        string kept = temp.Write("TestResults/f3c5e160/coverage.cobertura.xml", cobertura);
        temp.Write("TestResults/_vm_2026-12-04_22_19_01/In/vm/coverage.cobertura.xml", cobertura);
        temp.Write("TestResults/ana_ci-host_2026-12-04_09_00_00/In/ci-host/coverage.cobertura.xml", cobertura);
        string inFolder = temp.Write("reports/In/coverage.cobertura.xml", cobertura);

        QualityReportPaths found = QualityReportDiscovery.Find(temp.Root);

        Assert.Equal([Path.GetFullPath(kept), Path.GetFullPath(inFolder)], found.Coverage.Select(Path.GetFullPath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ForDirectory_NoReports_EverythingUnknown()
    {
        using var temp = new TempFolder();

        QualitySnapshot snapshot = await ReportQualitySource.ForDirectory(temp.Root, new FakeTimeProvider()).CollectAsync();

        Assert.All(snapshot.Measurements, m => Assert.False(m.IsKnown));
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public void Find_MissingFolder_ThrowsNamingIt()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => QualityReportDiscovery.Find("/no/such/folder"));
        Assert.Contains("/no/such/folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ReportQualitySource(null!, [], TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new ReportQualitySource([], [], null!));
        Assert.Throws<ArgumentException>(() => new ReportQualitySource([" "], [], TimeProvider.System));
        Assert.Throws<ArgumentException>(() => ReportQualitySource.ForDirectory("", TimeProvider.System));
    }
}
