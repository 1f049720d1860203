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
    /// <see cref="ITrafficRouter"/> (required: register yours, for example one that sets a flag's rollout percentage),
    /// the <see cref="TimeProvider"/>, and the optional <see cref="ICanaryFlagSwitch"/> and <see cref="ICanaryHistory"/>.
    /// Calling it again registers nothing twice.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddCanaries(this MusubiMonitoringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new CollectorCanaryMetrics(sp.GetRequiredService<MusubiMetricsCollector>()));
        builder.Services.TryAddSingleton<ICanaryMetricsProvider>(sp => sp.GetRequiredService<CollectorCanaryMetrics>());
        builder.Services.TryAddSingleton(sp => new CanaryController(
            sp.GetRequiredService<ICanaryMetricsProvider>(),
            sp.GetRequiredService<ITrafficRouter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ICanaryFlagSwitch>(),
            sp.GetService<ICanaryHistory>()));
        return builder;
    }
}
