namespace Musubi.Monitoring.Costs;

/// <summary>
/// The per-token prices of one model in US dollars, under LiteLLM's field names so that its
/// <c>model_prices_and_context_window.json</c> imports as is. Every amount is an exact <see cref="decimal"/>.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record ModelPrice
{
    /// <summary>The provider (<c>litellm_provider</c>), or <see langword="null"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>USD per input token (<c>input_cost_per_token</c>), or <see langword="null"/> when not priced.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? InputCostPerToken { get; init => field = NotNegative(value, nameof(InputCostPerToken)); }

    /// <summary>USD per output token (<c>output_cost_per_token</c>), or <see langword="null"/> when not priced.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? OutputCostPerToken { get; init => field = NotNegative(value, nameof(OutputCostPerToken)); }

    /// <summary>
    /// USD per token read from the prompt cache (<c>cache_read_input_token_cost</c>); when <see langword="null"/>,
    /// cached reads are charged at <see cref="InputCostPerToken"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? CacheReadInputTokenCost { get; init => field = NotNegative(value, nameof(CacheReadInputTokenCost)); }

    /// <summary>
    /// USD per token written to a 5-minute prompt cache (<c>cache_creation_input_token_cost</c>); when
    /// <see langword="null"/>, cache writes are charged at <see cref="InputCostPerToken"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? CacheCreationInputTokenCost { get; init => field = NotNegative(value, nameof(CacheCreationInputTokenCost)); }

    /// <summary>
    /// USD per token written to a 1-hour prompt cache (<c>cache_creation_input_token_cost_above_1hr</c>); when
    /// <see langword="null"/>, 1-hour writes are charged like 5-minute writes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? CacheCreationInputTokenCostAbove1Hour { get; init => field = NotNegative(value, nameof(CacheCreationInputTokenCostAbove1Hour)); }

    /// <summary>
    /// USD per reasoning token (<c>output_cost_per_reasoning_token</c>); when <see langword="null"/>, reasoning
    /// tokens are charged inside the output at <see cref="OutputCostPerToken"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? OutputCostPerReasoningToken { get; init => field = NotNegative(value, nameof(OutputCostPerReasoningToken)); }

    /// <summary>The long-context tiers (<c>…_above_Nk_tokens</c>), in any order.</summary>
    /// <value>The default is empty.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public IReadOnlyList<PriceTier> Tiers
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value.OrderBy(t => t.AboveInputTokens)];
        }
    } = [];

    /// <summary>
    /// When this price starts to apply (the <c>effective_from</c> field, an extension to LiteLLM's format), or
    /// <see langword="null"/> for "always".
    /// </summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    /// <summary>The tier that applies to a prompt of <paramref name="inputTokens"/> tokens, or <see langword="null"/> for the base prices.</summary>
    /// <param name="inputTokens">All prompt tokens of the request.</param>
    /// <returns>The tier with the highest threshold strictly below <paramref name="inputTokens"/>, if any.</returns>
    public PriceTier? TierFor(long inputTokens)
    {
        // An index loop: foreach over the interface would allocate an enumerator on every priced call.
        IReadOnlyList<PriceTier> tiers = Tiers;
        PriceTier? applied = null;
        for (int i = 0; i < tiers.Count; i++)
        {
            if (inputTokens > tiers[i].AboveInputTokens)
            {
                applied = tiers[i];
            }
        }

        return applied;
    }

    internal static decimal? NotNegative(decimal? value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; a price must be zero or more.");
        }

        return value;
    }
}
