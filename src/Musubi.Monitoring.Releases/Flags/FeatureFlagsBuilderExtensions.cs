using Microsoft.Extensions.DependencyInjection.Extensions;
using Musubi.Monitoring;
using Musubi.Monitoring.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds feature flags to the monitoring core.</summary>
public static class FeatureFlagsBuilderExtensions
{
    /// <summary>
    /// Registers one <see cref="FeatureFlags"/> evaluator (a singleton on the registered <see cref="TimeProvider"/>),
    /// starting with <paramref name="snapshot"/>. Load new flags later with <see cref="FeatureFlags.Update"/>. Calling it
    /// again registers nothing more, and the snapshot passed then is not used.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="snapshot">The first flags; the default is <see cref="FlagSnapshot.Empty"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddFeatureFlags(this MusubiMonitoringBuilder builder, FlagSnapshot? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(sp => new FeatureFlags(snapshot, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }
}
