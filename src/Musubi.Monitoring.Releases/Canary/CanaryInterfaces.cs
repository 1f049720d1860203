namespace Musubi.Monitoring.Releases;

/// <summary>Sends a share of the traffic to the canary, for example by setting a feature flag's rollout percentage.</summary>
/// <remarks>Implementations are called from timer callbacks and must be thread-safe.</remarks>
public interface ITrafficRouter
{
    /// <summary>Sends <paramref name="percent"/> % of the traffic to the canary and the rest to the stable version.</summary>
    /// <param name="percent">The canary's share, from 0 to 100.</param>
    /// <param name="cancellationToken">Cancelled when the run is aborted (never during a rollback).</param>
    /// <returns>A task that completes when the weight is in effect.</returns>
    public ValueTask SetWeightAsync(int percent, CancellationToken cancellationToken);
}

/// <summary>Turns off a release's feature flags during a rollback.</summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface ICanaryFlagSwitch
{
    /// <summary>Disables the flag <paramref name="flag"/>.</summary>
    /// <param name="flag">The flag's key.</param>
    /// <param name="cancellationToken">Not cancelled by the run: a rollback runs to its end.</param>
    /// <returns>A task that completes when the flag is off.</returns>
    public ValueTask DisableAsync(string flag, CancellationToken cancellationToken);
}

/// <summary>One step of a rollback procedure.</summary>
/// <remarks>Implementations must be thread-safe; a step that throws is recorded as failed and the next steps still run.</remarks>
public interface IRollbackStep
{
    /// <summary>Gets what the step does, in the history, for example <c>set canary weight to 0%</c>.</summary>
    public string Description { get; }

    /// <summary>Runs the step.</summary>
    /// <param name="cancellationToken">Not cancelled by the run: a rollback runs to its end.</param>
    /// <returns>A task that completes when the step is done.</returns>
    public ValueTask ExecuteAsync(CancellationToken cancellationToken);
}

/// <summary>Records what a canary run does, for the release's history.</summary>
/// <remarks>
/// Called in order, once per <see cref="CanaryEvent"/>, from timer callbacks; must be thread-safe. An exception is
/// caught: the run goes on and records a <see cref="CanaryEventKind.HistoryWriteFailed"/> event in its own
/// <see cref="CanaryRun.History"/>.
/// </remarks>
public interface ICanaryHistory
{
    /// <summary>Records <paramref name="canaryEvent"/>.</summary>
    /// <param name="canaryEvent">The event.</param>
    /// <param name="cancellationToken">Not cancelled by the run.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    public ValueTask RecordAsync(CanaryEvent canaryEvent, CancellationToken cancellationToken);
}
