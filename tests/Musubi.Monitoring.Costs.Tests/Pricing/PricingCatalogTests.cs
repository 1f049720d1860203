using System.Text;

namespace Musubi.Monitoring.Costs.Tests;

public sealed class PricingCatalogTests
{
    private static readonly DateTimeOffset s_at = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static PricingCatalog With(string json)
    {
        var catalog = new PricingCatalog();
        Assert.Empty(catalog.LoadLiteLlmJson(json));
        return catalog;
    }

    [Fact]
    public void LoadLiteLlmJson_ScientificNotation_ParsesExactDecimals()
    {
        PricingCatalog catalog = With("""
            {"m": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5E-5, "cache_read_input_token_cost": 0.0000003,
                   "cache_creation_input_token_cost": 3.75e-6, "cache_creation_input_token_cost_above_1hr": 6e-6,
                   "output_cost_per_reasoning_token": 1e-5, "litellm_provider": "anthropic", "max_tokens": 8192, "mode": "chat"}}
            """);
        ModelPrice price = catalog.Resolve("anthropic", "m").Price!;
        Assert.Equal(0.000003m, price.InputCostPerToken);
        Assert.Equal(0.000015m, price.OutputCostPerToken);
        Assert.Equal(0.0000003m, price.CacheReadInputTokenCost);
        Assert.Equal(0.00000375m, price.CacheCreationInputTokenCost);
        Assert.Equal(0.000006m, price.CacheCreationInputTokenCostAbove1Hour);
        Assert.Equal(0.00001m, price.OutputCostPerReasoningToken);
        Assert.Equal("anthropic", price.Provider);
    }

    [Fact]
    public void LoadLiteLlmJson_AnyAboveNkTokensField_BecomesATier()
    {
        PricingCatalog catalog = With("""
            {"m": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
                   "input_cost_per_token_above_128k_tokens": 3e-6, "output_cost_per_token_above_128k_tokens": 4e-6,
                   "cache_read_input_token_cost_above_128k_tokens": 5e-7,
                   "input_cost_per_token_above_1000k_tokens": 9e-6}}
            """);
        ModelPrice price = catalog.Resolve("x", "m").Price!;
        Assert.Equal([128_000L, 1_000_000L], price.Tiers.Select(t => t.AboveInputTokens));
        Assert.Equal(0.0000005m, price.Tiers[0].CacheReadInputTokenCost);
        Assert.Null(price.TierFor(128_000));
        Assert.Equal(128_000, price.TierFor(128_001)!.AboveInputTokens);
        Assert.Equal(1_000_000, price.TierFor(2_000_000)!.AboveInputTokens);

        // The 1000k tier has no output rate, so the base output rate applies.
        CostBreakdown cost = CostCalculator.Calculate(new LlmUsage("x", "m", s_at, 2_000_000, 10), catalog);
        Assert.Equal(18m + 0.00002m, cost.Total);
    }

