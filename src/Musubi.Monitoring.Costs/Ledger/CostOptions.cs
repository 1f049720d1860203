namespace Musubi.Monitoring.Costs;

/// <summary>Options for <c>AddCosts</c>: the prices the <see cref="CostTracker"/> uses.</summary>
/// <remarks>Read once, when the <see cref="PricingCatalog"/> singleton is built; later changes have no effect.</remarks>
public sealed class CostOptions
{
    /// <summary>Gets the pricing options the registered <see cref="PricingCatalog"/> is created from.</summary>
    /// <value>The default is a new <see cref="PricingOptions"/>: the built-in LiteLLM-compatible prices, no custom prices or patterns.</value>
    public PricingOptions Pricing { get; } = new();
}
