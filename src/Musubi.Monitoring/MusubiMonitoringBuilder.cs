using Microsoft.Extensions.DependencyInjection;

namespace Musubi.Monitoring;

/// <summary>
/// Returned by <c>AddMusubiMonitoring</c>; the domain and integration packages add their own extension methods
/// to it (<c>.AddIncidents()</c>, <c>.UseSqlite(…)</c>).
/// </summary>
public sealed class MusubiMonitoringBuilder
{
    internal MusubiMonitoringBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds meter names or <c>*</c> patterns to collect (see <see cref="Metrics.MetricsOptions.Meters"/>).</summary>
    /// <param name="meterNames">Meter names or patterns such as <c>MyApp.*</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="meterNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name is null, empty or white space.</exception>
    public MusubiMonitoringBuilder AddMeter(params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        foreach (string name in meterNames)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(meterNames));
        }

        Services.Configure<MusubiMonitoringOptions>(o =>
        {
            foreach (string name in meterNames)
            {
                o.Metrics.Meters.Add(name);
            }
        });
        return this;
    }
}
