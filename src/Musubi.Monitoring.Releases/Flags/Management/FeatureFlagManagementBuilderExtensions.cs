using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Musubi.Monitoring;
using Musubi.Monitoring.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds run-time flag changes that are kept in a store.</summary>
public static class FeatureFlagManagementBuilderExtensions
{
    /// <summary>
    /// Registers, as singletons, <see cref="FeatureFlags"/> (as <c>AddFeatureFlags()</c> does), an
    /// <see cref="InMemoryFeatureFlagStore"/> as the <see cref="IFeatureFlagStore"/> unless another is registered
    /// (<c>.UseSqlite(…)</c> replaces it), the <see cref="FeatureFlagService"/>, and a hosted service that loads the
    /// stored flags into <see cref="FeatureFlags"/> when the host starts. Calling it again registers nothing more, and
    /// the seed passed then is not used.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="seedUnleashJson">The flags to start with while the store is empty, as Unleash client features JSON; the
    /// default is none (the snapshot given to <c>AddFeatureFlags</c>, if any, stays in use until the first change).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException"><paramref name="seedUnleashJson"/> is not valid Unleash client features JSON.</exception>
    public static MusubiMonitoringBuilder AddFeatureFlagManagement(this MusubiMonitoringBuilder builder, string? seedUnleashJson = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (seedUnleashJson is not null)
        {
            _ = FlagSnapshot.FromUnleashJson(seedUnleashJson);
        }

        builder.AddFeatureFlags();
        IServiceCollection services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFeatureFlagStore, InMemoryFeatureFlagStore>();
        services.TryAddSingleton(sp => new FeatureFlagService(
            sp.GetRequiredService<FeatureFlags>(),
            sp.GetRequiredService<IFeatureFlagStore>(),
            sp.GetRequiredService<TimeProvider>(),
            seedUnleashJson));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FeatureFlagLoader>());
        return builder;
    }
}
