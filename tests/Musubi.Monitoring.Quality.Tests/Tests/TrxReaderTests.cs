namespace Musubi.Monitoring.Quality.Tests.Tests;

public sealed class TrxReaderTests
{
    [Fact]
    public void ReadTestResults_Trx_CountsFinalOutcomesPerTest()
    {
        TestRunResults results = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        Assert.Equal(6, results.Tests.Count);
        Assert.Equal(2, results.Passed);
        Assert.Equal(3, results.Failed);
        Assert.Equal(1, results.Skipped);
        Assert.Equal(5, results.Executed);
        Assert.Empty(results.Warnings);
    }

    [Fact]
    public void ReadTestResults_FailedThenPassedOnRerun_IsPassedAndFlaky()
    {
        TestRunResults results = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        // The passed attempt comes first in the file but started later: start times decide the order.
        TestCaseResult rerun = results.Tests.Single(t => t.Name.EndsWith("Total_Concurrent_IsExact", StringComparison.Ordinal));
        Assert.Equal(TestOutcome.Passed, rerun.Outcome);
        Assert.True(rerun.IsFlaky);
        Assert.Equal(2, rerun.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(300), rerun.Duration);
        Assert.Equal(1, results.Flaky);
    }

    [Fact]
    public void ReadTestResults_PassedThenFailed_IsFailedNotFlaky()
    {
        TestRunResults results = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        TestCaseResult test = results.Tests.Single(t => t.Name.EndsWith("Discount_Applies", StringComparison.Ordinal));
        Assert.Equal(TestOutcome.Failed, test.Outcome);
        Assert.False(test.IsFlaky);
    }

    [Fact]
    public void ReadTestResults_TimeoutAndNotExecuted_AreFailedAndSkipped()
    {
        TestRunResults results = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        Assert.Equal(TestOutcome.Failed, results.Tests.Single(t => t.Name.EndsWith("Rates_Download", StringComparison.Ordinal)).Outcome);
        Assert.Equal(TestOutcome.Skipped, results.Tests.Single(t => t.Name.EndsWith("Slow_Integration", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void ReadTestResults_Durations_AreSummedOverAttempts()
    {
        TestRunResults results = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        Assert.Equal(TimeSpan.Parse("00:00:30.8823456", System.Globalization.CultureInfo.InvariantCulture), results.Duration);
    }

    [Fact]
    public void ReadTestResults_NoStartTimes_UsesDocumentOrderForReruns()
    {
        using var temp = new TempFolder();
        string path = temp.Write("r.trx", """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              <UnitTestResult testId="1" testName="T" outcome="Failed" duration="00:00:01" />
              <UnitTestResult testId="1" testName="T" outcome="Passed" duration="00:00:02" />
              <UnitTestResult testName="NoId" outcome="Passed" />
              <UnitTestResult testName="NoId" outcome="Error" />
            </Results></TestRun>
            """);

        TestRunResults results = QualityReportReader.ReadTestResults(path);

        Assert.Equal(2, results.Tests.Count);
        Assert.True(results.Tests[0].IsFlaky);
        Assert.Equal(TestOutcome.Failed, results.Tests[1].Outcome);
        Assert.Equal("NoId", results.Tests[1].Id);
    }

    [Fact]
    public void ReadTestResults_InnerResultsOfADataDrivenTest_AreNotCountedTwice()
    {
        using var temp = new TempFolder();
        string path = temp.Write("dd.trx", """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              <UnitTestResult testId="1" testName="Rows" outcome="Failed" resultType="DataDrivenTest">
                <InnerResults>
                  <UnitTestResult testId="1" testName="Rows (1)" outcome="Passed" resultType="DataDrivenDataRow" />
                  <UnitTestResult testId="1" testName="Rows (2)" outcome="Failed" resultType="DataDrivenDataRow" />
                </InnerResults>
              </UnitTestResult>
              <UnitTestResult testId="2" testName="After" outcome="Passed" />
            </Results></TestRun>
            """);

        TestRunResults results = QualityReportReader.ReadTestResults(path);

        Assert.Equal(["Rows", "After"], results.Tests.Select(t => t.Name));
        Assert.Equal(1, results.Tests[0].Attempts);
    }

    [Fact]
    public void ReadTestResults_UnknownOutcome_IsNotExecutedWithAWarning()
    {
        using var temp = new TempFolder();
        string path = temp.Write("u.trx", """<TestRun><Results><UnitTestResult testId="1" testName="T" outcome="Exploded" duration="soon" /></Results></TestRun>""");

        TestRunResults results = QualityReportReader.ReadTestResults(path);

        Assert.Equal(1, results.Skipped);
        Assert.Equal(2, results.Warnings.Count);
        Assert.Contains("'Exploded'", results.Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SameTestInTwoReports_CountsTwice()
    {
        TestRunResults one = QualityReportReader.ReadTestResults(Fixtures.Path("shop.trx"));

        TestRunResults merged = TestRunResults.Merge([one, one]);

        Assert.Equal(12, merged.Tests.Count);
        Assert.Equal(4, merged.Passed);
        Assert.Equal(2, merged.Flaky);
    }
}
