using System.Globalization;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// A service level objective's target: the share of events that must be good, as an exact decimal strictly between
/// 0 and 1. Make one with <see cref="Percent"/> (<c>Objective.Percent(99.9m)</c>) or <see cref="Ratio"/>
/// (<c>Objective.Ratio(0.999m)</c>), so 99.9 and 0.999 can never be confused.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public readonly record struct Objective
{
    private Objective(decimal ratio) => Value = ratio;

    /// <summary>Gets the target as a ratio, for example <c>0.999</c>.</summary>
    public decimal Value { get; }

    /// <summary>Gets the error budget, <c>1 − objective</c>: the share of events that may be bad.</summary>
    public decimal ErrorBudget => 1m - Value;

    /// <summary>Makes an objective from a percentage, such as <c>99.9m</c>.</summary>
    /// <param name="percent">The percentage, strictly between 0 and 100.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not strictly between 0 and 100.</exception>
    public static Objective Percent(decimal percent)
    {
        if (percent is <= 0m or >= 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent,
                string.Create(CultureInfo.InvariantCulture, $"An objective of {percent}% leaves no meaning: use a percentage strictly between 0 and 100, such as 99.9."));
        }

        return new Objective(percent / 100m);
    }

    /// <summary>Makes an objective from a ratio, such as <c>0.999m</c>.</summary>
    /// <param name="ratio">The ratio, strictly between 0 and 1.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is not strictly between 0 and 1.</exception>
    public static Objective Ratio(decimal ratio)
    {
        if (ratio is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio,
                string.Create(CultureInfo.InvariantCulture, $"An objective ratio of {ratio} leaves no meaning: use a ratio strictly between 0 and 1, such as 0.999 (or Objective.Percent(99.9))."));
        }

        return new Objective(ratio);
    }

    /// <summary>Returns the objective as a percentage, such as <c>99.9%</c> (culture-invariant).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => SloNumber.Format(Value * 100m) + "%";
}
