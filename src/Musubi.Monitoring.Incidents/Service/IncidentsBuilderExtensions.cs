using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds incidents to the monitoring core.</summary>
public static class IncidentsBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IncidentService"/>, an in-memory <see cref="IIncidentStore"/> unless another store is registered
    /// (<c>.UseSqlite(…)</c> replaces it), incidents opened and resolved by the in-process SLO alerts, and the incident
    /// metrics. Calling it again only applies <paramref name="configure"/> as well.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options (checked when the host starts).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddIncidents(this MusubiMonitoringBuilder builder, Action<IncidentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(IncidentService)))
        {
            return builder;
        }

        services.AddOptionsWithValidateOnStart<IncidentOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IncidentOptions>, IncidentOptionsValidator>());
        services.TryAddSingleton<IIncidentStore, InMemoryIncidentStore>();
        services.TryAddSingleton(sp =>
        {
            IncidentOptions options = sp.GetRequiredService<IOptions<IncidentOptions>>().Value;
            return new IncidentMetrics(sp.GetRequiredService<MusubiMetrics>().Meter, options.StatisticsWindow);
        });
        services.TryAddSingleton(sp => new IncidentService(
            sp.GetRequiredService<IIncidentStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<IncidentOptions>>().Value,
            sp.GetServices<IIncidentObserver>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<IncidentService>() ?? (ILogger)NullLogger.Instance,
            sp.GetRequiredService<IncidentMetrics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISloAlertObserver, SloIncidentObserver>(sp => new SloIncidentObserver(
            sp.GetRequiredService<IncidentService>(),
            sp.GetRequiredService<IOptions<IncidentOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<SloIncidentObserver>() ?? NullLogger<SloIncidentObserver>.Instance)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IncidentMetricsRefresher>());
        return builder;
    }
}
