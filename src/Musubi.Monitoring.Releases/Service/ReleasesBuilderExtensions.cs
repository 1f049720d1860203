using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds releases to the monitoring core.</summary>
public static class ReleasesBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ReleaseService"/> and an in-memory <see cref="IReleaseStore"/> unless another store is registered
    /// (<c>.UseSqlite(…)</c> replaces it). Calling it again only applies <paramref name="configure"/> as well.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options (checked when the host starts).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddReleases(this MusubiMonitoringBuilder builder, Action<ReleaseOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ReleaseService)))
        {
            return builder;
        }

        services.AddOptionsWithValidateOnStart<ReleaseOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReleaseOptions>, ReleaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReleaseStore, InMemoryReleaseStore>();
        services.TryAddSingleton(sp => new ReleaseService(
            sp.GetRequiredService<IReleaseStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ReleaseOptions>>().Value));
        return builder;
    }
}
