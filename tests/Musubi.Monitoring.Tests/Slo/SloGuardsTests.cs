using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class SloGuardsTests
{
    private static ServiceLevelObjective Guarded(long minimumEvents = 0, TimeSpan? absentAfter = null) =>
        new("guarded", "checkout", Sli.FromBadEvents(SliKind.ErrorRate, new MetricSelector("jobs_total"), new MetricSelector("job_failures_total")),
            Objective.Percent(99.9m), TimeSpan.FromDays(30))
        {
            MinimumEvents = minimumEvents,
            AbsentAlertAfter = absentAfter,
        };

    [Fact]
    public void MinimumEvents_RulesPassPromtoolAndTheGeneratedSuite()
    {
        ServiceLevelObjective slo = Guarded(minimumEvents: 1000);
        string rules = SloRules.Generate([slo]);

        Assert.Contains("and on() sum(increase(jobs_total[1h])) >= 1000", rules, StringComparison.Ordinal);
        Promtool.CheckRules(rules);
        Promtool.TestRules(rules, SloRules.GenerateTests(slo));
    }

    [Fact]
    public void MinimumEvents_AQuietHalfFailingHour_DoesNotPage()
    {
        ServiceLevelObjective slo = Guarded(minimumEvents: 1000);
        const string Tests = """
            rule_files: ["rules.yml"]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: jobs_total
                    values: 0+10x120
                  - series: job_failures_total
                    values: 0+5x120
                alert_rule_test:
                  - eval_time: 30m
                    alertname: SLOErrorBudgetBurnPage
                    exp_alerts: []
            """;

        Promtool.TestRules(SloRules.Generate([slo]), Tests);
    }

    [Fact]
    public void AbsentAlertAfter_NoSeries_FiresTheTicketAfterTheDelay()
    {
        ServiceLevelObjective slo = Guarded(absentAfter: TimeSpan.FromMinutes(10));
        const string Tests = """
            rule_files: ["rules.yml"]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: unrelated_total
                    values: 0+1x60
                alert_rule_test:
                  - eval_time: 5m
                    alertname: SLOMetricAbsent
                    exp_alerts: []
                  - eval_time: 15m
                    alertname: SLOMetricAbsent
                    exp_alerts:
                      - exp_labels:
                          severity: ticket
                          service: checkout
                          slo: guarded
                        exp_annotations:
                          summary: "checkout: the guarded SLO has no jobs_total series; its SLI cannot be measured."
            """;
        string rules = SloRules.Generate([slo]);

        Promtool.CheckRules(rules);
        Promtool.TestRules(rules, Tests);
    }

    [Fact]
    public void Rules_NoErrorSeriesYet_RatioIsZeroAndNothingFires()
    {
        ServiceLevelObjective slo = Guarded();
        const string Tests = """
            rule_files: ["rules.yml"]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: jobs_total
                    values: 0+600x120
                alert_rule_test:
                  - eval_time: 60m
                    alertname: SLOErrorBudgetBurnPage
                    exp_alerts: []
                promql_expr_test:
                  - expr: slo:sli_error:ratio_rate5m{slo="guarded"}
                    eval_time: 60m
                    exp_samples:
                      - labels: slo:sli_error:ratio_rate5m{service="checkout",slo="guarded"}
                        value: 0
                  - expr: slo:error_budget:remaining{slo="guarded"}
                    eval_time: 60m
                    exp_samples:
                      - labels: slo:error_budget:remaining{service="checkout",slo="guarded"}
                        value: 1
            """;

        Promtool.TestRules(SloRules.Generate([slo]), Tests);
    }

    [Fact]
    public void Guards_BadValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Guarded(minimumEvents: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Guarded(absentAfter: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Guarded(absentAfter: TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public void CheckLatencyThresholds_NotABucketBoundary_ThrowsNamingTheThresholdAndTheBuckets()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddMusubiMonitoring(o => o.Metrics.MeterName = "Test." + Guid.NewGuid().ToString("N")).Services.BuildServiceProvider();
        MusubiMetricsCollector collector = services.GetRequiredService<MusubiMetricsCollector>();
        services.GetRequiredService<MusubiMetrics>().RecordRequest("GET", "/api/orders/{id}", 200, TimeSpan.FromMilliseconds(20));
        MetricsSnapshot snapshot = collector.Collect();
        var wrong = new ServiceLevelObjective("latency", "checkout", Sli.HttpLatency(0.3), Objective.Percent(99m), TimeSpan.FromDays(30));
        var right = new ServiceLevelObjective("latency-ok", "checkout", Sli.HttpLatency(0.25), Objective.Percent(99m), TimeSpan.FromDays(30));

        SloRules.CheckLatencyThresholds([right], snapshot);
        ArgumentException error = Assert.Throws<ArgumentException>(() => SloRules.CheckLatencyThresholds([right, wrong], snapshot));

        Assert.Contains("'latency'", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.3 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.25, 0.5", error.Message, StringComparison.Ordinal);
    }
}
