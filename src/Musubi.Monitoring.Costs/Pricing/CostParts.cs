namespace Musubi.Monitoring.Costs;

/// <summary>
/// The figures of a <see cref="CostBreakdown"/> as a value, so the recording hot path
/// (<see cref="CostTracker"/> into an <see cref="InMemoryCostLedger"/>) builds the ledger entry without allocating a
/// breakdown first. Passed by <see langword="in"/>: it is larger than a few words.
/// </summary>
internal readonly struct CostParts
{
    public required ModelResolution Resolution { get; init; }

    public PriceTier? Tier { get; init; }

    public decimal Input { get; init; }

    public decimal CachedRead { get; init; }

    public decimal CacheWrite5Minute { get; init; }

    public decimal CacheWrite1Hour { get; init; }

    public decimal Output { get; init; }

    public decimal Reasoning { get; init; }

    public bool ReasoningPricedSeparately { get; init; }

    /// <summary>The sum of the parts as <see cref="ExactCost.Sum"/> computed it (priced calls only).</summary>
    public decimal PricedTotal { get; init; }

    /// <summary>The sum of the parts, or <see langword="null"/> when unpriced: the same value and scale as <see cref="CostBreakdown.Total"/>.</summary>
    public decimal? Total => Resolution.IsUnpriced ? null : PricedTotal;

    public CostBreakdown ToBreakdown() => new()
    {
        Resolution = Resolution,
        Tier = Tier,
        Input = Input,
        CachedRead = CachedRead,
        CacheWrite5Minute = CacheWrite5Minute,
        CacheWrite1Hour = CacheWrite1Hour,
        Output = Output,
        Reasoning = Reasoning,
        ReasoningPricedSeparately = ReasoningPricedSeparately,
    };
}
