using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class ErrorBudgetHealthCheckTests
{
    private static readonly ServiceLevelObjective s_orders = new("orders", "checkout",
        Sli.FromBadEvents(SliKind.Availability, new MetricSelector("orders_total"),
            new MetricSelector("orders_total", new LabelMatcher("outcome", MatchOperator.Equal, "error"))),
        Objective.Percent(99.9m), TimeSpan.FromDays(30));

    [Fact]
    public async Task CheckHealth_BudgetLeftThenSpent_HealthyThenDegradedWithTheNumbers()
    {
        using var harness = new SloHarness([s_orders], s => s.AddLogging().AddMusubiMonitoring().AddErrorBudgetHealthCheck("orders"));
        HealthCheckService health = harness.Services.GetRequiredService<HealthCheckService>();
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        orders.Add(1000, new KeyValuePair<string, object?>("outcome", "ok"));
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        HealthReport before = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        orders.Add(100, new KeyValuePair<string, object?>("outcome", "error"));
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        HealthReport after = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, before.Entries["slo:orders"].Status);
        HealthReportEntry spent = after.Entries["slo:orders"];
        Assert.Equal(HealthStatus.Degraded, spent.Status);
        Assert.True((decimal)spent.Data["error_budget_remaining"] < 0m);
        Assert.Contains("SLOErrorBudgetBurnPage", spent.Description, StringComparison.Ordinal);
        Assert.Contains("ready", spent.Tags);
    }

    [Fact]
    public void AddErrorBudgetHealthCheck_BadArgumentsAndTwice()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();

        Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddErrorBudgetHealthCheck("a"));
        Assert.Throws<ArgumentException>(() => builder.AddErrorBudgetHealthCheck(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddErrorBudgetHealthCheck("a", HealthStatus.Healthy));
        builder.AddErrorBudgetHealthCheck("a").AddErrorBudgetHealthCheck("a");

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Single(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "slo:a");
    }
}
