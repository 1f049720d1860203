using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// The rollback procedure generated for a canary run: set the canary's weight to 0 %, disable each of the release's
/// flags, then the plan's custom <see cref="CanaryPlan.RollbackSteps"/>, each run through <see cref="IRollbackStep"/>.
/// </summary>
/// <remarks>
/// Steps run in order; a step that throws is recorded as failed and the next steps still run, so one broken step does
/// not leave the canary serving traffic. Immutable and thread-safe.
/// </remarks>
public sealed class RollbackProcedure
{
    internal RollbackProcedure(ITrafficRouter router, ICanaryFlagSwitch? flagSwitch, IReadOnlyList<string> flags, IReadOnlyList<IRollbackStep> custom)
    {
        var steps = new List<IRollbackStep> { new WeightStep(router) };
        steps.AddRange(flags.Select(f => new FlagStep(flagSwitch!, f)));
        steps.AddRange(custom);
        Steps = steps;
    }

    /// <summary>Gets the steps, in the order they run.</summary>
    public IReadOnlyList<IRollbackStep> Steps { get; }

    /// <summary>Writes the procedure as numbered lines, for example <c>1. set canary weight to 0%</c>.</summary>
    /// <returns>The text, one step a line.</returns>
    public override string ToString()
        => string.Join('\n', Steps.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {s.Description}")));

    /// <summary>The generated first step: no traffic to the canary.</summary>
    internal sealed class WeightStep(ITrafficRouter router) : IRollbackStep
    {
        public string Description => "set canary weight to 0%";

        public ValueTask ExecuteAsync(CancellationToken cancellationToken) => router.SetWeightAsync(0, cancellationToken);
    }

    /// <summary>A generated step per flag of the release.</summary>
    internal sealed class FlagStep(ICanaryFlagSwitch flagSwitch, string flag) : IRollbackStep
    {
        public string Description => $"disable flag '{flag}'";

        public ValueTask ExecuteAsync(CancellationToken cancellationToken) => flagSwitch.DisableAsync(flag, cancellationToken);
    }
}
