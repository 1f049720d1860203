namespace Musubi.Monitoring.Releases;

/// <summary>
/// The ordered steps of a canary release, as in Argo Rollouts: set the canary's weight, pause for a duration or until
/// approved, and analyse live metrics; plus the custom steps of its rollback procedure.
/// </summary>
/// <remarks>
/// <para>
/// A plan holds at least one <see cref="CanaryStepKind.Analyze"/> step, so a run that succeeds has had at least one
/// successful measurement of every metric of every analysis. After the last step the canary is promoted: its weight
/// is set to 100 % (unless the last weight set was already 100) and the run is <see cref="CanaryState.Succeeded"/>.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class CanaryPlan
{
    /// <summary>Initializes a new instance of the <see cref="CanaryPlan"/> class.</summary>
    /// <param name="steps">The steps, in order.</param>
    /// <param name="rollbackSteps">
    /// Custom steps the rollback procedure runs, in order, after setting the canary's weight to 0 and disabling the
    /// release's flags; <see langword="null"/> for none.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no steps, a step or rollback step is <see langword="null"/>, or no step is an analysis.</exception>
    public CanaryPlan(IEnumerable<CanaryStep> steps, IEnumerable<IRollbackStep>? rollbackSteps = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        CanaryStep[] list = [.. steps];
        if (list.Length == 0)
        {
            throw new ArgumentException("A canary plan needs at least one step; none was given.", nameof(steps));
        }

        int missing = Array.IndexOf(list, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"Step {missing} of the canary plan is null.", nameof(steps));
        }

        if (!list.Any(s => s.Kind == CanaryStepKind.Analyze))
        {
            throw new ArgumentException(
                $"A canary plan needs at least one analysis step, so that a successful run has been measured; the steps were: {string.Join("; ", list.Select(s => s.ToString()))}.",
                nameof(steps));
        }

        IRollbackStep[] rollback = [.. rollbackSteps ?? []];
        int missingRollback = Array.IndexOf(rollback, null);
        if (missingRollback >= 0)
        {
            throw new ArgumentException($"Rollback step {missingRollback} of the canary plan is null.", nameof(rollbackSteps));
        }

        Steps = list;
        RollbackSteps = rollback;
    }

    /// <summary>Gets the steps, in order.</summary>
    public IReadOnlyList<CanaryStep> Steps { get; }

    /// <summary>Gets the custom rollback steps, run after the generated ones (weight 0, flags disabled).</summary>
    public IReadOnlyList<IRollbackStep> RollbackSteps { get; }
}
