namespace Musubi.Monitoring.Costs;

/// <summary>
/// The exact cost of one call in US dollars, by part. The parts are exact <see cref="decimal"/> products of token
/// counts and per-token prices, never rounded; use <see cref="CostFormat"/> to show them.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record CostBreakdown
{
    /// <summary>How the model was resolved, including the rule and the key that matched.</summary>
    public required ModelResolution Resolution { get; init; }

    /// <summary>Whether no price was found. The parts are then 0 and <see cref="Total"/> is <see langword="null"/>: the cost is unknown, not zero.</summary>
    public bool IsUnpriced => Resolution.IsUnpriced;

    /// <summary>The long-context tier applied, or <see langword="null"/> for the base prices.</summary>
    public PriceTier? Tier { get; init; }

    /// <summary>Uncached input tokens (input minus cached reads and cache writes) at the input price.</summary>
    public decimal Input { get; init; }

    /// <summary>Cached-read tokens at the cache-read price.</summary>
    public decimal CachedRead { get; init; }

    /// <summary>5-minute cache-write tokens at the cache-creation price.</summary>
    public decimal CacheWrite5Minute { get; init; }

    /// <summary>1-hour cache-write tokens at the 1-hour cache-creation price.</summary>
    public decimal CacheWrite1Hour { get; init; }

    /// <summary>Output tokens at the output price; includes reasoning unless <see cref="ReasoningPricedSeparately"/>.</summary>
    public decimal Output { get; init; }

    /// <summary>Reasoning tokens at the reasoning price when it is priced separately; otherwise 0 (they are in <see cref="Output"/>).</summary>
    public decimal Reasoning { get; init; }

    /// <summary>Whether the model has its own reasoning price.</summary>
    public bool ReasoningPricedSeparately { get; init; }

    /// <summary>The sum of the parts, or <see langword="null"/> when the call is unpriced.</summary>
    public decimal? Total => IsUnpriced ? null : Input + CachedRead + CacheWrite5Minute + CacheWrite1Hour + Output + Reasoning;
}
