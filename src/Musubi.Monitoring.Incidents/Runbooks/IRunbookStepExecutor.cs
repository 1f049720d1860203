namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Runs one attempt of a runbook step: a real action (a script, an API call) or a wait for a person. Implement it to let
/// a <see cref="RunbookRunner"/> run a host's actions; <see cref="DelegateStepExecutor"/> wraps delegates and
/// <see cref="ManualStepExecutor"/> (the default) waits for a person to report each step done or failed.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe: one executor serves every execution of a runner. The runner calls it on the
/// thread pool, cuts an attempt off at the step's timeout whether or not the executor stops, and records an exception
/// thrown by it as a failed attempt.
/// </remarks>
public interface IRunbookStepExecutor
{
    /// <summary>Runs one attempt of a step.</summary>
    /// <param name="context">The step, the attempt and the execution.</param>
    /// <param name="cancellationToken">Cancelled when the attempt times out or the execution is cancelled.</param>
    /// <returns>Whether the attempt succeeded, with its output or error.</returns>
    public Task<StepOutcome> ExecuteAsync(RunbookStepContext context, CancellationToken cancellationToken);
}

/// <summary>What an <see cref="IRunbookStepExecutor"/> is asked to run: one attempt of one step of an execution.</summary>
/// <remarks>Thread-safe (immutable; <see cref="Execution"/> is thread-safe).</remarks>
public sealed class RunbookStepContext
{
    internal RunbookStepContext(RunbookExecution execution, int stepIndex, int attempt)
    {
        Execution = execution;
        StepIndex = stepIndex;
        Attempt = attempt;
    }

    /// <summary>Gets the execution the step belongs to.</summary>
    public RunbookExecution Execution { get; }

    /// <summary>Gets the runbook.</summary>
    public Runbook Runbook => Execution.Runbook;

    /// <summary>Gets the step.</summary>
    public RunbookStep Step => Execution.Runbook.Steps[StepIndex];

    /// <summary>Gets the step's position in the runbook, from 0.</summary>
    public int StepIndex { get; }

    /// <summary>Gets the attempt, from 1 (retries count up).</summary>
    public int Attempt { get; }

    /// <summary>Gets the incident the execution is for, if any.</summary>
    public string? IncidentId => Execution.IncidentId;
}

/// <summary>The result of one attempt of a step.</summary>
/// <param name="Succeeded">Whether the attempt succeeded.</param>
/// <param name="Output">What the step printed or showed, if anything.</param>
/// <param name="Error">Why it failed, when it failed.</param>
public sealed record StepOutcome(bool Succeeded, string? Output = null, string? Error = null)
{
    /// <summary>Returns a success.</summary>
    /// <param name="output">What the step printed or showed, if anything.</param>
    /// <returns>The outcome.</returns>
    public static StepOutcome Success(string? output = null) => new(true, output);

    /// <summary>Returns a failure.</summary>
    /// <param name="error">Why it failed; non-empty.</param>
    /// <param name="output">What the step printed or showed, if anything.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is null or white space.</exception>
    public static StepOutcome Failure(string error, string? output = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(false, output, error);
    }
}
