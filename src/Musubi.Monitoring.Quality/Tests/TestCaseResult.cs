namespace Musubi.Monitoring.Quality;

/// <summary>One test of one test report, after its reruns.</summary>
/// <param name="Source">The report file it was read from.</param>
/// <param name="Id">The test's id (TRX <c>testId</c>), or its name when the report has no id.</param>
/// <param name="Name">The test's name.</param>
/// <param name="Outcome">The final outcome: the last executed (passed or failed) attempt, or skipped when no attempt executed.</param>
/// <param name="Attempts">How many results the report has for this test (more than 1 when it was rerun).</param>
/// <param name="IsFlaky">Whether the test failed and then passed on a later attempt in the same report.</param>
/// <param name="Duration">The sum of the attempts' durations.</param>
public sealed record TestCaseResult(string Source, string Id, string Name, TestOutcome Outcome, int Attempts, bool IsFlaky, TimeSpan Duration);
