using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Quality;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds quality history: automatic collection, a snapshot store, trends and threshold alerts.</summary>
public static class QualityHistoryBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="InMemoryQualityHistoryStore"/> as the <see cref="IQualityHistoryStore"/> unless one is
    /// registered (<c>.UseSqlite(…)</c> replaces it, before or after), a <see cref="QualityCollector"/> that collects from
    /// the registered <see cref="IQualitySource"/> and gives alerts to every registered <see cref="IQualityAlertSink"/>,
    /// and a hosted service that starts it with the host and stops it cleanly. Calling it again only adds
    /// <paramref name="configure"/>; nothing is registered twice.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Changes the options (checked when the host starts); <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Alerts use <see cref="QualityHistoryOptions.Thresholds"/> when any are given; otherwise AddQuality's thresholds
    /// (its <see cref="QualityConfiguration"/>) when <c>AddQuality</c> is registered, else <see cref="QualityThresholds.Defaults"/>.
    /// An <see cref="IQualitySource"/> must be registered by the time the collector is resolved (the host start);
    /// without one the start fails with an <see cref="InvalidOperationException"/> saying so.
    /// </remarks>
    public static MusubiMonitoringBuilder AddQualityHistory(this MusubiMonitoringBuilder builder, Action<QualityHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(QualityCollector)))
        {
            return builder;
        }

        services.AddOptionsWithValidateOnStart<QualityHistoryOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QualityHistoryOptions>, QualityHistoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IQualityHistoryStore>(sp => new InMemoryQualityHistoryStore(sp.GetRequiredService<IOptions<QualityHistoryOptions>>().Value.InMemoryCapacity));
        services.TryAddSingleton(sp => new QualityCollector(
            sp.GetService<IQualitySource>() ?? throw new InvalidOperationException(
                "AddQualityHistory collects from an IQualitySource, and none is registered: register one (services.AddSingleton<IQualitySource, MySource>()) or add the quality report readers."),
            sp.GetRequiredService<IQualityHistoryStore>(),
            sp.GetRequiredService<IOptions<QualityHistoryOptions>>().Value,
            sp.GetServices<IQualityAlertSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<QualityCollector>() ?? (ILogger)NullLogger.Instance,
            sp.GetService<QualityConfiguration>()?.Thresholds.Thresholds));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QualityCollectorHostedService>());
        return builder;
    }
}
