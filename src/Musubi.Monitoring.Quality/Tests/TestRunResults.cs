namespace Musubi.Monitoring.Quality;

/// <summary>Test results read from one test report or merged from several.</summary>
/// <remarks>
/// Tests are counted per report and test id (TRX <c>testId</c>, or <c>testName</c> when there is none). Several
/// results of one test in one report are reruns: ordered by <c>startTime</c> (document order when a time is
/// missing), the last executed one decides the outcome, and a test that failed and then passed is passed and flaky.
/// The same test in two reports (two target frameworks, two runs) is two tests, each with its own outcome. Only a
/// result's top level is counted: the inner results of a data-driven MSTest result are summed up by their parent.
/// Immutable and safe to share.
/// </remarks>
public sealed class TestRunResults
{
    internal TestRunResults(TestCaseResult[] tests, string[] sources, string[] warnings)
    {
        Tests = tests;
        Sources = sources;
        Warnings = warnings;
        foreach (TestCaseResult test in tests)
        {
            switch (test.Outcome)
            {
                case TestOutcome.Passed:
                    Passed++;
                    break;
                case TestOutcome.Failed:
                    Failed++;
                    break;
                default:
                    Skipped++;
                    break;
            }

            Flaky += test.IsFlaky ? 1 : 0;
            Duration += test.Duration;
        }
    }

    /// <summary>No tests.</summary>
    public static TestRunResults Empty { get; } = new([], [], []);

    /// <summary>Every test, in report order.</summary>
    public IReadOnlyList<TestCaseResult> Tests { get; }

    /// <summary>Tests whose final outcome is passed (flaky ones included).</summary>
    public int Passed { get; }

    /// <summary>Tests whose final outcome is failed.</summary>
    public int Failed { get; }

    /// <summary>Tests that never executed.</summary>
    public int Skipped { get; }

    /// <summary>Tests that failed and then passed on a rerun.</summary>
    public int Flaky { get; }

    /// <summary>Executed tests: <see cref="Passed"/> + <see cref="Failed"/>.</summary>
    public int Executed => Passed + Failed;

    /// <summary>The sum of every attempt's duration.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The report files read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>What was tolerated while reading, each naming its report file.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Puts the tests of several reports together (see the remarks: a test is counted once per report).</summary>
    /// <param name="results">The results.</param>
    /// <returns>The merged results; <see cref="Empty"/> for none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> or one of them is <see langword="null"/>.</exception>
    public static TestRunResults Merge(IEnumerable<TestRunResults> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var tests = new List<TestCaseResult>();
        var sources = new List<string>();
        var warnings = new List<string>();
        foreach (TestRunResults result in results)
        {
            ArgumentNullException.ThrowIfNull(result, nameof(results));
            tests.AddRange(result.Tests);
            sources.AddRange(result.Sources);
            warnings.AddRange(result.Warnings);
        }

        return new TestRunResults([.. tests], [.. sources], [.. warnings]);
    }
}
