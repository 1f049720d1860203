using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement.Tests;

public sealed class MusubiFeatureManagementBuilderExtensionsTests
{
    [Fact]
    public void AddMusubiFlags_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>("builder", () => MusubiFeatureManagementBuilderExtensions.AddMusubiFlags(null!));

    [Fact]
    public async Task AddMusubiFlags_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddFeatureFlags(TestServices.Flags());
        services.AddFeatureManagement().AddMusubiFlags().AddMusubiFlags();

        Assert.Single(services, d => d.ServiceType == typeof(IFeatureDefinitionProvider));
        Assert.Single(services, d => d.ServiceType == typeof(MusubiFlagsSource));
        Assert.Single(services, d => d.ImplementationType == typeof(MusubiFeatureFilter));
        Assert.Single(services, d => d.ImplementationType == typeof(MusubiTargetingFeatureFilter));
        Assert.Single(services, d => d.ImplementationType == typeof(MusubiContextFeatureFilter));

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.True(await provider.GetRequiredService<IFeatureManager>().IsEnabledAsync("on"));
    }

    [Fact]
    public void AddMusubiFlags_ReplacesTheConfigurationDefinitionProvider()
    {
        using ServiceProvider provider = TestServices.Build();
        Assert.IsType<MusubiFeatureDefinitionProvider>(provider.GetRequiredService<IFeatureDefinitionProvider>());
    }

    [Fact]
    public void AddMusubiFlags_WithoutFeatureFlags_ResolvingTheFeatureManagerThrowsNamingAddFeatureFlags()
    {
        var services = new ServiceCollection();
        services.AddFeatureManagement().AddMusubiFlags();
        using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IFeatureManager>());
        Assert.Contains("AddFeatureFlags", e.Message, StringComparison.Ordinal);
        Assert.Contains("FeatureFlags", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMusubiFlags_FeatureFlagsRegisteredByHand_IsUsed()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("by-hand")));
        var services = new ServiceCollection();
        services.AddSingleton(flags);
        services.AddFeatureManagement().AddMusubiFlags();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.True(await provider.GetRequiredService<IFeatureManager>().IsEnabledAsync("by-hand"));
    }

    [Fact]
    public async Task AddMusubiFlags_ScopedFeatureManagement_EvaluatesFlags()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddFeatureFlags(TestServices.Flags());
        services.AddScopedFeatureManagement().AddMusubiFlags();
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using IServiceScope scope = provider.CreateScope();
        IFeatureManager manager = scope.ServiceProvider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("on"));
        Assert.False(await manager.IsEnabledAsync("off"));
    }
}
