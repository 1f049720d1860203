using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement.Tests;

/// <summary>An ambient targeting context the tests set directly, as an app's HTTP-context accessor would.</summary>
internal sealed class SettableTargetingContextAccessor : ITargetingContextAccessor
{
    public TargetingContext? Current { get; set; }

    public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(Current!);
}

internal static class TestServices
{
    public static FlagSnapshot Flags() => FlagSnapshot.FromDefinitions(
        FlagDefinition.On("on"),
        FlagDefinition.Off("off"),
        FlagDefinition.Percentage("percentage", 30),
        FlagDefinition.Users("users", "user-1", "user-42", "user-999"));

    /// <summary>Real DI: Musubi's FeatureFlags, then Microsoft.FeatureManagement with the Musubi flags.</summary>
    public static ServiceProvider Build(FlagSnapshot? snapshot = null, Action<IFeatureManagementBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddMusubiMonitoring().AddFeatureFlags(snapshot ?? Flags());
        IFeatureManagementBuilder builder = collection.AddFeatureManagement().AddMusubiFlags();
        configure?.Invoke(builder);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
