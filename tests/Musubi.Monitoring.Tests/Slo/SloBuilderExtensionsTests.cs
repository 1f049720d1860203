using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class SloBuilderExtensionsTests
{
    private static ServiceLevelObjective Slo(string id, string errorRegex = "5..") => new(
        id, "checkout",
        Sli.FromBadEvents(SliKind.Availability, new MetricSelector("orders_total"),
            new MetricSelector("orders_total", new LabelMatcher("code", MatchOperator.Regex, errorRegex))),
        Objective.Percent(99.9m), TimeSpan.FromDays(30));

    [Fact]
    public void AddSlo_NullArguments_Throw()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();

        Assert.Throws<ArgumentNullException>("builder", () => SloBuilderExtensions.AddSlo(null!, Slo("a")));
        Assert.Throws<ArgumentNullException>("slo", () => builder.AddSlo(null!));
        Assert.Throws<ArgumentNullException>("builder", () => SloBuilderExtensions.AddSlos(null!, [Slo("a")]));
        Assert.Throws<ArgumentNullException>("slos", () => builder.AddSlos(null!));
        Assert.Throws<ArgumentNullException>("slos", () => builder.AddSlos([Slo("a"), null!]));
        Assert.Throws<ArgumentNullException>("builder", () => SloBuilderExtensions.ConfigureSlos(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.ConfigureSlos(null!));
    }

    [Fact]
    public void AddSlo_DuplicateId_ThrowsNamingTheIdAndRegistersNothingMore()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring().AddSlo(Slo("orders"));
        int count = services.Count;

        ArgumentException again = Assert.Throws<ArgumentException>(() => builder.AddSlo(Slo("orders")));
        ArgumentException inOneCall = Assert.Throws<ArgumentException>(() => builder.AddSlos([Slo("payments"), Slo("payments")]));

        Assert.Contains("'orders'", again.Message, StringComparison.Ordinal);
        Assert.Contains("'payments'", inOneCall.Message, StringComparison.Ordinal);
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void LabelMatcher_RegexThatDoesNotParse_ThrowsNamingThePatternAndLabel()
    {
        // Refused when the matcher is made, before any SLO or registration.
        ArgumentException error = Assert.Throws<ArgumentException>(() => Slo("broken", "5(.."));

        Assert.Contains("\"5(..\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("'code'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSlo_CalledTwice_OneMonitorWithBothSlos()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddMusubiMonitoring().AddSlo(Slo("orders")).ConfigureSlos(_ => { });
        services.AddMusubiMonitoring().AddSlos([Slo("payments")]).ConfigureSlos(_ => { });

        Assert.Single(services, d => d.ServiceType == typeof(SloMonitor));
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        SloMonitor monitor = provider.GetRequiredService<SloMonitor>();
        Assert.Equal(["orders", "payments"], monitor.Objectives.Select(o => o.Id));
        Assert.Equal(["orders", "payments"], monitor.GetStatuses().Select(s => s.Id));
        Assert.Equal(2, provider.GetServices<IHostedService>().Count());
    }

    [Fact]
    public async Task AddSlo_HttpSlisFromRequestMetrics_EvaluatedFromTheCoreHistogram()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMusubiMonitoring(o => o.Metrics.MeterName = "Musubi.SloTests.Http." + Guid.NewGuid().ToString("N")).AddSlos(
        [
            new ServiceLevelObjective("api-availability", "api", Sli.HttpAvailability(new LabelMatcher("http_route", MatchOperator.Equal, "/api")), Objective.Percent(99m), TimeSpan.FromDays(28)),
            new ServiceLevelObjective("api-latency", "api", Sli.HttpLatency(1), Objective.Percent(99m), TimeSpan.FromDays(28)),
        ]);
        using ServiceProvider provider = services.BuildServiceProvider();
        SloMonitor monitor = provider.GetRequiredService<SloMonitor>();
        MusubiMetrics metrics = provider.GetRequiredService<MusubiMetrics>();

        for (int i = 0; i < 96; i++)
        {
            metrics.RecordRequest("GET", "/api", 200, TimeSpan.FromMilliseconds(100));
        }

        metrics.RecordRequest("GET", "/api", 200, TimeSpan.FromSeconds(1)); // on the 1 s boundary: good
        metrics.RecordRequest("GET", "/api", 503, TimeSpan.FromSeconds(2));
        metrics.RecordRequest("GET", "/api", 500, TimeSpan.FromSeconds(3));
        metrics.RecordRequest("GET", "/health", 500, TimeSpan.FromSeconds(4));
        time.Advance(TimeSpan.FromMinutes(1));
        await monitor.EvaluateAsync(TestContext.Current.CancellationToken);

        SloStatus availability = monitor.GetStatus("api-availability");
        Assert.Equal(99, availability.TotalEvents);
        Assert.Equal(2, availability.BadEvents);
        SloStatus latency = monitor.GetStatus("api-latency");
        Assert.Equal(100, latency.TotalEvents);
        Assert.Equal(3, latency.BadEvents);
        Assert.Equal(0.97m, latency.Sli);
    }
}
