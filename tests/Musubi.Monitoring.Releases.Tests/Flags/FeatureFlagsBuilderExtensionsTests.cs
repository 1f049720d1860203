using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class FeatureFlagsBuilderExtensionsTests
{
    [Fact]
    public void AddFeatureFlags_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => FeatureFlagsBuilderExtensions.AddFeatureFlags(null!));

    [Fact]
    public void AddFeatureFlags_CalledTwice_RegistersOneEvaluatorWithTheFirstSnapshot()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
        builder.AddFeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("a"))).AddFeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("b")));
        Assert.Single(services, d => d.ServiceType == typeof(FeatureFlags));
        using ServiceProvider provider = services.BuildServiceProvider();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();
        Assert.Same(flags, provider.GetRequiredService<FeatureFlags>());
        Assert.True(flags.IsEnabled("a"));
        Assert.False(flags.IsEnabled("b"));
    }

    [Fact]
    public void AddFeatureFlags_RegisteredTimeProvider_SuppliesCurrentTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMusubiMonitoring().AddFeatureFlags(FlagSnapshot.FromUnleashJson(
            """{ "features": [ { "name": "later", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "currentTime", "operator": "DATE_AFTER", "value": "2030-01-02T00:00:00Z" } ] } ] } ] }"""));
        using ServiceProvider provider = services.BuildServiceProvider();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();
        Assert.False(flags.IsEnabled("later"));
        time.Advance(TimeSpan.FromDays(2));
        Assert.True(flags.IsEnabled("later"));
    }
}
