using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Musubi.Monitoring in a service collection.</summary>
public static class MusubiMonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Musubi monitoring core: options validated at start-up, <see cref="TimeProvider.System"/> and
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when the host has none, the metrics collector,
    /// the <see cref="MusubiMetrics"/> convenience API, and the <see cref="MusubiTracer"/>. Calling it again registers nothing twice; a further
    /// <paramref name="configure"/> is applied after the earlier ones.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder that domain packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddMusubiMonitoring(
        this IServiceCollection services, Action<MusubiMonitoringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.Any(d => d.ServiceType == typeof(MusubiMonitoringMarker)))
        {
            services.AddSingleton<MusubiMonitoringMarker>();
            services.AddOptionsWithValidateOnStart<MusubiMonitoringOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MusubiMonitoringOptions>, MusubiMonitoringOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MusubiMonitoringOptions>, MetricsOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.TryAddSingleton<MusubiMetricsCollector>();
            services.TryAddSingleton<MusubiMetrics>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MusubiMonitoringOptions>, TracingOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MusubiMonitoringOptions>, CorrelationOptionsValidator>());
            services.TryAddTransient<MusubiCorrelationHandler>();
            services.TryAddSingleton(sp => new MusubiTracer(
                sp.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value,
                sp.GetServices<SpanExporterRegistration>().Select(r => (r.Resolve(sp), r.Immediate)),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<MusubiMetrics>().Meter));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MonitoringLifetime>());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new MusubiMonitoringBuilder(services);
    }

    /// <summary>Marks a collection that already has the core registered.</summary>
    private sealed class MusubiMonitoringMarker;

    /// <summary>
    /// Resolves the collector and the tracer when the host starts, so measurements and spans are captured before the
    /// first scrape or export; exports queued spans when the host stops.
    /// </summary>
    private sealed class MonitoringLifetime(MusubiMetricsCollector collector, MusubiMetrics metrics, MusubiTracer tracer) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(collector);
            GC.KeepAlive(metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => tracer.FlushAsync(cancellationToken);
    }
}
