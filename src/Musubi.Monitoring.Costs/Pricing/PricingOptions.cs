namespace Musubi.Monitoring.Costs;

/// <summary>Custom prices and patterns for <see cref="PricingCatalog.Create(PricingOptions)"/>.</summary>
/// <remarks>Copied when the catalogue is created; later changes to this object have no effect on it.</remarks>
public sealed class PricingOptions
{
    /// <summary>Gets or sets whether the built-in table of major models is loaded first.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeBuiltInPrices { get; set; } = true;

    /// <summary>
    /// Gets custom prices by catalogue key. They are added after the built-in table, so a custom price replaces a
    /// built-in one of the same key and <see cref="ModelPrice.EffectiveFrom"/>.
    /// </summary>
    /// <value>The default is empty; keys compare case-insensitively.</value>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the pattern rules, tried in order.</summary>
    /// <value>The default is empty.</value>
    public IList<ModelPattern> Patterns { get; } = [];
}
