namespace Musubi.Monitoring.Releases;

/// <summary>
/// Starts canary runs: each runs a <see cref="CanaryPlan"/> on the <see cref="TimeProvider"/>, routes traffic through
/// the <see cref="ITrafficRouter"/>, measures through the <see cref="ICanaryMetricsProvider"/>, records every step in
/// the <see cref="ICanaryHistory"/> and rolls back on its own when an analysis fails.
/// </summary>
/// <remarks>Thread-safe; runs are independent of each other.</remarks>
public sealed class CanaryController
{
    private readonly ICanaryMetricsProvider _metrics;
    private readonly ITrafficRouter _router;
    private readonly TimeProvider _timeProvider;
    private readonly ICanaryFlagSwitch? _flagSwitch;
    private readonly ICanaryHistory? _history;

    /// <summary>Initializes a new instance of the <see cref="CanaryController"/> class.</summary>
    /// <param name="metrics">Reads the analyses' metrics.</param>
    /// <param name="router">Sets the canary's weight.</param>
    /// <param name="timeProvider">The clock and timers for pauses and analysis intervals.</param>
    /// <param name="flagSwitch">Disables the release's flags in a rollback; needed only for releases with flags.</param>
    /// <param name="history">Records every event of every run; <see langword="null"/> to keep them only in <see cref="CanaryRun.History"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/>, <paramref name="router"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public CanaryController(
        ICanaryMetricsProvider metrics,
        ITrafficRouter router,
        TimeProvider timeProvider,
        ICanaryFlagSwitch? flagSwitch = null,
        ICanaryHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _metrics = metrics;
        _router = router;
        _timeProvider = timeProvider;
        _flagSwitch = flagSwitch;
        _history = history;
    }

    /// <summary>
    /// Starts a run of <paramref name="plan"/> for release <paramref name="releaseId"/> and runs its steps up to the
    /// first pause, approval or analysis.
    /// </summary>
    /// <param name="releaseId">The release's id, in every history event.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="flags">The release's feature flags, disabled by a rollback; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels waiting to start; the run itself is stopped with <see cref="CanaryRun.AbortAsync"/>.</param>
    /// <returns>The run, already in its first waiting state (or rolled back, when the router failed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="releaseId"/> or <paramref name="plan"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="releaseId"/> is empty or white space, a flag is empty or repeated, or there are flags but the controller has no <see cref="ICanaryFlagSwitch"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the run started.</exception>
    public async Task<CanaryRun> StartAsync(string releaseId, CanaryPlan plan, IEnumerable<string>? flags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(releaseId);
        ArgumentNullException.ThrowIfNull(plan);
        string[] flagList = [.. flags ?? []];
        foreach (string flag in flagList)
        {
            if (string.IsNullOrWhiteSpace(flag))
            {
                throw new ArgumentException($"The flags of release '{releaseId}' include an empty key; give each flag's key.", nameof(flags));
            }
        }

        string? repeated = flagList.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"The flag '{repeated}' is given twice for release '{releaseId}'.", nameof(flags));
        }

        if (flagList.Length > 0 && _flagSwitch is null)
        {
            throw new ArgumentException(
                $"Release '{releaseId}' has flags ({string.Join(", ", flagList)}) but the controller has no ICanaryFlagSwitch to disable them in a rollback.",
                nameof(flags));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var procedure = new RollbackProcedure(_router, _flagSwitch, flagList, plan.RollbackSteps);
        var run = new CanaryRun(releaseId, plan, flagList, procedure, _metrics, _router, _timeProvider, _history);
        await run.StartAsync().ConfigureAwait(false);
        return run;
    }
}
