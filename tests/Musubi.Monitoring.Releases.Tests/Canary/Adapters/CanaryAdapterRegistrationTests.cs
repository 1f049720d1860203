using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Musubi.Monitoring.Releases.Tests.Canary.ScriptedMetrics;

namespace Musubi.Monitoring.Releases.Tests.Canary.Adapters;

public sealed class CanaryAdapterRegistrationTests
{
    [Fact]
    public async Task AddCanaries_TrafficFlagAndReleaseHistory_FailedCanaryTurnsTheFlagOffAndRollsTheReleaseBack()
    {
        var time = new FakeTimeProvider(CanaryHarness.Start);
        var metrics = new ScriptedMetrics().Script("success-rate", Value(0));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ICanaryMetricsProvider>(metrics);

        // README example starts here.
        services.AddMusubiMonitoring()
            .AddReleases()
            .AddCanaries(o =>
            {
                o.TrafficFlag = "new-checkout";      // the canary's weight is this flag's rollout percentage
                o.RecordInReleaseHistory = true;     // every canary step becomes a note in the release's history
            });
        await using ServiceProvider provider = services.BuildServiceProvider();

        FeatureFlagService flags = provider.GetRequiredService<FeatureFlagService>();
        await flags.UpsertAsync(FlagDefinition.Off("new-checkout"), actor: "ana");

        ReleaseService releases = provider.GetRequiredService<ReleaseService>();
        Release release = await releases.PlanAsync("checkout v2", SemanticVersion.Parse("2.0.0-canary.1"), ReleaseType.Canary, "ana");
        // ... moved to Staging, then:
        // README example ends here.
        foreach (ReleaseStatus status in new[] { ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging })
        {
            await releases.TransitionAsync(release.Id, status, "ana");
        }

        var plan = new CanaryPlan([CanaryStep.SetWeight(10), CanaryStep.Analyze(new CanaryAnalysis([CanaryHarness.SuccessRate()]) { Interval = TimeSpan.FromMinutes(1), Count = 2 })]);
        CanaryRun run = await provider.GetRequiredService<CanaryController>().StartAsync(release.Id, plan, flags: ["new-checkout"]);
        Assert.True(flags.Flags.Snapshot.Contains("new-checkout"));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(CanaryState.RolledBack, await run.Completion);
        FeatureFlags evaluator = provider.GetRequiredService<FeatureFlags>();
        Assert.All(Enumerable.Range(0, 200), i => Assert.False(evaluator.IsEnabled("new-checkout", new FeatureFlagContext { UserId = "u" + i })));
        Assert.Equal(ReleaseStatus.RolledBack, (await releases.GetAsync(release.Id))!.Status);
        Assert.IsType<FlagRolloutRouter>(provider.GetRequiredService<ITrafficRouter>());
        Assert.IsType<FlagCanarySwitch>(provider.GetRequiredService<ICanaryFlagSwitch>());
        Assert.IsType<ReleaseCanaryHistory>(provider.GetRequiredService<ICanaryHistory>());
    }

    [Fact]
    public void AddCanaries_TrafficFlagCalledTwice_RegistersEachAdapterOnce()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddCanaries(o => o.TrafficFlag = "a").AddCanaries(o => o.TrafficFlag = "b");

        Assert.Single(services, d => d.ServiceType == typeof(ITrafficRouter));
        Assert.Single(services, d => d.ServiceType == typeof(ICanaryFlagSwitch));
        Assert.Single(services, d => d.ServiceType == typeof(FeatureFlagService));
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal("a", Assert.IsType<FlagRolloutRouter>(provider.GetRequiredService<ITrafficRouter>()).FlagName);
    }

    [Fact]
    public void AddCanaries_OwnRouterRegisteredFirst_Kept()
    {
        var services = new ServiceCollection();
        var mine = new RecordingRouter([]);
        services.AddSingleton<ITrafficRouter>(mine);
        services.AddMusubiMonitoring().AddCanaries(o => o.TrafficFlag = "a");

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<ITrafficRouter>());
    }

    [Fact]
    public void AddCanaries_NoOptions_RegistersNoAdapters()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddCanaries();

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ITrafficRouter) || d.ServiceType == typeof(ICanaryHistory) || d.ServiceType == typeof(FeatureFlagService));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddCanaries_BlankTrafficFlag_Throws(string flag)
    {
        var services = new ServiceCollection();
        ArgumentException e = Assert.Throws<ArgumentException>(() => services.AddMusubiMonitoring().AddCanaries(o => o.TrafficFlag = flag));
        Assert.Contains("TrafficFlag", e.Message);
    }

    [Fact]
    public void CanaryOptions_Defaults_NoAdapters()
    {
        var options = new CanaryOptions();
        Assert.Null(options.TrafficFlag);
        Assert.False(options.RecordInReleaseHistory);
    }
}
