using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's SLO rule examples.</summary>
public static class SloRulesSnippets
{
    public static void Rules()
    {
        // begin-snippet: slo-rules
        var config = new MonitoringConfig("checkout");

        // Availability from this library's HTTP histogram: 5xx answers over all answers on one route.
        config.Slos.Add(new ServiceLevelObjective(
            id: "orders-availability",
            service: "checkout",
            sli: Sli.HttpAvailability(new LabelMatcher("http_route", MatchOperator.Equal, "/api/orders/{id:int}")),
            objective: Objective.Percent(99.9m),             // or Objective.Ratio(0.999m)
            period: TimeSpan.FromDays(30))                    // tiers default to the SRE Workbook's 2%/1h, 5%/6h, 10%/3d
        {
            MinimumEvents = 100,                              // no page on the first failure of a quiet night
            AbsentAlertAfter = TimeSpan.FromMinutes(10),      // ticket when the metric disappears
        });

        // Latency: the share of requests within 250 ms (a bucket boundary of the histogram).
        config.Slos.Add(SloTemplates.ApiLatency("checkout", thresholdSeconds: 0.25, objectivePercent: 99m));

        // Your own counters: failed payments over payments.
        config.Slos.Add(new ServiceLevelObjective("payments", "checkout",
            Sli.FromBadEvents(SliKind.ErrorRate, new MetricSelector("payments_total"), new MetricSelector("payment_failures_total")),
            Objective.Percent(99.5m), TimeSpan.FromDays(28)));

        config.AlertRules.Add(AlertTemplates.HighErrorRate("checkout", maxErrorRatio: 0.05m));
        config.AlertRules.Add(AlertTemplates.ServiceDown("checkout", job: "checkout"));

        File.WriteAllText("prometheus-rules.yml", config.ToPrometheusRules());      // promtool check rules --lint-fatal passes
        File.WriteAllText("grafana-dashboard.json", config.ToGrafanaDashboard());   // import into Grafana
        File.WriteAllText("monitoring.json", config.ToJson());
        // A promtool test suite proves one SLO's rules on their own: promtool test rules orders-tests.yml
        File.WriteAllText("orders-rules.yml", SloRules.Generate([config.Slos[0]]));
        File.WriteAllText("orders-tests.yml", SloRules.GenerateTests(config.Slos[0], "orders-rules.yml"));
        // end-snippet
    }
}
