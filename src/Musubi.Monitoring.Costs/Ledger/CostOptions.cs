using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Costs;

/// <summary>Options for <c>AddCosts</c>: the prices the <see cref="CostTracker"/> uses, and the budgets the registered <see cref="BudgetMonitor"/> watches.</summary>
/// <remarks>
/// Read once, when the <see cref="PricingCatalog"/>, <see cref="BudgetMonitor"/> and budget timer are built; later changes
/// have no effect. Checked when the host starts (<c>ValidateOnStart</c>): the message names the option or the budget.
/// </remarks>
public sealed class CostOptions
{
    /// <summary>Gets the pricing options the registered <see cref="PricingCatalog"/> is created from.</summary>
    /// <value>The default is a new <see cref="PricingOptions"/>: the built-in LiteLLM-compatible prices, no custom prices or patterns.</value>
    public PricingOptions Pricing { get; } = new();

    /// <summary>
    /// Gets the budgets configured in code; the <see cref="BudgetMonitor"/> also watches the budgets in the registered
    /// <see cref="IBudgetStore"/>. Names must be unique (ordinal); a stored budget of the same name is ignored.
    /// </summary>
    /// <value>The default is an empty list.</value>
    public IList<Budget> Budgets { get; } = new List<Budget>();

    /// <summary>Gets or sets how often the hosted service evaluates every budget (and raises the alerts due).</summary>
    /// <value>The default is one minute. Allowed: one second to one day.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BudgetEvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets whether each <see cref="CostTracker.RecordAsync"/> also asks the hosted service for an evaluation
    /// soon, so an alert follows the call that crossed a threshold rather than the next interval.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    /// <remarks>
    /// Cheap on the recording path: the call only leaves a signal (no ledger read, no waiting). Requests are coalesced: at
    /// most one evaluation runs at a time, and any number of records during it cause exactly one more evaluation. Each
    /// evaluation reads the current period's spend of every budget from the ledger, so under a steady stream of calls
    /// evaluations run back to back; turn this off to evaluate only every <see cref="BudgetEvaluationInterval"/>.
    /// </remarks>
    public bool EvaluateBudgetsAfterRecord { get; set; } = true;
}
