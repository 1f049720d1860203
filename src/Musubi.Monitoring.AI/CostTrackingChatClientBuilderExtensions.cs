using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.AI;
using Musubi.Monitoring.Costs;

namespace Microsoft.Extensions.AI;

/// <summary>Adds Musubi cost tracking to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CostTrackingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a chat client that records the usage and cost of every call (streaming included) through the
    /// <see cref="CostTracker"/> registered by <c>AddCosts()</c>, emits <c>gen_ai.client.token.usage</c>,
    /// <c>gen_ai.client.operation.duration</c> and <c>musubi.llm.cost</c> on the meter <c>Musubi.Monitoring.AI</c>, and,
    /// when a <see cref="BudgetMonitor"/> is registered, refuses calls an enforced budget does not allow with a
    /// <see cref="BudgetExceededException"/>.
    /// </summary>
    /// <param name="builder">The chat client builder.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// Services read from the builder's service provider: <see cref="CostTracker"/> (required), and optionally
    /// <see cref="BudgetMonitor"/>, <see cref="PricingCatalog"/> (to estimate the cost checked against budgets),
    /// <see cref="IMeterFactory"/> (otherwise a meter owned by the client), <see cref="ILoggerFactory"/> and
    /// <see cref="TimeProvider"/>.
    /// <para>
    /// The budget check runs before the call with the prompt counted by the request model's tokenizer (see
    /// <see cref="CostTrackingOptions.EstimateMissingUsage"/>) and the output at
    /// <see cref="ChatOptions.MaxOutputTokens"/> (zero when unset). If the check itself fails (for example the ledger
    /// behind the spend is down) the failure is logged and the call goes ahead: monitoring never blocks on its own faults.
    /// Usage the provider reports is what gets recorded, including prompt-cache writes found in
    /// <see cref="UsageDetails.AdditionalCounts"/> under <c>cache_creation_input_tokens</c> or <c>CacheCreationInputTokens</c>
    /// (of which <c>ephemeral_1h_input_tokens</c> or <c>Ephemeral1hInputTokens</c> are priced as 1-hour writes); <c>gen_ai.client.token.usage</c> is emitted only for reported
    /// usage, never for estimates, while <c>musubi.llm.cost</c> carries <c>musubi.usage.estimated</c> = true or false.
    /// </para>
    /// <para>
    /// The same instrument names are emitted by Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> on its own meter; use one
    /// or the other for <c>gen_ai.client.*</c> dashboards, or filter by meter name, to avoid counting tokens twice.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// Thrown when the pipeline is built and no <see cref="CostTracker"/> is registered (call <c>AddMusubiMonitoring().AddCosts()</c>).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Thrown when the pipeline is built and <see cref="CostTrackingOptions.StreamingUsageMode"/> is not a defined value.
    /// </exception>
    public static ChatClientBuilder UseMusubiCostTracking(this ChatClientBuilder builder, Action<CostTrackingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new CostTrackingOptions();
            configure?.Invoke(options);
            if (!Enum.IsDefined(options.StreamingUsageMode))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(configure), options.StreamingUsageMode, "CostTrackingOptions.StreamingUsageMode must be Auto, Deltas or RunningTotals.");
            }

            CostTracker tracker = services.GetService<CostTracker>()
                ?? throw new InvalidOperationException(
                    "UseMusubiCostTracking needs a CostTracker in the chat client's services; register one with services.AddMusubiMonitoring().AddCosts().");
            Meter meter = services.GetService<IMeterFactory>() is { } factory
                ? factory.Create(GenAiMetrics.MeterName)
                : new Meter(GenAiMetrics.MeterName);
            ILogger? logger = services.GetService<ILoggerFactory>()?.CreateLogger("Musubi.Monitoring.AI.CostTrackingChatClient");
            return new CostTrackingChatClient(
                inner,
                tracker,
                meter,
                options,
                services.GetService<BudgetMonitor>(),
                services.GetService<PricingCatalog>(),
                logger,
                services.GetService<TimeProvider>());
        });
    }
}
