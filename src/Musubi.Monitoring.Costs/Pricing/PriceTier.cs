namespace Musubi.Monitoring.Costs;

/// <summary>
/// Prices that replace the base prices of a <see cref="ModelPrice"/> for the whole request when its prompt has
/// strictly more than <see cref="AboveInputTokens"/> tokens (LiteLLM's <c>…_above_Nk_tokens</c> fields). A price
/// left <see langword="null"/> here falls back to the base price.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record PriceTier
{
    /// <summary>Creates a tier.</summary>
    /// <param name="aboveInputTokens">The threshold; the tier applies when the prompt has strictly more tokens (200000 for <c>_above_200k_tokens</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="aboveInputTokens"/> is negative.</exception>
    public PriceTier(long aboveInputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aboveInputTokens);
        AboveInputTokens = aboveInputTokens;
    }

    /// <summary>The threshold: the tier applies when the prompt has strictly more tokens than this.</summary>
    public long AboveInputTokens { get; }

    /// <summary>USD per input token (<c>input_cost_per_token_above_Nk_tokens</c>), or <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? InputCostPerToken { get; init => field = ModelPrice.NotNegative(value, nameof(InputCostPerToken)); }

    /// <summary>USD per output token (<c>output_cost_per_token_above_Nk_tokens</c>), or <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? OutputCostPerToken { get; init => field = ModelPrice.NotNegative(value, nameof(OutputCostPerToken)); }

    /// <summary>USD per cached-read token (<c>cache_read_input_token_cost_above_Nk_tokens</c>), or <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? CacheReadInputTokenCost { get; init => field = ModelPrice.NotNegative(value, nameof(CacheReadInputTokenCost)); }

    /// <summary>USD per cache-write token (<c>cache_creation_input_token_cost_above_Nk_tokens</c>), or <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? CacheCreationInputTokenCost { get; init => field = ModelPrice.NotNegative(value, nameof(CacheCreationInputTokenCost)); }

    /// <summary>USD per reasoning token (<c>output_cost_per_reasoning_token_above_Nk_tokens</c>), or <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? OutputCostPerReasoningToken { get; init => field = ModelPrice.NotNegative(value, nameof(OutputCostPerReasoningToken)); }

    /// <summary>Gets the price per prompt token written to a 1-hour cache in this tier (LiteLLM: <c>cache_creation_input_token_cost_above_1hr_above_Nk_tokens</c>).</summary>
    public decimal? CacheCreationInputTokenCostAbove1Hour { get; init => field = ModelPrice.NotNegative(value, nameof(CacheCreationInputTokenCostAbove1Hour)); }
}
