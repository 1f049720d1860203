namespace Musubi.Monitoring.Incidents;

/// <summary>
/// The default executor: a person does each step and reports it with <see cref="RunbookExecution.CompleteStep"/> or
/// <see cref="RunbookExecution.FailStep"/>. Until then the step is <see cref="RunbookStepState.AwaitingResult"/> and the
/// execution <see cref="RunbookExecutionStatus.WaitingForPerson"/>; the step's timeout bounds the wait.
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
public sealed class ManualStepExecutor : IRunbookStepExecutor
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The step and attempt are not the ones the execution is running.</exception>
    public Task<StepOutcome> ExecuteAsync(RunbookStepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Execution.AwaitPersonAsync(context.StepIndex, context.Attempt, cancellationToken);
    }
}
