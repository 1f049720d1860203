using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Releases.Tests.Canary;

public sealed class CanaryBuilderExtensionsTests
{
    [Fact]
    public void AddCanaries_NullBuilder_Throws()
        => Assert.Throws<ArgumentNullException>(() => CanaryBuilderExtensions.AddCanaries(null!));

    [Fact]
    public void AddCanaries_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITrafficRouter>(new RecordingRouter([]));
        services.AddMusubiMonitoring().AddCanaries().AddCanaries();

        Assert.Single(services, d => d.ServiceType == typeof(CanaryController));
        Assert.Single(services, d => d.ServiceType == typeof(ICanaryMetricsProvider));
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.Same(provider.GetRequiredService<CollectorCanaryMetrics>(), provider.GetRequiredService<ICanaryMetricsProvider>());
        Assert.NotNull(provider.GetRequiredService<CanaryController>());
    }

    [Fact]
    public void AddCanaries_OwnMetricsProvider_Kept()
    {
        var services = new ServiceCollection();
        var mine = new ScriptedMetrics();
        services.AddSingleton<ICanaryMetricsProvider>(mine);
        services.AddMusubiMonitoring().AddCanaries();

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<ICanaryMetricsProvider>());
    }

    /// <summary>The README's example, on a fake clock with traffic recorded between the intervals.</summary>
    [Fact]
    public async Task ReadmeExample_HealthyCanary_Succeeds()
    {
        var time = new FakeTimeProvider(CanaryHarness.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);

        // README example starts here (the meter name keeps this test's collector to itself).
        services.AddMusubiMonitoring(o => o.Metrics.MeterName = "Musubi.CanaryReadme." + Guid.NewGuid().ToString("N"))
            .AddCanaries(o => o.TrafficFlag = "orders-v2");   // the weight is this flag's rollout; a rollback turns it off
        using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<FeatureFlagService>().UpsertAsync(FlagDefinition.Off("orders-v2"), actor: "ana");

        var analysis = new CanaryAnalysis(
        [
            new AnalysisMetric("success-rate", CanaryQuery.SuccessRatio(("http_route", "/orders")), AnalysisCondition.AtLeast(0.99)),
            new AnalysisMetric("p99-latency", CanaryQuery.P99Latency(("http_route", "/orders")), AnalysisCondition.AtMost(0.5)),
        ])
        { Interval = TimeSpan.FromMinutes(1), Count = 3, FailureLimit = 1 }; // fails on the 2nd failed measurement

        var plan = new CanaryPlan(
        [
            CanaryStep.SetWeight(10), CanaryStep.Analyze(analysis),
            CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(10)),
            CanaryStep.PauseUntilApproved(), CanaryStep.Analyze(analysis),
        ]);

        CanaryController canary = provider.GetRequiredService<CanaryController>();
        CanaryRun run = await canary.StartAsync("orders-2.4.0", plan, flags: ["orders-v2"]);
        // Later: await run.ApproveAsync(), or await run.AbortAsync("pager went off") to roll back from any state.
        // A failed analysis rolls back on its own: weight 0, flags disabled, then the plan's own rollback steps.
        // README example ends here.

        MusubiMetrics metrics = provider.GetRequiredService<MusubiMetrics>();
        void Minute()
        {
            for (int i = 0; i < 100; i++)
            {
                metrics.RecordRequest("GET", "/orders", 200, TimeSpan.FromMilliseconds(30));
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        Minute(); Minute(); Minute();
        Assert.Equal(CanaryState.Paused, run.State);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(CanaryState.AwaitingApproval, run.State);
        await run.ApproveAsync();
        Minute(); Minute(); Minute();

        Assert.Equal(CanaryState.Succeeded, await run.Completion);
        Assert.Equal(["canary weight 10%", "canary weight 50%", "canary weight 100%"],
            run.History.Where(e => e.Kind == CanaryEventKind.WeightSet).Select(e => e.Detail));
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();
        Assert.All(Enumerable.Range(0, 200), i => Assert.True(flags.IsEnabled("orders-v2", new FeatureFlagContext { UserId = "u" + i })));
        Assert.All(run.Analyses, a => Assert.Equal(AnalysisPhase.Successful, a.Phase));
    }
}
