using System.Text.Json;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class MonitoringConfigTests
{
    private static MonitoringConfig Config()
    {
        var config = new MonitoringConfig("checkout");
        config.Slos.Add(SloTemplates.ApiAvailability("checkout"));
        config.Slos.Add(SloTemplates.ApiLatency("checkout", thresholdSeconds: 0.25, objectivePercent: 99m, periodDays: 28));
        config.Slos.Add(SloTemplates.ErrorRate("checkout", new MetricSelector("payments_total"), new MetricSelector("payment_failures_total")));
        config.AlertRules.Add(AlertTemplates.HighErrorRate("checkout"));
        config.AlertRules.Add(AlertTemplates.HighLatency("checkout", 0.5));
        config.AlertRules.Add(AlertTemplates.ServiceDown("checkout", "checkout-api"));
        config.AlertRules.Add(AlertTemplates.HighMemoryUsage("checkout", 512L * 1024 * 1024));
        config.AlertRules.Add(new AlertRule("QueueBacklog", "sum(queue_depth) > 1000", TimeSpan.FromMinutes(10), AlertSeverity.Ticket, "Backlog above 1000."));
        return config;
    }

    [Fact]
    public void ToPrometheusRules_TemplatesAndCustomRules_PassPromtoolLintFatal()
        => Promtool.CheckRules(Config().ToPrometheusRules());

    [Fact]
    public void ToPrometheusRules_OnlyAlertRules_NoSloGroupAndNoEmptyGroup()
    {
        var config = new MonitoringConfig("checkout");
        config.AlertRules.Add(AlertTemplates.ServiceDown("checkout", "api"));

        string rules = config.ToPrometheusRules();

        Promtool.CheckRules(rules);
        Assert.Single(rules.Split("  - name: ").Skip(1));
        Assert.Contains("name: \"alerts:checkout\"", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPrometheusRules_Empty_ThrowsNamingTheService()
        => Assert.Contains("'checkout'", Assert.Throws<InvalidOperationException>(() => new MonitoringConfig("checkout").ToPrometheusRules()).Message, StringComparison.Ordinal);

    [Fact]
    public void Outputs_UnderOtherCultures_AreByteIdentical()
    {
        MonitoringConfig config = Config();
        string invariant = config.ToPrometheusRules() + config.ToGrafanaDashboard() + config.ToJson();
        foreach (string culture in new[] { "de-DE", "ar-SA" })
        {
            using var scope = new CultureScope(culture);
            Assert.Equal(invariant, config.ToPrometheusRules() + config.ToGrafanaDashboard() + config.ToJson());
        }
    }

    [Fact]
    public void ToGrafanaDashboard_IsABareDashboardWithADatasourceVariableAndThreePanelsPerSlo()
    {
        using JsonDocument document = JsonDocument.Parse(Config().ToGrafanaDashboard());
        JsonElement root = document.RootElement;

        Assert.Equal("musubi-slo-checkout", root.GetProperty("uid").GetString());
        Assert.False(root.TryGetProperty("dashboard", out _));
        JsonElement variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray());
        Assert.Equal("datasource", variable.GetProperty("type").GetString());
        JsonElement[] panels = [.. root.GetProperty("panels").EnumerateArray()];
        Assert.Equal(3, panels.Count(p => p.GetProperty("type").GetString() == "row"));
        Assert.Equal(9, panels.Count(p => p.GetProperty("type").GetString() != "row"));
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (JsonElement panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("a-uid-that-is-much-longer-than-forty-characters")]
    [InlineData("dot.ted")]
    public void ToGrafanaDashboard_BadUid_ThrowsNamingIt(string uid)
        => Assert.Equal("uid", Assert.Throws<ArgumentException>(() => Config().ToGrafanaDashboard(uid)).ParamName);

    [Fact]
    public void ToGrafanaDashboard_LongServiceName_UidIsCutTo40()
    {
        var config = new MonitoringConfig("a very long service name that goes on and on");
        config.Slos.Add(SloTemplates.ApiAvailability("long"));

        using JsonDocument document = JsonDocument.Parse(config.ToGrafanaDashboard());

        string uid = document.RootElement.GetProperty("uid").GetString()!;
        Assert.True(uid.Length <= 40, uid);
        Assert.Matches("^[A-Za-z0-9_-]+$", uid);
    }

    [Fact]
    public void ToJson_HasSlosWithFactorsAndAlertRules()
    {
        using JsonDocument document = JsonDocument.Parse(Config().ToJson());
        JsonElement root = document.RootElement;

        Assert.Equal("checkout", root.GetProperty("service").GetString());
        JsonElement availability = root.GetProperty("slos")[0];
        Assert.Equal("checkout-availability", availability.GetProperty("id").GetString());
        Assert.Equal(0.999m, availability.GetProperty("objective").GetDecimal());
        Assert.Equal("30d", availability.GetProperty("period").GetString());
        Assert.Equal([14.4m, 6m, 1m], availability.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("factor").GetDecimal()));
        Assert.Equal(0.25, root.GetProperty("slos")[1].GetProperty("sli").GetProperty("latency_threshold_seconds").GetDouble());
        Assert.Equal(5, root.GetProperty("alert_rules").GetArrayLength());
        Assert.Equal("page", root.GetProperty("alert_rules")[0].GetProperty("severity").GetString());
    }

    [Fact]
    public void AlertRule_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new AlertRule("bad name", "up == 0", TimeSpan.Zero, AlertSeverity.Page)).ParamName);
        Assert.Throws<ArgumentException>(() => new AlertRule("A", " ", TimeSpan.Zero, AlertSeverity.Page));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertRule("A", "up == 0", TimeSpan.FromSeconds(-1), AlertSeverity.Page));
        Assert.Throws<ArgumentException>(() => new AlertRule("A", "up == 0", TimeSpan.Zero, AlertSeverity.Page, labels: new Dictionary<string, string> { ["bad-label"] = "x" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertTemplates.HighErrorRate("s", 1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertTemplates.HighMemoryUsage("s", 0));
    }
}
