using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Costs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LLM cost tracking.</summary>
public static class CostsBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="PricingCatalog"/> (from <see cref="CostOptions.Pricing"/>), an <see cref="InMemoryCostLedger"/> as the
    /// <see cref="ICostLedger"/> unless one is already registered (<c>UseSqlite</c> replaces it with the SQLite ledger, before or after),
    /// and a <see cref="CostTracker"/>. Calling it again only adds <paramref name="configure"/>; nothing is registered twice.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Changes the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddCosts(this MusubiMonitoringBuilder builder, Action<CostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(CostTracker)))
        {
            return builder;
        }

        services.AddOptions<CostOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => PricingCatalog.Create(sp.GetRequiredService<IOptions<CostOptions>>().Value.Pricing));
        services.TryAddSingleton<ICostLedger>(sp => new InMemoryCostLedger(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new CostTracker(sp.GetRequiredService<ICostLedger>(), sp.GetRequiredService<PricingCatalog>()));
        return builder;
    }
}
