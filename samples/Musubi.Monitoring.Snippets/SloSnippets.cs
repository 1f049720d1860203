using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's live SLO example.</summary>
public static class SloSnippets
{
    public static async Task Live()
    {
        // begin-snippet: slo-live
        var availability = new ServiceLevelObjective(
            "checkout-availability", "checkout",
            Sli.HttpAvailability(new LabelMatcher("http_route", MatchOperator.Equal, "/checkout")),
            Objective.Percent(99.9m), TimeSpan.FromDays(30));   // SRE Workbook tiers: 1h/5m, 6h/30m pages, 3d/6h ticket
        var latency = new ServiceLevelObjective(
            "checkout-latency", "checkout", Sli.HttpLatency(0.25), Objective.Percent(99m), TimeSpan.FromDays(30));

        var services = new ServiceCollection();
        services.AddSingleton<ISloAlertObserver, PagerObserver>();   // every registered observer gets each transition
        services.AddMusubiMonitoring(o => o.ServiceName = "checkout")
            .AddSlos([availability, latency])
            .ConfigureSlos(o => o.EvaluationInterval = TimeSpan.FromSeconds(10));   // the default; on the host's TimeProvider

        await using ServiceProvider provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<SloMonitor>();
        provider.GetRequiredService<MusubiMetrics>()
            .RecordRequest("POST", "/checkout", 200, TimeSpan.FromMilliseconds(120));

        await monitor.EvaluateAsync();   // the host's timer does this every interval; call it for an on-demand reading
        SloStatus status = monitor.GetStatus("checkout-availability");
        Console.WriteLine($"SLI {status.Sli:P3}, budget left {status.ErrorBudgetRemaining:P1}, " +
                          $"burn rate (1h) {status.BurnRates[TimeSpan.FromHours(1)]}");
        // Also exported: musubi_slo_sli, musubi_slo_error_budget_remaining {slo, service},
        // musubi_slo_burn_rate {slo, service, window="5m" … "30d"}.
        // end-snippet
    }

    // begin-snippet: slo-live-observer
    /// <summary>Called once when an alert starts firing and once when it resolves.</summary>
    public sealed class PagerObserver : ISloAlertObserver
    {
        public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
        {
            // alert.AlertName is SLOErrorBudgetBurnPage or SLOErrorBudgetBurnTicket, as in the generated Prometheus rules;
            // alert.Windows names the pairs that tripped, such as "1h/5m".
            Console.WriteLine($"{alert.State} {alert.AlertName} {alert.SloId}: burn rate {alert.BurnRate} over {string.Join(", ", alert.Windows)}");
            return Task.CompletedTask;
        }
    }
    // end-snippet
}
