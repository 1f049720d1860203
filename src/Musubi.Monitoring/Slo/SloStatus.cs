namespace Musubi.Monitoring.Slo;

/// <summary>
/// An SLO's live state at its latest evaluation by <see cref="SloMonitor"/>: the indicator, the error budget left and
/// the burn rate over every window its tiers use.
/// </summary>
/// <param name="Id">The SLO's id.</param>
/// <param name="Service">The SLO's service.</param>
/// <param name="Objective">The objective.</param>
/// <param name="Sli">The share of good events over the period (as far as it has been seen); 1 with no traffic.</param>
/// <param name="ErrorBudgetRemaining">
/// <c>1 − period error ratio ÷ error budget</c>: 1 with no traffic or no bad events, 0 when the budget is spent,
/// negative when overspent.
/// </param>
/// <param name="BurnRates">
/// The burn rate (error ratio ÷ error budget) over every tier window and the period, keyed by window; 0 for a window
/// with no events, never NaN.
/// </param>
/// <param name="TotalEvents">All events over the period, as far as it has been seen.</param>
/// <param name="BadEvents">Bad events over the period (all events less good ones for an SLI of good events, at least 0).</param>
/// <param name="ActiveAlerts">The alerts firing now, as they were published when they started firing.</param>
/// <param name="EvaluatedAt">When the evaluation ran; <see cref="DateTimeOffset.MinValue"/> before the first one.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record SloStatus(
    string Id,
    string Service,
    Objective Objective,
    decimal Sli,
    decimal ErrorBudgetRemaining,
    IReadOnlyDictionary<TimeSpan, decimal> BurnRates,
    double TotalEvents,
    double BadEvents,
    IReadOnlyList<SloAlert> ActiveAlerts,
    DateTimeOffset EvaluatedAt);
