using Microsoft.Extensions.DependencyInjection.Extensions;
using Musubi.Monitoring;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds canary analysis and automatic rollback to the monitoring core.</summary>
public static class CanaryBuilderExtensions
{
    /// <summary>
    /// Registers, as singletons, <see cref="CollectorCanaryMetrics"/> as the <see cref="ICanaryMetricsProvider"/> (unless
    /// one is registered) and the <see cref="CanaryController"/>, built from the container: the
    /// <see cref="ITrafficRouter"/> (required: register yours, or set <see cref="CanaryOptions.TrafficFlag"/> to route by a
    /// feature flag's rollout), the <see cref="TimeProvider"/>, and the optional <see cref="ICanaryFlagSwitch"/> and
    /// <see cref="ICanaryHistory"/>. Calling it again registers nothing twice (adapters already registered are kept).
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Chooses the adapters (see <see cref="CanaryOptions"/>); run once, now.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="CanaryOptions.TrafficFlag"/> is set to an empty or white-space name.</exception>
    public static MusubiMonitoringBuilder AddCanaries(this MusubiMonitoringBuilder builder, Action<CanaryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CanaryOptions();
        configure?.Invoke(options);
        if (options.TrafficFlag is { } flag && string.IsNullOrWhiteSpace(flag))
        {
            throw new ArgumentException($"CanaryOptions.TrafficFlag is '{flag}'; set a flag name, or leave it null to register your own ITrafficRouter.", nameof(configure));
        }

        IServiceCollection services = builder.Services;
        if (options.TrafficFlag is { } trafficFlag)
        {
            builder.AddFeatureFlagManagement();
            services.TryAddSingleton<ITrafficRouter>(sp => new FlagRolloutRouter(sp.GetRequiredService<FeatureFlagService>(), trafficFlag));
            services.TryAddSingleton<ICanaryFlagSwitch>(sp => new FlagCanarySwitch(sp.GetRequiredService<FeatureFlagService>()));
        }

        if (options.RecordInReleaseHistory)
        {
            services.TryAddSingleton<ICanaryHistory>(sp => new ReleaseCanaryHistory(sp.GetRequiredService<ReleaseService>()));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CollectorCanaryMetrics(sp.GetRequiredService<MusubiMetricsCollector>()));
        services.TryAddSingleton<ICanaryMetricsProvider>(sp => sp.GetRequiredService<CollectorCanaryMetrics>());
        services.TryAddSingleton(sp => new CanaryController(
            sp.GetRequiredService<ICanaryMetricsProvider>(),
            sp.GetRequiredService<ITrafficRouter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ICanaryFlagSwitch>(),
            sp.GetService<ICanaryHistory>()));
        return builder;
    }
}
