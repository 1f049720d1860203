using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// The sample's SLOs and alert rules: what <c>artifacts/prometheus-rules.yml</c> and
/// <c>artifacts/grafana-dashboard.json</c> are made from, also served at <c>/monitoring/…</c>.
/// </summary>
internal static class SampleMonitoring
{
    public const string Service = "musubi-sample";

    /// <summary>The Prometheus job name the sample's rules expect for <c>ServiceDown</c>.</summary>
    public const string Job = "musubi-sample";

    public static MonitoringConfig Config()
    {
        var route = (string template) => new LabelMatcher("http_route", MatchOperator.Equal, template);
        var config = new MonitoringConfig(Service);

        // /api/flaky fails about one call in five: far beyond a 99.9% objective, so its page alert fires.
        config.Slos.Add(new ServiceLevelObjective("flaky-availability", Service, Sli.HttpAvailability(route("/api/flaky")),
            Objective.Percent(99.9m), TimeSpan.FromDays(30), description: "GET /api/flaky answers without a server error."));
        config.Slos.Add(new ServiceLevelObjective("orders-latency", Service, Sli.HttpLatency(0.25, route("/api/orders/{id:int}")),
            Objective.Percent(99m), TimeSpan.FromDays(30), description: "Order reads within 250 ms."));
        config.Slos.Add(SloTemplates.ApiAvailability(Service, objectivePercent: 99.5m));
        config.AlertRules.Add(AlertTemplates.HighErrorRate(Service));
        config.AlertRules.Add(AlertTemplates.HighLatency(Service, thresholdSeconds: 0.5));
        config.AlertRules.Add(AlertTemplates.ServiceDown(Service, Job));
        return config;
    }
}
