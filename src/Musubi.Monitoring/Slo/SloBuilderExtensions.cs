using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SLOs evaluated live in-process by <see cref="SloMonitor"/> to the monitoring core.</summary>
public static class SloBuilderExtensions
{
    /// <summary>
    /// Adds an SLO to the <see cref="SloMonitor"/> (registered as a singleton the first time, started with the host).
    /// Alert transitions reach every <see cref="ISloAlertObserver"/> in the container. Calling it again adds another SLO
    /// to the same monitor.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="slo">The SLO; its id must not be registered already.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="slo"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An SLO with the same id is registered, or a regular expression of its SLI does not parse.</exception>
    public static MusubiMonitoringBuilder AddSlo(this MusubiMonitoringBuilder builder, ServiceLevelObjective slo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(slo);
        return AddSlos(builder, [slo]);
    }

    /// <summary>
    /// Adds SLOs to the <see cref="SloMonitor"/> (registered as a singleton the first time, started with the host).
    /// Nothing is added unless every SLO is valid.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="slos">The SLOs; ids must be unique, among them and with those registered already.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="slos"/> is <see langword="null"/>, or one of the SLOs is.</exception>
    /// <exception cref="ArgumentException">Two SLOs have the same id, or a regular expression of an SLI does not parse.</exception>
    public static MusubiMonitoringBuilder AddSlos(this MusubiMonitoringBuilder builder, IEnumerable<ServiceLevelObjective> slos)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(slos);
        IServiceCollection services = builder.Services;
        var ids = new HashSet<string>(services
            .Where(d => d.ServiceType == typeof(SloRegistration) && !d.IsKeyedService)
            .Select(d => ((SloRegistration)d.ImplementationInstance!).Slo.Id), StringComparer.Ordinal);

        ServiceLevelObjective[] list = [.. slos];
        foreach (ServiceLevelObjective slo in list)
        {
            ArgumentNullException.ThrowIfNull(slo, nameof(slos));
            if (!ids.Add(slo.Id))
            {
                throw new ArgumentException($"An SLO with the id '{slo.Id}' is already registered; SLO ids must be unique, as they label every alert and metric.", nameof(slos));
            }

            try
            {
                _ = new SloState(slo);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The SLI of SLO '{slo.Id}' has a label matcher regular expression that does not parse: {ex.Message}", nameof(slos), ex);
            }
        }

        AddMonitor(services);
        foreach (ServiceLevelObjective slo in list)
        {
            services.AddSingleton(new SloRegistration(slo));
        }

        return builder;
    }

    /// <summary>Configures the live SLO evaluation (validated when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder ConfigureSlos(this MusubiMonitoringBuilder builder, Action<SloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddMonitor(builder.Services);
        builder.Services.Configure(configure);
        return builder;
    }

    private static void AddMonitor(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SloMonitor)))
        {
            return;
        }

        services.AddOptionsWithValidateOnStart<SloOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SloOptions>, SloOptionsValidator>());
        services.TryAddSingleton(sp => new SloMonitor(
            sp.GetServices<SloRegistration>().Select(r => r.Slo),
            sp.GetRequiredService<MusubiMetricsCollector>(),
            sp.GetRequiredService<TimeProvider>(),
            () => sp.GetServices<ISloAlertObserver>(),
            sp.GetRequiredService<IOptions<SloOptions>>().Value,
            sp.GetRequiredService<MusubiMetrics>().Meter));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SloMonitorLifetime>());
    }

    /// <summary>One registered SLO.</summary>
    private sealed record SloRegistration(ServiceLevelObjective Slo);

    /// <summary>Builds the monitor when the host starts (its baseline and gauges), runs its timer while the host runs.</summary>
    private sealed class SloMonitorLifetime(SloMonitor monitor) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            monitor.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            monitor.Stop();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Adds a health check named <c>slo:&lt;id&gt;</c> that is healthy while the SLO's error budget remains and reports
    /// <paramref name="failureStatus"/> once it is spent (as the SLO monitor last evaluated it). Tagged <c>ready</c>
    /// and <c>slo</c>, so <c>/health/ready</c> shows it; with the default Degraded status readiness stays 200.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sloId">The id of an SLO added with <see cref="AddSlo"/> or <see cref="AddSlos"/>.</param>
    /// <param name="failureStatus">The status once the budget is spent: Degraded (default) or Unhealthy.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sloId"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failureStatus"/> is Healthy or undefined.</exception>
    /// <remarks>An id that no SLO has makes the check report its failure status with the registered ids in its description.</remarks>
    public static MusubiMonitoringBuilder AddErrorBudgetHealthCheck(
        this MusubiMonitoringBuilder builder, string sloId, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus failureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sloId);
        if (failureStatus is not (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded or Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy))
        {
            throw new ArgumentOutOfRangeException(nameof(failureStatus), failureStatus, "Use HealthStatus.Degraded or HealthStatus.Unhealthy.");
        }

        string name = "slo:" + sloId;
        if (!builder.Services.Any(d => d.ServiceType == typeof(ErrorBudgetCheckMarker) && d.ImplementationInstance is ErrorBudgetCheckMarker m && m.Name == name))
        {
            builder.Services.AddSingleton(new ErrorBudgetCheckMarker(name));
            builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                name, sp => new ErrorBudgetHealthCheck(sp.GetService<SloMonitor>(), sloId), failureStatus, ["ready", "slo"]));
        }

        return builder;
    }

    private sealed record ErrorBudgetCheckMarker(string Name);
}
