namespace Musubi.Monitoring.Costs;

/// <summary>Which step of <see cref="PricingCatalog.Resolve"/> found the price.</summary>
public enum ResolutionRule
{
    /// <summary>No step found a price: the call is unpriced.</summary>
    Unpriced = 0,

    /// <summary>The explicit base-model override is a catalogue key.</summary>
    BaseModelOverride,

    /// <summary>The model name is a catalogue key.</summary>
    ExactKey,

    /// <summary><c>provider/model</c> is a catalogue key.</summary>
    ProviderQualifiedKey,

    /// <summary>The model name with leading <c>provider/</c> segments removed is a catalogue key.</summary>
    ProviderPrefixStripped,

    /// <summary>A configured pattern mapped the model name to a catalogue key.</summary>
    Pattern,

    /// <summary>The model name without its date suffix (<c>-20250219</c>, <c>-2024-08-06</c>, <c>@20240229</c>) is a catalogue key.</summary>
    DateSuffixStripped,
}

/// <summary>The outcome of looking a model up in a <see cref="PricingCatalog"/>.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record ModelResolution
{
    /// <summary>The step that found the price, or <see cref="ResolutionRule.Unpriced"/>.</summary>
    public required ResolutionRule Rule { get; init; }

    /// <summary>The catalogue key that matched, or <see langword="null"/> when unpriced.</summary>
    public string? Key { get; init; }

    /// <summary>The price in effect at the usage's timestamp, or <see langword="null"/> when unpriced.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Why the model is unpriced, or <see langword="null"/> when priced.</summary>
    public string? UnpricedReason { get; init; }

    /// <summary>Whether no price was found; the cost of such a call is unknown, not zero.</summary>
    public bool IsUnpriced => Price is null;
}
