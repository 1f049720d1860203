using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>What a <see cref="CanaryStep"/> does.</summary>
public enum CanaryStepKind
{
    /// <summary>Sends a share of the traffic to the canary through the <see cref="ITrafficRouter"/>.</summary>
    SetWeight,

    /// <summary>Waits for a fixed duration on the <see cref="TimeProvider"/>.</summary>
    Pause,

    /// <summary>Waits until <see cref="CanaryRun.ApproveAsync"/> is called.</summary>
    PauseUntilApproved,

    /// <summary>Runs a <see cref="CanaryAnalysis"/> against live metrics.</summary>
    Analyze,
}

/// <summary>One step of a <see cref="CanaryPlan"/>: set the canary's weight, pause, wait for approval, or analyse.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class CanaryStep
{
    /// <summary>The longest pause: the longest due time a <see cref="TimeProvider"/> timer accepts, rounded down to whole days.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(49);

    private CanaryStep(CanaryStepKind kind, int weight, TimeSpan duration, CanaryAnalysis? analysis)
    {
        Kind = kind;
        Weight = weight;
        Duration = duration;
        Analysis = analysis;
    }

    /// <summary>Gets what the step does.</summary>
    public CanaryStepKind Kind { get; }

    /// <summary>Gets the canary's share of the traffic in percent, for <see cref="CanaryStepKind.SetWeight"/>; otherwise 0.</summary>
    public int Weight { get; }

    /// <summary>Gets how long the pause lasts, for <see cref="CanaryStepKind.Pause"/>; otherwise <see cref="TimeSpan.Zero"/>.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the analysis, for <see cref="CanaryStepKind.Analyze"/>; otherwise <see langword="null"/>.</summary>
    public CanaryAnalysis? Analysis { get; }

    /// <summary>Creates a step that sends <paramref name="percent"/> % of the traffic to the canary.</summary>
    /// <param name="percent">The canary's share of the traffic, from 0 to 100.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is below 0 or above 100.</exception>
    public static CanaryStep SetWeight(int percent)
    {
        if (percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, $"A canary weight is a percentage from 0 to 100; {percent} was given.");
        }

        return new CanaryStep(CanaryStepKind.SetWeight, percent, TimeSpan.Zero, null);
    }

    /// <summary>Creates a step that waits <paramref name="duration"/> before the next step.</summary>
    /// <param name="duration">How long to wait: more than zero and at most <see cref="MaxDuration"/>.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is zero, negative or longer than <see cref="MaxDuration"/>.</exception>
    public static CanaryStep Pause(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero || duration > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration,
                $"A pause lasts more than zero and at most {MaxDuration.TotalDays.ToString(CultureInfo.InvariantCulture)} days; {duration.ToString("c", CultureInfo.InvariantCulture)} was given.");
        }

        return new CanaryStep(CanaryStepKind.Pause, 0, duration, null);
    }

    /// <summary>Creates a step that waits until the run is approved with <see cref="CanaryRun.ApproveAsync"/>.</summary>
    /// <returns>The step.</returns>
    public static CanaryStep PauseUntilApproved() => new(CanaryStepKind.PauseUntilApproved, 0, TimeSpan.Zero, null);

    /// <summary>Creates a step that runs <paramref name="analysis"/> and goes on only when it is successful.</summary>
    /// <param name="analysis">The analysis.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="analysis"/> is <see langword="null"/>.</exception>
    public static CanaryStep Analyze(CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new CanaryStep(CanaryStepKind.Analyze, 0, TimeSpan.Zero, analysis);
    }

    /// <summary>Describes the step in culture-invariant text, for example <c>set weight 20%</c> or <c>pause 00:05:00</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Kind switch
    {
        CanaryStepKind.SetWeight => string.Create(CultureInfo.InvariantCulture, $"set weight {Weight}%"),
        CanaryStepKind.Pause => "pause " + Duration.ToString("c", CultureInfo.InvariantCulture),
        CanaryStepKind.PauseUntilApproved => "pause until approved",
        _ => "analyze " + string.Join(", ", Analysis!.Metrics.Select(m => m.Name)),
    };
}
