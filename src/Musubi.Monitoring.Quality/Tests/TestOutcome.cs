namespace Musubi.Monitoring.Quality;

/// <summary>The outcome of a test, folded from the many outcomes TRX knows.</summary>
public enum TestOutcome
{
    /// <summary>Passed (TRX <c>Passed</c>, <c>PassedButRunAborted</c>, <c>Warning</c>, <c>Completed</c>).</summary>
    Passed = 0,

    /// <summary>Failed (TRX <c>Failed</c>, <c>Error</c>, <c>Timeout</c>, <c>Aborted</c>).</summary>
    Failed = 1,

    /// <summary>Not executed (TRX <c>NotExecuted</c>, <c>Inconclusive</c>, <c>NotRunnable</c>, <c>Pending</c>, <c>Disconnected</c>, <c>InProgress</c>, and any outcome not listed here).</summary>
    Skipped = 2,
}