    [Fact]
    public void LoadLiteLlmJson_MalformedEntry_IsReportedAndSkippedAndTheRestLoad()
    {
        var catalog = new PricingCatalog();
        IReadOnlyList<PricingLoadIssue> issues = catalog.LoadLiteLlmJson("""
            {"_source": "test",
             "sample_spec": {"input_cost_per_token": 0.0, "max_tokens": "LEGACY"},
             "good": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
             "text-price": {"input_cost_per_token": "0.001", "output_cost_per_token": 2e-6},
             "negative": {"input_cost_per_token": -1e-6},
             "not-object": 42,
             "image-only": {"input_cost_per_pixel": 1e-8},
             "bad-date": {"input_cost_per_token": 1e-6, "effective_from": "next tuesday"},
             "also-good": {"input_cost_per_token": 4e-6, "output_cost_per_token": 5e-6}}
            """);
        Assert.Equal(["text-price", "negative", "not-object", "image-only", "bad-date"], issues.Select(i => i.ModelKey));
        Assert.Contains("input_cost_per_token", issues[0].Reason, StringComparison.Ordinal);
        Assert.Contains("\"0.001\"", issues[0].Reason, StringComparison.Ordinal);
        Assert.Contains("-1e-6", issues[1].Reason, StringComparison.Ordinal);
        Assert.Contains("next tuesday", issues[4].Reason, StringComparison.Ordinal);
        Assert.Equal(["also-good", "good"], catalog.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadLiteLlmJson_RealisticLiteLlmEntry_IgnoresOtherFields()
    {
        PricingCatalog catalog = With("""
            {"gemini/gemini-2.5-pro": {
                "cache_read_input_token_cost": 3.125e-07, "input_cost_per_token": 1.25e-06,
                "input_cost_per_token_above_200k_tokens": 2.5e-06, "litellm_provider": "gemini",
                "max_input_tokens": 1048576, "max_output_tokens": 65535, "mode": "chat",
                "output_cost_per_token": 1e-05, "output_cost_per_token_above_200k_tokens": 1.5e-05,
                "rpm": 2000, "source": "https://ai.google.dev/pricing", "supported_endpoints": ["/v1/chat/completions"],
                "supported_modalities": ["text", "image"], "supports_reasoning": true, "supports_vision": true,
                "search_context_cost_per_query": {"search_context_size_low": 0.035}, "tpm": 800000}}
            """);
        ModelResolution r = catalog.Resolve("gemini", "gemini-2.5-pro");
        Assert.Equal(ResolutionRule.ProviderQualifiedKey, r.Rule);
        Assert.Equal(0.0000025m, r.Price!.Tiers[0].InputCostPerToken);
        Assert.Equal(0.0000003125m, r.Price.CacheReadInputTokenCost);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"a\": ")]
    public void LoadLiteLlmJson_NotJson_ThrowsInvalidData(string text)
    {
        var ex = Assert.Throws<InvalidDataException>(() => new PricingCatalog().LoadLiteLlmJson(text));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadLiteLlmJson_RootNotObject_ThrowsNamingTheKind()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new PricingCatalog().LoadLiteLlmJson("[1, 2]"));
        Assert.Contains("Array", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadLiteLlmJson_Stream_Loads()
    {
        var catalog = new PricingCatalog();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"m": {"input_cost_per_token": 1e-6}}"""));
        Assert.Empty(catalog.LoadLiteLlmJson(stream));
        Assert.Equal(ResolutionRule.ExactKey, catalog.Resolve("p", "m").Rule);
    }

    [Fact]
    public void CreateDefault_BuiltInTable_HasTheMajorModels()
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();
        foreach (string model in new[] { "gpt-4", "gpt-4o", "gpt-4o-mini", "o1", "o3-mini", "claude-3-7-sonnet-20250219", "claude-sonnet-4-20250514", "claude-opus-4-20250514", "gemini-2.5-pro", "gemini-2.5-flash" })
        {
            Assert.False(catalog.Resolve("any", model).IsUnpriced, model);
        }
    }

    [Fact]
    public void Resolve_EffectiveDates_PriceAtTheTimestampApplies()
    {
        PricingCatalog catalog = With("""
            {"m": {"input_cost_per_token": 1e-6, "effective_from": "2025-01-01"}}
            """);
        catalog.LoadLiteLlmJson("""{"m": {"input_cost_per_token": 2e-6, "effective_from": "2025-06-01T00:00:00Z"}}""");
        Assert.Equal(0.000001m, catalog.Resolve("p", "m", at: new DateTimeOffset(2025, 5, 31, 23, 59, 59, TimeSpan.Zero)).Price!.InputCostPerToken);
        Assert.Equal(0.000002m, catalog.Resolve("p", "m", at: new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)).Price!.InputCostPerToken);
        Assert.Equal(0.000002m, catalog.Resolve("p", "m").Price!.InputCostPerToken);

        ModelResolution before = catalog.Resolve("p", "m", at: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True(before.IsUnpriced);
        Assert.Contains("no price in effect", before.UnpricedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void SetPrice_SameEffectiveDate_Replaces()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 1m });
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 2m });
        Assert.Equal(2m, catalog.Resolve("p", "m").Price!.InputCostPerToken);
    }

    [Fact]
    public void ModelPrice_NegativePrice_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPrice { OutputCostPerToken = -0.5m });
        Assert.Equal("OutputCostPerToken", ex.ParamName);
        Assert.Contains("-0.5", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class ModelResolutionTests
{
    private static PricingCatalog Catalog()
    {
        var catalog = new PricingCatalog();
        catalog.LoadLiteLlmJson("""
            {"gpt-4o": {"input_cost_per_token": 1e-6},
             "azure/gpt-4o": {"input_cost_per_token": 2e-6},
             "vertex_ai/gemini-2.5-pro": {"input_cost_per_token": 3e-6},
             "claude-3-5-sonnet": {"input_cost_per_token": 4e-6}}
            """);
        return catalog;
    }

    [Fact]
    public void Resolve_ExactKey_WinsOverProviderQualified()
    {
        ModelResolution r = Catalog().Resolve("azure", "gpt-4o");
        Assert.Equal((ResolutionRule.ExactKey, "gpt-4o"), (r.Rule, r.Key));
    }

    [Fact]
    public void Resolve_ProviderQualifiedKey_Found()
    {
        ModelResolution r = Catalog().Resolve("vertex_ai", "gemini-2.5-pro");
        Assert.Equal((ResolutionRule.ProviderQualifiedKey, "vertex_ai/gemini-2.5-pro"), (r.Rule, r.Key));
    }

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("openai/openai/gpt-4o")]
    [InlineData("openrouter/openai/gpt-4o")]
    public void Resolve_ProviderPrefixes_AreStripped(string model)
    {
        ModelResolution r = Catalog().Resolve("openai", model);
        Assert.Equal((ResolutionRule.ProviderPrefixStripped, "gpt-4o"), (r.Rule, r.Key));
    }

    [Theory]
    [InlineData("claude-3-5-sonnet-20241022")]
    [InlineData("claude-3-5-sonnet@20241022")]
    [InlineData("anthropic/claude-3-5-sonnet-20241022")]
    [InlineData("gpt-4o-2024-08-06")]
    public void Resolve_DateSuffix_IsStripped(string model)
    {
        ModelResolution r = Catalog().Resolve("anthropic", model);
        Assert.Equal(ResolutionRule.DateSuffixStripped, r.Rule);
    }

    [Fact]
    public void Resolve_ConfiguredPattern_MapsToKeyBeforeDateStripping()
    {
        PricingCatalog catalog = Catalog();
        catalog.AddPattern(new ModelPattern("gpt-4o-*", "gpt-4o"));
        ModelResolution r = catalog.Resolve("openai", "gpt-4o-audio-preview");
        Assert.Equal((ResolutionRule.Pattern, "gpt-4o"), (r.Rule, r.Key));
        Assert.Equal(ResolutionRule.Pattern, catalog.Resolve("openai", "gpt-4o-2024-08-06").Rule);
    }

    [Theory]
    [InlineData("my-gpt-4o")]
    [InlineData("gpt-4o-audio-preview")]
    [InlineData("gpt-4")]
    [InlineData("xgpt-4o")]
    public void Resolve_NoSubstringMatching_Unpriced(string model)
    {
        ModelResolution r = Catalog().Resolve("openai", model);
        Assert.True(r.IsUnpriced);
        Assert.Equal(ResolutionRule.Unpriced, r.Rule);
        Assert.Contains(model, r.UnpricedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Unpriced_IsCountedPerProviderAndModel()
    {
        PricingCatalog catalog = Catalog();
        catalog.Resolve("openai", "nope");
        catalog.Resolve("openai", "nope");
        Assert.Equal(2, catalog.UnpricedCounts["openai/nope"]);
    }

    [Fact]
    public void Resolve_BaseModelOverride_IsTriedFirstAndFollowsTheChain()
    {
        PricingCatalog catalog = Catalog();
        Assert.Equal(ResolutionRule.BaseModelOverride, catalog.Resolve("azure", "prod", "gpt-4o").Rule);
        Assert.Equal(ResolutionRule.DateSuffixStripped, catalog.Resolve("azure", "prod", "gpt-4o-2024-08-06").Rule);
        ModelResolution missing = catalog.Resolve("azure", "prod", "gpt-5");
        Assert.True(missing.IsUnpriced);
        Assert.Contains("base model 'gpt-5'", missing.UnpricedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPattern_OnlyWildcards_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ModelPattern("**", "gpt-4o"));
    }

    [Theory]
    [InlineData("gpt-4o-*", "gpt-4o-mini", true)]
    [InlineData("gpt-4o-*", "GPT-4O-MINI", true)]
    [InlineData("gpt-4o-*", "gpt-4o", false)]
    [InlineData("*-sonnet-*", "claude-3-5-sonnet-latest", true)]
    [InlineData("gpt-4o-*", "my-gpt-4o-mini", false)]
    public void ModelPattern_IsMatch_WholeName(string pattern, string model, bool expected)
    {
        Assert.Equal(expected, new ModelPattern(pattern, "k").IsMatch(model));
    }
}
