namespace Musubi.Monitoring.Quality.Tests.Reports;

public sealed class QualityReportMeasurementsTests
{
    [Fact]
    public void Coverage_MethodWithNoBranches_BranchCoverageIsUnknownNot100()
    {
        using var temp = new TempFolder();
        string path = temp.Write("c.xml", """
            <coverage line-rate="1" branch-rate="1"><packages><package><classes>
              <class name="C" filename="/src/c.cs" line-rate="1" branch-rate="1"><methods>
                <method name="Get" signature="()" line-rate="1" branch-rate="1"><lines><line number="3" hits="1" branch="False"/></lines></method>
              </methods><lines><line number="3" hits="1" branch="False"/></lines></class>
            </classes></package></packages></coverage>
            """);

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Coverage(QualityReportReader.ReadCoverage(path));

        Assert.Equal(100m, m[0].Value);
        Assert.Equal(QualityMetrics.BranchCoverage, m[1].Metric);
        Assert.False(m[1].IsKnown);
        Assert.Equal("no branches", m[1].UnknownReason);
        Assert.Equal(QualityStatus.Unknown, new QualityThreshold(QualityMetrics.BranchCoverage, 70m, 50m).Evaluate(m[1]));
        Assert.Equal(100m, m[2].Value);
    }

    [Fact]
    public void Coverage_EmptyProject_IsUnknownNever100()
    {
        using var temp = new TempFolder();
        string path = temp.Write("empty.xml", """<coverage line-rate="1" branch-rate="1" timestamp="1764842400"><sources/><packages/></coverage>""");

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Coverage(QualityReportReader.ReadCoverage(path));

        Assert.All(m, x => Assert.False(x.IsKnown));
        Assert.Equal(["no coverable lines", "no branches", "no methods"], m.Select(x => x.UnknownReason));
    }

    [Fact]
    public void Coverage_NoReport_IsUnknown()
    {
        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Coverage(null);

        Assert.Equal([QualityMetrics.LineCoverage, QualityMetrics.BranchCoverage, QualityMetrics.MethodCoverage], m.Select(x => x.Metric));
        Assert.All(m, x => Assert.Equal("no coverage report", x.UnknownReason));
    }

    [Fact]
    public void Coverage_79999Of100000Lines_IsBelowAn80Threshold()
    {
        using var temp = new TempFolder();
        using (var writer = new StreamWriter(Path.Combine(temp.Root, "big.info")))
        {
            writer.Write("SF:/src/big.cs\n");
            for (int n = 1; n <= 100_000; n++)
            {
                writer.Write($"DA:{n},{(n <= 79_999 ? 1 : 0)}\n");
            }

            writer.Write("end_of_record\n");
        }

        QualityMeasurement line = QualityReportMeasurements.Coverage(QualityReportReader.ReadCoverage(Path.Combine(temp.Root, "big.info")))[0];

        Assert.Equal(79.999m, line.Value);
        Assert.Equal(QualityStatus.Warning, new QualityThreshold(QualityMetrics.LineCoverage, 80m, 60m).Evaluate(line));
    }

    [Fact]
    public void Coverage_CoverletFixture_GivesExactRatios()
    {
        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Coverage(QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml")));

        Assert.Equal(9 * 100m / 13, m[0].Value);
        Assert.Equal((9L, 13L), (m[0].Numerator!.Value, m[0].Denominator!.Value));
        Assert.Equal(50m, m[1].Value);
        Assert.Equal(5 * 100m / 6, m[2].Value);
    }

    [Fact]
    public void Tests_Trx_GivesPassRateFailedAndFlaky()
    {
        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Tests(QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx")));

        Assert.Equal((QualityMetrics.TestPassRate, 40m), (m[0].Metric, m[0].Value!.Value));
        Assert.Equal((QualityMetrics.FailedTests, 3m, QualityUnit.Count), (m[1].Metric, m[1].Value!.Value, m[1].Unit));
        Assert.Equal((QualityMetrics.FlakyTests, 1m), (m[2].Metric, m[2].Value!.Value));
    }

    [Fact]
    public void Tests_NoReport_IsUnknown()
    {
        Assert.All(QualityReportMeasurements.Tests(null), x => Assert.Equal("no test results", x.UnknownReason));
    }

    [Fact]
    public void Tests_OnlySkippedTests_PassRateIsUnknown()
    {
        using var temp = new TempFolder();
        string path = temp.Write("s.trx", """<TestRun><Results><UnitTestResult testId="1" testName="T" outcome="NotExecuted" /></Results></TestRun>""");

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.Tests(QualityReportReader.ReadTestResults(path));

        Assert.Equal("no executed tests", m[0].UnknownReason);
        Assert.Equal(0m, m[1].Value);
    }

    [Fact]
    public void NewCode_LinesNotCoverableInTheBaseline_AreMeasured()
    {
        using var temp = new TempFolder();
        string baseline = temp.Write("base.info", "SF:/src/a.cs\nDA:1,1\nDA:2,0\nend_of_record\n");
        string current = temp.Write("now.info",
            "SF:/src/a.cs\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nBRDA:4,0,0,0\nBRDA:4,0,1,1\nend_of_record\n" +
            "SF:/src/b.cs\nDA:1,0\nend_of_record\n");

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.NewCode(QualityReportReader.ReadCoverage(current), QualityReportReader.ReadCoverage(baseline));

        // New: a.cs 3 and 4, all of b.cs (not in the baseline) → 1 of 3 lines; 1 of 2 arms.
        Assert.Equal((QualityMetrics.NewLineCoverage, 1L, 3L), (m[0].Metric, m[0].Numerator!.Value, m[0].Denominator!.Value));
        Assert.Equal((QualityMetrics.NewBranchCoverage, 50m), (m[1].Metric, m[1].Value!.Value));
    }

    [Fact]
    public void NewCode_NothingNew_IsUnknown()
    {
        CoverageReport report = QualityReportReader.ReadCoverage(Fixtures.Path("shop.lcov.info"));

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.NewCode(report, report);

        Assert.Equal(["no new lines", "no new lines"], m.Select(x => x.UnknownReason));
    }

    [Fact]
    public void NewCode_NewLinesWithoutBranches_BranchIsUnknown()
    {
        using var temp = new TempFolder();
        string current = temp.Write("now.info", "SF:/src/a.cs\nDA:1,1\nend_of_record\n");

        IReadOnlyList<QualityMeasurement> m = QualityReportMeasurements.NewCode(QualityReportReader.ReadCoverage(current), CoverageReport.Empty);

        Assert.Equal(100m, m[0].Value);
        Assert.Equal("no branches on new lines", m[1].UnknownReason);
    }

    [Fact]
    public void NewCode_NullBaseline_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QualityReportMeasurements.NewCode(CoverageReport.Empty, null!));
    }
}
