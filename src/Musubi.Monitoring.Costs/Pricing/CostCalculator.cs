namespace Musubi.Monitoring.Costs;

/// <summary>Prices an <see cref="LlmUsage"/> against a <see cref="PricingCatalog"/>, exactly, in <see cref="decimal"/>.</summary>
/// <remarks>Stateless and safe to call from any thread.</remarks>
public static class CostCalculator
{
    /// <summary>
    /// Calculates the cost of a call. The model is resolved with <see cref="PricingCatalog.Resolve"/> from the
    /// usage's provider, request model and base model, at its timestamp. When the prompt (all input tokens) is
    /// strictly above a tier's threshold the whole request is priced at that tier's rates, as LiteLLM and Gemini
    /// pricing do; a rate the tier leaves out falls back to the base rate. A missing cache-read or cache-write rate
    /// falls back to the input rate, a missing 1-hour write rate to the 5-minute one.
    /// </summary>
    /// <param name="usage">The usage.</param>
    /// <param name="catalog">The prices.</param>
    /// <returns>The cost by part; <see cref="CostBreakdown.IsUnpriced"/> when the model, or a rate the usage needs, has no price.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static CostBreakdown Calculate(LlmUsage usage, PricingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(catalog);
        return Compute(usage, catalog).ToBreakdown();
    }

    /// <summary><see cref="Calculate"/> as a value: no allocation when the model's resolution is cached (the hot path).</summary>
    internal static CostParts Compute(LlmUsage usage, PricingCatalog catalog)
    {
        ModelResolution resolution = catalog.ResolveChecked(usage.Provider, usage.RequestModel, usage.BaseModel, usage.Timestamp);
        if (resolution.Price is not { } price)
        {
            return new CostParts { Resolution = resolution };
        }

        PriceTier? tier = price.TierFor(usage.InputTokens);
        decimal? input = tier?.InputCostPerToken ?? price.InputCostPerToken;
        decimal? output = tier?.OutputCostPerToken ?? price.OutputCostPerToken;
        decimal? reasoning = tier?.OutputCostPerReasoningToken ?? price.OutputCostPerReasoningToken;
        decimal? cacheRead = tier?.CacheReadInputTokenCost ?? price.CacheReadInputTokenCost ?? input;
        decimal? cacheWrite = tier?.CacheCreationInputTokenCost ?? price.CacheCreationInputTokenCost ?? input;
        decimal? cacheWrite1h = tier?.CacheCreationInputTokenCostAbove1Hour ?? price.CacheCreationInputTokenCostAbove1Hour ?? cacheWrite;

        long uncached = usage.InputTokens - usage.CachedReadTokens - usage.CacheWrite5MinuteTokens - usage.CacheWrite1HourTokens;
        bool separateReasoning = reasoning is not null;
        long plainOutput = separateReasoning ? usage.OutputTokens - usage.ReasoningTokens : usage.OutputTokens;

        string? missing =
            input is null && usage.InputTokens > 0 ? "input_cost_per_token"
            : output is null && plainOutput > 0 ? "output_cost_per_token"
            : null;
        if (missing is not null)
        {
            // A price entry without the rate this call needs: unknown, not $0.
            ModelResolution unpriced = new()
            {
                Rule = ResolutionRule.Unpriced,
                Key = resolution.Key,
                UnpricedReason = $"Key '{resolution.Key}' has no {missing}, which this call needs.",
            };
            return new CostParts { Resolution = unpriced };
        }

        decimal total = ExactCost.Sum(
            uncached, input ?? 0m,
            usage.CachedReadTokens, cacheRead ?? 0m,
            usage.CacheWrite5MinuteTokens, cacheWrite ?? 0m,
            usage.CacheWrite1HourTokens, cacheWrite1h ?? 0m,
            plainOutput, output ?? 0m,
            separateReasoning ? usage.ReasoningTokens : 0, separateReasoning ? reasoning!.Value : 0m,
            out decimal inputCost, out decimal cachedReadCost, out decimal write5MinuteCost, out decimal write1HourCost, out decimal outputCost, out decimal reasoningCost);
        return new CostParts
        {
            Resolution = resolution,
            Tier = tier,
            Input = inputCost,
            CachedRead = cachedReadCost,
            CacheWrite5Minute = write5MinuteCost,
            CacheWrite1Hour = write1HourCost,
            Output = outputCost,
            Reasoning = separateReasoning ? reasoningCost : 0m,
            ReasoningPricedSeparately = separateReasoning,
            PricedTotal = total,
        };
    }
}
