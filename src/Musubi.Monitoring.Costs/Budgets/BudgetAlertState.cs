namespace Musubi.Monitoring.Costs;

/// <summary>Which alerts of one budget were raised in its latest evaluated period, as kept by an <see cref="IBudgetStore"/>.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record BudgetAlertState
{
    /// <summary>The budget's name.</summary>
    public required string BudgetName { get; init; }

    /// <summary>The start of the period the flags belong to.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>Whether the <see cref="BudgetAlertKind.Warning"/> alert was raised in the period.</summary>
    public bool WarningRaised { get; init; }

    /// <summary>Whether the <see cref="BudgetAlertKind.Exceeded"/> alert was raised in the period.</summary>
    public bool ExceededRaised { get; init; }

    /// <summary>
    /// The state after raising <paramref name="kind"/> for the period starting at <paramref name="periodStart"/>, or
    /// <see langword="null"/> when that alert must not be raised: it was raised already in that period, the warning is
    /// asked for after the exceeded alert of that period, or <paramref name="periodStart"/> is earlier than the stored
    /// period (an evaluation that finished late). A later period starts again with only <paramref name="kind"/> raised.
    /// </summary>
    /// <param name="current">The stored state, or <see langword="null"/> when none is stored.</param>
    /// <param name="budgetName">The budget's name.</param>
    /// <param name="periodStart">The start of the evaluated period.</param>
    /// <param name="kind">The alert about to be raised.</param>
    /// <returns>The new state to store, or <see langword="null"/> to raise nothing.</returns>
    internal static BudgetAlertState? Mark(BudgetAlertState? current, string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind)
    {
        if (current is null || current.PeriodStart < periodStart)
        {
            return new BudgetAlertState
            {
                BudgetName = budgetName,
                PeriodStart = periodStart,
                WarningRaised = kind == BudgetAlertKind.Warning,
                ExceededRaised = kind == BudgetAlertKind.Exceeded,
            };
        }

        if (current.PeriodStart > periodStart || current.ExceededRaised || (kind == BudgetAlertKind.Warning && current.WarningRaised))
        {
            return null;
        }

        return kind == BudgetAlertKind.Exceeded ? current with { ExceededRaised = true } : current with { WarningRaised = true };
    }
}
