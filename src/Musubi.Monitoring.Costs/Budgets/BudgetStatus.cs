namespace Musubi.Monitoring.Costs;

/// <summary>Where a budget's spend stands against its warning share and limit.</summary>
public enum BudgetState
{
    /// <summary>Spend is below the warning share.</summary>
    Ok = 0,

    /// <summary>Spend is at or above the warning share and below the limit.</summary>
    Warning = 1,

    /// <summary>Spend is at or above the limit (100%).</summary>
    Exceeded = 2,
}

/// <summary>A budget's spend in the period containing one instant.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record BudgetStatus
{
    /// <summary>The budget.</summary>
    public required Budget Budget { get; init; }

    /// <summary>The start of the period, inclusive.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>The end of the period, exclusive; the budget resets at this instant.</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    /// <summary>The spend in the period in US dollars.</summary>
    public required decimal Spent { get; init; }

    /// <summary>The budget's limit in US dollars.</summary>
    public decimal Limit => Budget.Limit;

    /// <summary>What is left before the limit in US dollars; 0 once exceeded.</summary>
    public decimal Remaining => Math.Max(0m, Limit - Spent);

    /// <summary>The spend as a share of the limit (1 is 100%); can be more than 1.</summary>
    public decimal Share => Spent / Limit;

    /// <summary>Ok, Warning (at or above <see cref="Budget.WarningShare"/>) or Exceeded (at or above the limit).</summary>
    public BudgetState State => Spent >= Limit ? BudgetState.Exceeded : Share >= Budget.WarningShare ? BudgetState.Warning : BudgetState.Ok;
}

/// <summary>The kinds of <see cref="BudgetAlert"/>.</summary>
public enum BudgetAlertKind
{
    /// <summary>Spend reached the budget's warning share.</summary>
    Warning = 0,

    /// <summary>Spend reached the limit.</summary>
    Exceeded = 1,
}

/// <summary>A budget crossed its warning share or its limit; raised once per kind per period.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record BudgetAlert
{
    /// <summary>Warning or Exceeded.</summary>
    public required BudgetAlertKind Kind { get; init; }

    /// <summary>The status that raised the alert.</summary>
    public required BudgetStatus Status { get; init; }
}

/// <summary>The answer of a pre-call <see cref="BudgetMonitor.CheckAsync"/>.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record BudgetCheck
{
    /// <summary>A check that allows the call.</summary>
    public static BudgetCheck Allowed { get; } = new();

    /// <summary>Whether the call may go ahead.</summary>
    public bool IsAllowed => RefusedBy is null;

    /// <summary>The status of the first enforced budget that refused the call, or <see langword="null"/> when allowed.</summary>
    public BudgetStatus? RefusedBy { get; init; }

    /// <summary>The estimated cost of the call that was checked, in US dollars.</summary>
    public decimal EstimatedCost { get; init; }

    /// <summary>Why the call was refused, with the numbers, or <see langword="null"/> when allowed.</summary>
    public string? Reason { get; init; }
}

/// <summary>Receives budget alerts, for example to post to a chat channel or page someone.</summary>
/// <remarks>Called from <see cref="BudgetMonitor"/>, possibly concurrently; implementations must be thread-safe. Exceptions are logged and swallowed.</remarks>
public interface IBudgetAlertSink
{
    /// <summary>Handles one alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    /// <returns>A task that completes when the alert is handled.</returns>
    public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken);
}
