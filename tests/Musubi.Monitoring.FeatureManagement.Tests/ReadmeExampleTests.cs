using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement.Tests;

/// <summary>The README's FeatureManagement example, compiled and run as is (between the markers).</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_RunsAsDocumented()
    {
        // README begin
        // Apps on Microsoft.FeatureManagement read Musubi flags through IFeatureManager.
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddFeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("new-navigation"),
            FlagDefinition.Users("beta-reports", "alice", "bob")));
        services.AddFeatureManagement().AddMusubiFlags();          // replaces the configuration definitions

        using ServiceProvider provider = services.BuildServiceProvider();
        IFeatureManager features = provider.GetRequiredService<IFeatureManager>();
        bool navigation = await features.IsEnabledAsync("new-navigation");                   // true
        bool reports = await features.IsEnabledAsync("beta-reports", new TargetingContext { UserId = "alice" }); // true

        // Flags loaded later apply from the next call; nothing is cached.
        provider.GetRequiredService<FeatureFlags>().Update(FlagSnapshot.FromDefinitions(FlagDefinition.Off("new-navigation")));
        bool afterUpdate = await features.IsEnabledAsync("new-navigation");                  // false
        // README end

        Assert.True(navigation);
        Assert.True(reports);
        Assert.False(afterUpdate);
    }
}
