namespace Musubi.Monitoring.Costs.Tests;

public sealed class CostCalculatorTests
{
    private static readonly DateTimeOffset s_at = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PricingCatalog s_builtIn = PricingCatalog.CreateDefault();

    [Fact]
    public void Calculate_Gpt4With1000InputTokens_IsExactly3Cents()
    {
        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromOpenAI("gpt-4", s_at, 1000, 0), s_builtIn);
        Assert.Equal(0.03m, cost.Total);
        Assert.Equal("0.03000", cost.Total!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Calculate_Gpt4With1000OutputTokens_IsExactly6Cents()
    {
        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromOpenAI("gpt-4", s_at, 0, 1000), s_builtIn);
        Assert.Equal(0.06m, cost.Total);
        Assert.Equal(0.06m, cost.Output);
    }

    [Fact]
    public void Calculate_OneHourCacheWriteAboveTheTier_UsesTheTiersOneHourRate()
    {
        // LiteLLM's long-context Claude fields: the 1-hour cache write has its own price above 200k input tokens.
        var catalog = new PricingCatalog();
        catalog.LoadLiteLlmJson("""
            {"claude-long": {
              "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
              "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06,
              "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
              "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
              "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05}}
            """);
        var usage = new LlmUsage("anthropic", "claude-long", s_at, inputTokens: 250_000, outputTokens: 1000, cacheWrite1HourTokens: 100_000);

        CostBreakdown cost = CostCalculator.Calculate(usage, catalog);

        Assert.Equal(1.2m, cost.CacheWrite1Hour);            // 100,000 × 1.2e-5, not the base 1-hour 6e-6
        Assert.Equal(0.9m, cost.Input);                      // 150,000 × 6e-6
        Assert.Equal(2.1225m, cost.Total);
        Assert.Equal(0.000012m, Assert.Single(catalog.Resolve("anthropic", "claude-long").Price!.Tiers).CacheCreationInputTokenCostAbove1Hour);
    }

    [Fact]
    public void Calculate_Claude37SonnetWithCacheCreation_Is0054399()
    {
        LlmUsage usage = UsageAdapters.FromAnthropic("claude-3-7-sonnet-20250219", s_at, inputTokens: 3, outputTokens: 550, cacheCreationInputTokens: 12304, cacheReadInputTokens: 0);
        CostBreakdown cost = CostCalculator.Calculate(usage, s_builtIn);
        Assert.Equal(0.054399m, cost.Total);
        Assert.Equal(0.000009m, cost.Input);
        Assert.Equal(0.04614m, cost.CacheWrite5Minute);
        Assert.Equal(0.00825m, cost.Output);
        Assert.Equal(ResolutionRule.ExactKey, cost.Resolution.Rule);
    }

    [Fact]
    public void Calculate_Gemini25ProPromptAbove200k_WholeRequestAtTierRates()
    {
        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromGemini("gemini-2.5-pro", s_at, 250_000, 1_000), s_builtIn);
        Assert.Equal(0.64m, cost.Total);
        Assert.Equal(200_000, cost.Tier!.AboveInputTokens);
    }

    [Fact]
    public void Calculate_Gemini25ProPromptExactly200k_BaseRates()
    {
        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromGemini("gemini-2.5-pro", s_at, 200_000, 1_000), s_builtIn);
        Assert.Equal(0.26m, cost.Total);
        Assert.Null(cost.Tier);
    }

    [Fact]
    public void Calculate_UnknownModel_IsUnpricedNotZeroAndCounted()
    {
        var catalog = PricingCatalog.CreateDefault();
        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromOpenAI("gpt-9-ultra", s_at, 1000, 1000), catalog);
        Assert.True(cost.IsUnpriced);
        Assert.Null(cost.Total);
        Assert.Equal(ResolutionRule.Unpriced, cost.Resolution.Rule);
        Assert.Contains("gpt-9-ultra", cost.Resolution.UnpricedReason, StringComparison.Ordinal);
        Assert.Equal(1, catalog.UnpricedCounts["openai/gpt-9-ultra"]);
    }

    [Fact]
    public void Calculate_CachedReadAndReasoningPricedSeparately_SplitsParts()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("r1", new ModelPrice
        {
            InputCostPerToken = 1e-6m,
            CacheReadInputTokenCost = 0.1e-6m,
            OutputCostPerToken = 2e-6m,
            OutputCostPerReasoningToken = 3e-6m,
        });
        CostBreakdown cost = CostCalculator.Calculate(new LlmUsage("x", "r1", s_at, 1000, 100, cachedReadTokens: 400, reasoningTokens: 40), catalog);
        Assert.Equal(0.0006m, cost.Input);
        Assert.Equal(0.00004m, cost.CachedRead);
        Assert.Equal(0.00012m, cost.Output);
        Assert.Equal(0.00012m, cost.Reasoning);
        Assert.True(cost.ReasoningPricedSeparately);
        Assert.Equal(0.00088m, cost.Total);
    }

    [Fact]
    public void Calculate_OneHourCacheWrite_UsesAbove1HrPrice()
    {
        LlmUsage usage = UsageAdapters.FromAnthropic("claude-sonnet-4-20250514", s_at, 0, 0, cacheCreationInputTokens: 1000, cacheCreation1HourInputTokens: 1000);
        CostBreakdown cost = CostCalculator.Calculate(usage, s_builtIn);
        Assert.Equal(0.006m, cost.CacheWrite1Hour);
        Assert.Equal(0.006m, cost.Total);
    }

    [Fact]
    public void Calculate_PriceWithoutOutputRate_IsUnpricedForOutput()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("embed", new ModelPrice { InputCostPerToken = 1e-7m });
        Assert.Equal(0.0001m, CostCalculator.Calculate(new LlmUsage("x", "embed", s_at, 1000, 0), catalog).Total);
        CostBreakdown cost = CostCalculator.Calculate(new LlmUsage("x", "embed", s_at, 1000, 1), catalog);
        Assert.True(cost.IsUnpriced);
        Assert.Contains("output_cost_per_token", cost.Resolution.UnpricedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_BaseModelOverride_PricesDeploymentAsBaseModel()
    {
        LlmUsage usage = new LlmUsage("azure", "prod-chat-deployment", s_at, 1000, 0) with { BaseModel = "gpt-4" };
        CostBreakdown cost = CostCalculator.Calculate(usage, s_builtIn);
        Assert.Equal(0.03m, cost.Total);
        Assert.Equal(ResolutionRule.BaseModelOverride, cost.Resolution.Rule);
    }
}

public sealed class CostFormatTests
{
    [Theory]
    [InlineData("0.054399", 6, "$0.054399")]
    [InlineData("0.054399", 2, "$0.05")]
    [InlineData("0.005", 2, "$0.01")]
    [InlineData("-1.5", 2, "-$1.50")]
    [InlineData("0.03", 4, "$0.0300")]
    public void Usd_Amount_RoundsOnlyForDisplay(string amount, int decimals, string expected)
    {
        Assert.Equal(expected, CostFormat.Usd(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), decimals));
    }

    [Fact]
    public void Usd_UnderCommaCulture_StaysInvariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("$1234.50", CostFormat.Usd(1234.5m, 2));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Usd_DecimalsOutOfRange_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CostFormat.Usd(1m, 29));
        Assert.Contains("29", ex.Message, StringComparison.Ordinal);
    }
}
