using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Costs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LLM cost tracking.</summary>
public static class CostsBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="PricingCatalog"/> (from <see cref="CostOptions.Pricing"/>), an <see cref="InMemoryCostLedger"/> as the
    /// <see cref="ICostLedger"/> and an <see cref="InMemoryBudgetStore"/> as the <see cref="IBudgetStore"/> unless ones are already
    /// registered (<c>UseSqlite</c> replaces both with the SQLite stores, before or after), a <see cref="CostTracker"/>, a
    /// <see cref="BudgetMonitor"/> and a hosted service that evaluates the budgets. Calling it again only adds
    /// <paramref name="configure"/>; nothing is registered twice.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The <see cref="BudgetMonitor"/> watches <see cref="CostOptions.Budgets"/> plus the budgets in the <see cref="IBudgetStore"/>,
    /// reads spend from the <see cref="ICostLedger"/> (<see cref="LedgerBudgetSpend"/>), sends alerts to every registered
    /// <see cref="IBudgetAlertSink"/> and the <see cref="ILogger"/>, publishes its gauges on the meter <c>Musubi.Monitoring.Costs</c>
    /// from <see cref="IMeterFactory"/>, and keeps raised alerts in the store (so with <c>UseSqlite</c> an alert is raised
    /// once per period across restarts).
    /// </para>
    /// <para>
    /// The hosted service evaluates every budget when the host starts, every <see cref="CostOptions.BudgetEvaluationInterval"/>
    /// on the registered <see cref="TimeProvider"/>, and soon after each <see cref="CostTracker.RecordAsync"/> when
    /// <see cref="CostOptions.EvaluateBudgetsAfterRecord"/> is on (coalesced: one evaluation at a time). Failures are logged,
    /// never thrown into the host. The options are validated when the host starts; the message names the option or budget.
    /// </para>
    /// <para>
    /// Usage the catalogue cannot price is still recorded (as unpriced, never $0); the tracker also adds one to the counter
    /// <c>musubi.llm.usage.unpriced</c> on the same meter (tags <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>) and
    /// logs a warning (event 4109) with the reason the first time each provider and model is unpriced in the process.
    /// </para>
    /// </remarks>
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

        services.AddOptionsWithValidateOnStart<CostOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CostOptions>, CostOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CostOptions>, CostOptionsBudgetsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => PricingCatalog.Create(sp.GetRequiredService<IOptions<CostOptions>>().Value.Pricing));
        services.TryAddSingleton<ICostLedger>(sp => new InMemoryCostLedger(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IBudgetStore>(_ => new InMemoryBudgetStore());
        services.TryAddSingleton<BudgetEvaluationTrigger>();
        services.TryAddSingleton(sp => new CostTracker(
            sp.GetRequiredService<ICostLedger>(),
            sp.GetRequiredService<PricingCatalog>(),
            sp.GetRequiredService<IOptions<CostOptions>>().Value.EvaluateBudgetsAfterRecord ? sp.GetRequiredService<BudgetEvaluationTrigger>().Request : null,
            new UnpricedUsageAlerts(
                sp.GetService<IMeterFactory>()?.Create(BudgetMetrics.MeterName),
                sp.GetService<ILoggerFactory>()?.CreateLogger<CostTracker>() ?? (ILogger)NullLogger.Instance)));
        services.TryAddSingleton(sp =>
        {
            CostOptions options = sp.GetRequiredService<IOptions<CostOptions>>().Value;
            return new BudgetMonitor(
                [.. options.Budgets],
                new LedgerBudgetSpend(sp.GetRequiredService<ICostLedger>()),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetServices<IBudgetAlertSink>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<BudgetMonitor>() ?? (ILogger)NullLogger.Instance,
                sp.GetService<IMeterFactory>()?.Create(BudgetMetrics.MeterName),
                sp.GetRequiredService<IBudgetStore>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BudgetEvaluationService>(sp => new BudgetEvaluationService(
            sp.GetRequiredService<BudgetMonitor>(),
            sp.GetRequiredService<BudgetEvaluationTrigger>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<CostOptions>>().Value.BudgetEvaluationInterval,
            sp.GetService<ILoggerFactory>()?.CreateLogger<BudgetEvaluationService>() ?? (ILogger)NullLogger.Instance)));
        return builder;
    }
}
