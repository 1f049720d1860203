namespace Musubi.Monitoring.Slo;

/// <summary>Whether an SLO alert started or stopped.</summary>
public enum SloAlertState
{
    /// <summary>The alert started firing: for a tier of its severity, both windows burn faster than the tier's factor.</summary>
    Firing,

    /// <summary>The alert stopped firing: no tier of its severity has both windows above its factor any more.</summary>
    Resolved,
}

/// <summary>
/// A transition of an SLO's burn-rate alert, evaluated in-process with the same condition as the alert
/// <see cref="SloRules"/> generates for Prometheus, and published to every <see cref="ISloAlertObserver"/>.
/// </summary>
/// <param name="AlertName">The alert name, the same as the generated rule's: <see cref="SloRules.PageAlertName"/> or <see cref="SloRules.TicketAlertName"/>.</param>
/// <param name="SloId">The SLO's id.</param>
/// <param name="Service">The SLO's service.</param>
/// <param name="Severity">Page or ticket.</param>
/// <param name="State">Firing or resolved.</param>
/// <param name="Windows">The window pairs that tripped, long/short, such as <c>1h/5m</c>, in tier order; empty when resolved.</param>
/// <param name="BurnRate">
/// The burn rate over the long window of the first tier that tripped; when resolved, over the long window of the
/// severity's first tier.
/// </param>
/// <param name="ErrorBudgetRemaining">The share of the period's error budget left at <paramref name="Time"/> (negative when overspent).</param>
/// <param name="Time">When the evaluation that saw the transition ran (from the monitor's <see cref="TimeProvider"/>).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record SloAlert(
    string AlertName,
    string SloId,
    string Service,
    AlertSeverity Severity,
    SloAlertState State,
    IReadOnlyList<string> Windows,
    decimal BurnRate,
    decimal ErrorBudgetRemaining,
    DateTimeOffset Time);
