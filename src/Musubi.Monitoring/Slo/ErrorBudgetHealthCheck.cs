using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// A health check that reports an SLO's error budget as the <see cref="SloMonitor"/> last evaluated it: healthy while
/// budget remains, the registration's failure status (Degraded by default) once it is spent, with the SLI, the
/// budget left and any active burn-rate alert in the description and data.
/// </summary>
internal sealed class ErrorBudgetHealthCheck(SloMonitor? monitor, string sloId) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (monitor is null)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                $"No SLOs are registered, so the error budget of '{sloId}' is unknown; add the SLO with AddSlo."));
        }

        SloStatus status;
        try
        {
            status = monitor.GetStatus(sloId);
        }
        catch (ArgumentException ex)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, ex.Message));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["slo"] = status.Id,
            ["sli"] = status.Sli,
            ["error_budget_remaining"] = status.ErrorBudgetRemaining,
            ["active_alerts"] = string.Join(",", status.ActiveAlerts.Select(a => a.AlertName)),
        };
        string description = string.Create(CultureInfo.InvariantCulture,
            $"SLO {status.Id}: SLI {status.Sli:0.#####} against {status.Objective}, error budget remaining {status.ErrorBudgetRemaining:0.####}{(status.ActiveAlerts.Count > 0 ? $", alerts firing: {data["active_alerts"]}" : string.Empty)}.");
        return Task.FromResult(status.ErrorBudgetRemaining > 0m
            ? HealthCheckResult.Healthy(description, data)
            : new HealthCheckResult(context.Registration.FailureStatus, description, data: data));
    }
}
