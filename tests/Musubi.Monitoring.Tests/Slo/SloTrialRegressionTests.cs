using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

/// <summary>What a new-user trial and a bad-input attack on the SLO features found; each test is named after what broke.</summary>
public sealed class SloTrialRegressionTests
{
    private static ServiceLevelObjective Jobs(string id = "jobs", string service = "checkout", MetricSelector? total = null, MetricSelector? bad = null, long minimumEvents = 0) =>
        new(id, service, Sli.FromBadEvents(SliKind.ErrorRate, total ?? new MetricSelector("jobs_total"), bad ?? new MetricSelector("job_failures_total")),
            Objective.Percent(99.9m), TimeSpan.FromDays(30)) { MinimumEvents = minimumEvents };

    [Fact]
    public async Task ErrorBudgetHealthCheck_WithoutAnySlo_ReportsInsteadOfBreakingTheHealthEndpoint()
    {
        using ServiceProvider services = new ServiceCollection().AddLogging()
            .AddMusubiMonitoring().AddErrorBudgetHealthCheck("nope").Services.BuildServiceProvider();

        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        HealthReportEntry entry = report.Entries["slo:nope"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("AddSlo", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveEvaluation_MinimumEvents_OneFailedRequestDoesNotPage()
    {
        var slo = new ServiceLevelObjective("orders", "checkout",
            Sli.FromBadEvents(SliKind.Availability, new MetricSelector("orders_total"), new MetricSelector("orders_total", new LabelMatcher("outcome", MatchOperator.Equal, "error"))),
            Objective.Percent(99.9m), TimeSpan.FromDays(30)) { MinimumEvents = 1000 };
        using var harness = new SloHarness([slo]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        orders.Add(1, new KeyValuePair<string, object?>("outcome", "error"));
        IReadOnlyList<SloAlert> alerts = await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(alerts);
        Assert.Equal(0m, harness.Monitor.GetStatus("orders").Sli);
    }

    [Theory]
    [InlineData("svc {{ .Value }}")]
    [InlineData("rocket 🚀 \u2028 line")]
    [InlineData("back`tick \"quoted\" {{")]
    public void Rules_OddServiceNames_AreLiteralAndPassPromtool(string service)
    {
        ServiceLevelObjective slo = Jobs(service: service,
            total: new MetricSelector("jobs_total", new LabelMatcher("queue", MatchOperator.Equal, "a`b\u2028🚀")), minimumEvents: 10);
        ServiceLevelObjective sameMetric = new("jobs-same", service,
            Sli.FromBadEvents(SliKind.ErrorRate, slo.Sli.Total, slo.Sli.Total.With(new LabelMatcher("outcome", MatchOperator.Equal, "failed"))),
            Objective.Percent(99.9m), TimeSpan.FromDays(30));
        string rules = SloRules.Generate([sameMetric]);

        Promtool.CheckRules(SloRules.Generate([slo]));
        Promtool.TestRules(rules, SloRules.GenerateTests(sameMetric));
    }

    [Theory]
    [InlineData("a\n")]
    [InlineData("ok\r")]
    public void Names_TrailingLineBreak_AreRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => Jobs(id: name));
        Assert.Throws<ArgumentException>(() => new AlertRule("A", "up == 0", TimeSpan.Zero, AlertSeverity.Page, labels: new Dictionary<string, string> { ["team" + name] = "x" }));
        Assert.Throws<ArgumentException>(() => new MetricSelector("jobs_total" + name));
        var config = new MonitoringConfig("s");
        config.Slos.Add(Jobs());
        Assert.Throws<ArgumentException>(() => config.ToGrafanaDashboard("uid" + name));
    }

    [Fact]
    public void Slo_TierThatCanNeverFire_IsRefusedNamingTheThreshold()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            new ServiceLevelObjective("loose", "s", Sli.HttpAvailability(), Objective.Percent(90m), TimeSpan.FromDays(30)));

        Assert.Contains("1.44", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateTests_LargeMinimumEvents_FeedsEnoughEvents()
    {
        ServiceLevelObjective slo = Jobs(minimumEvents: 1_000_000);

        Promtool.TestRules(SloRules.Generate([slo]), SloRules.GenerateTests(slo));
    }

    [Fact]
    public void GenerateTests_RegexTotalAndNegatedBad_PicksValuesBothAgreeOn()
    {
        var total = new MetricSelector("requests_total", new LabelMatcher("route", MatchOperator.Regex, "/api/.+"));
        ServiceLevelObjective slo = Jobs(total: total, bad: total.With(new LabelMatcher("route", MatchOperator.NotRegex, "/api/admin.*")));

        Promtool.TestRules(SloRules.Generate([slo]), SloRules.GenerateTests(slo));
    }

    [Theory]
    [InlineData("(?!/health).*")]
    [InlineData("(a)\\1")]
    [InlineData("(")]
    public void LabelMatcher_RegexPrometheusCannotRun_IsRefused(string pattern)
        => Assert.Throws<ArgumentException>(() => new LabelMatcher("route", MatchOperator.Regex, pattern));

    [Fact]
    public void MonitoringConfig_NullsAndDuplicates_RefusedByEveryOutput()
    {
        var config = new MonitoringConfig("s");
        config.Slos.Add(Jobs());
        config.Slos.Add(Jobs());
        Assert.Throws<ArgumentException>(config.ToJson);
        Assert.Throws<ArgumentException>(() => config.ToGrafanaDashboard());
        Assert.Throws<ArgumentException>(config.ToPrometheusRules);
        config.Slos.RemoveAt(1);
        config.AlertRules.Add(null!);
        Assert.Throws<ArgumentException>(config.ToJson);
        Assert.Throws<ArgumentException>(() => new AlertRule("A", "up == 0", TimeSpan.Zero, AlertSeverity.Page, labels: new Dictionary<string, string> { ["team"] = null! }));
    }

    [Fact]
    public void GrafanaUid_NonAsciiServiceNames_DoNotCollide()
    {
        string Uid(string service)
        {
            var config = new MonitoringConfig(service);
            config.Slos.Add(Jobs());
            using var document = System.Text.Json.JsonDocument.Parse(config.ToGrafanaDashboard());
            return document.RootElement.GetProperty("uid").GetString()!;
        }

        string japan = Uid("日本");
        Assert.NotEqual(japan, Uid("中国"));
        Assert.Matches("^[A-Za-z0-9_-]{1,40}$", japan);
    }

    [Fact]
    public void Templates_ExtremeLatencyThresholds_AreRefusedNotOverflowed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertTemplates.HighLatency("s", 1e30));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertTemplates.HighLatency("s", 1e-30));
        Assert.Throws<ArgumentOutOfRangeException>(() => SloTemplates.ApiLatency("s", 1e30));
        Assert.Equal("periodDays", Assert.Throws<ArgumentOutOfRangeException>(() => SloTemplates.ApiAvailability("s", periodDays: 2)).ParamName);
    }
}
