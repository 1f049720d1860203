namespace Musubi.Monitoring.Costs;

/// <summary>One usage record kept by an <see cref="ICostLedger"/>: the usage, its cost figures and where the price came from.</summary>
/// <remarks>Immutable; safe to share between threads. Money is exact <see cref="decimal"/> US dollars.</remarks>
public sealed record CostRecord
{
    /// <summary>Gets the sequence number the ledger assigned (1, 2, 3, … in append order within one ledger store).</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the usage that was recorded.</summary>
    public required LlmUsage Usage { get; init; }

    /// <summary>Gets the total cost in US dollars, or <see langword="null"/> when the usage was unpriced (never shown as $0).</summary>
    public decimal? Total { get; init; }

    /// <summary>Gets the cost of uncached input tokens.</summary>
    public decimal Input { get; init; }

    /// <summary>Gets the cost of cache-read input tokens.</summary>
    public decimal CachedRead { get; init; }

    /// <summary>Gets the cost of 5-minute cache writes.</summary>
    public decimal CacheWrite5Minute { get; init; }

    /// <summary>Gets the cost of 1-hour cache writes.</summary>
    public decimal CacheWrite1Hour { get; init; }

    /// <summary>Gets the cost of output tokens (reasoning included unless priced separately).</summary>
    public decimal Output { get; init; }

    /// <summary>Gets the cost of reasoning tokens when the model prices them separately; otherwise zero.</summary>
    public decimal Reasoning { get; init; }

    /// <summary>Gets the rule that resolved the price.</summary>
    public ResolutionRule ResolutionRule { get; init; }

    /// <summary>Gets the catalogue key whose price was used, or <see langword="null"/> when unpriced.</summary>
    public string? ResolutionKey { get; init; }

    /// <summary>Gets when the ledger appended the record (from its <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Gets a value indicating whether no price was found for the usage.</summary>
    public bool IsUnpriced => Total is null;

    /// <summary>Gets the model the record is reported and filtered under: the response model when known, else the request model.</summary>
    public string Model => Usage.ResponseModel ?? Usage.RequestModel;

    internal static CostRecord Create(long sequence, LlmUsage usage, CostBreakdown cost, DateTimeOffset recordedAt) => new()
    {
        Sequence = sequence,
        Usage = usage,
        Total = cost.Total,
        Input = cost.Input,
        CachedRead = cost.CachedRead,
        CacheWrite5Minute = cost.CacheWrite5Minute,
        CacheWrite1Hour = cost.CacheWrite1Hour,
        Output = cost.Output,
        Reasoning = cost.Reasoning,
        ResolutionRule = cost.Resolution.Rule,
        ResolutionKey = cost.Resolution.Key,
        RecordedAt = recordedAt,
    };

    /// <summary>The same record built from the value figures of the recording hot path (no breakdown allocated first).</summary>
    internal static CostRecord Create(long sequence, LlmUsage usage, in CostParts cost, DateTimeOffset recordedAt) => new()
    {
        Sequence = sequence,
        Usage = usage,
        Total = cost.Total,
        Input = cost.Input,
        CachedRead = cost.CachedRead,
        CacheWrite5Minute = cost.CacheWrite5Minute,
        CacheWrite1Hour = cost.CacheWrite1Hour,
        Output = cost.Output,
        Reasoning = cost.Reasoning,
        ResolutionRule = cost.Resolution.Rule,
        ResolutionKey = cost.Resolution.Key,
        RecordedAt = recordedAt,
    };
}
