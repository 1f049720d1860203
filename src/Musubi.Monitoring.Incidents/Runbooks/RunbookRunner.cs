namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Starts runbook executions: runs each step through an <see cref="IRunbookStepExecutor"/>, waits at confirmation
/// gates, applies each step's failure policy and timeout, and, for an incident, adds what happens to its timeline.
/// </summary>
/// <remarks>
/// <para>Thread-safe: one runner may start any number of executions at once.</para>
/// <para>
/// Timeouts are measured with the injected <see cref="TimeProvider"/>. A step's executor runs on the thread pool; an
/// attempt still running at its timeout is cancelled and stops being waited for, so an executor that ignores
/// cancellation cannot hold the run. An executor that throws fails the attempt.
/// </para>
/// </remarks>
public sealed class RunbookRunner
{
    private readonly IRunbookStepExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly IIncidentStore? _incidentStore;

    /// <summary>Initializes a new instance of the <see cref="RunbookRunner"/> class.</summary>
    /// <param name="executor">Runs the steps; <see langword="null"/> for a <see cref="ManualStepExecutor"/> (a person does each step).</param>
    /// <param name="timeProvider">The clock for times and timeouts; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="incidentStore">Where the incidents are, to link executions into their timelines; <see langword="null"/> to run without incidents.</param>
    public RunbookRunner(IRunbookStepExecutor? executor = null, TimeProvider? timeProvider = null, IIncidentStore? incidentStore = null)
    {
        _executor = executor ?? new ManualStepExecutor();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _incidentStore = incidentStore;
    }

    /// <summary>
    /// Starts running a runbook and returns its execution as soon as the run first waits (for a step's executor, which
    /// runs on the thread pool, or for a person); the run goes on in the background until it ends
    /// (<see cref="RunbookExecution.Completion"/>).
    /// </summary>
    /// <param name="runbook">The runbook, at the version to run.</param>
    /// <param name="startedBy">Who starts it.</param>
    /// <param name="incidentId">The incident it runs for, whose timeline gets an entry for each change; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run (for example when the host stops); it then ends <see cref="RunbookExecutionStatus.Cancelled"/>.</param>
    /// <returns>The execution.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runbook"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="startedBy"/> is null or white space; or <paramref name="incidentId"/> is white space, or is given
    /// to a runner without an incident store.
    /// </exception>
    public RunbookExecution Start(Runbook runbook, string startedBy, string? incidentId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentException.ThrowIfNullOrWhiteSpace(startedBy);
        if (incidentId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
            if (_incidentStore is null)
            {
                throw new ArgumentException($"This runner has no incident store, so it cannot link the run to incident {incidentId}; pass one to the constructor.", nameof(incidentId));
            }
        }

        var execution = new RunbookExecution(runbook, startedBy, incidentId, _timeProvider);
        execution.Start(_executor, _incidentStore, cancellationToken);
        return execution;
    }
}
