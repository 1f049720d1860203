namespace Musubi.Monitoring.Costs.Tests;

/// <summary>The per-name resolution cache: same answers as the chain, invalidated by new prices, bounded.</summary>
public sealed class PricingCatalogCacheTests
{
    private static readonly DateTimeOffset s_before = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_after = new(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Resolve_SameNameTwice_ReturnsTheCachedResolution()
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();

        ModelResolution first = catalog.Resolve("openai", "gpt-4o-mini", at: s_after);
        ModelResolution second = catalog.Resolve("openai", "gpt-4o-mini", at: s_after);

        Assert.Same(first, second);
        Assert.Equal((ResolutionRule.ExactKey, "gpt-4o-mini"), (second.Rule, second.Key));
    }

    [Fact]
    public void Resolve_EqualNamesInFreshStrings_GiveTheSameAnswer()
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();

        ModelResolution first = catalog.Resolve(new string("openai".AsSpan()), new string("gpt-4o".AsSpan()));
        ModelResolution second = catalog.Resolve(new string("openai".AsSpan()), new string("gpt-4o".AsSpan()));

        Assert.Same(first, second);
        Assert.Equal("gpt-4o", second.Key);
    }

    [Fact]
    public void Resolve_ManyModelsInTurn_EachKeepsItsOwnPrice()
    {
        var catalog = new PricingCatalog();
        string[] models = [.. Enumerable.Range(1, 40).Select(i => $"model-{i}")];
        for (int i = 0; i < models.Length; i++)
        {
            catalog.SetPrice(models[i], new ModelPrice { InputCostPerToken = i + 1, OutputCostPerToken = 0m });
        }

        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < models.Length; i++)
            {
                Assert.Equal(i + 1, catalog.Resolve("p", models[i]).Price?.InputCostPerToken);
                Assert.Equal(i + 1, catalog.Resolve("p", models[i], baseModelOverride: null).Price?.InputCostPerToken);
            }
        }

        Assert.True(catalog.Resolve("other", "model-1", baseModelOverride: "model-2").Price?.InputCostPerToken == 2m);
    }

    [Fact]
    public void Resolve_CachedName_StillPicksThePriceInEffectAtEachTimestamp()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 1m, OutputCostPerToken = 1m });
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 2m, OutputCostPerToken = 2m, EffectiveFrom = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(1m, catalog.Resolve("p", "m", at: s_before).Price?.InputCostPerToken);
        Assert.Equal(2m, catalog.Resolve("p", "m", at: s_after).Price?.InputCostPerToken);
        Assert.Equal(1m, catalog.Resolve("p", "m", at: s_before).Price?.InputCostPerToken);
        Assert.Equal(2m, catalog.Resolve("p", "m").Price?.InputCostPerToken);
    }

    [Fact]
    public void Resolve_PriceAddedAfterAnUnpricedLookup_FindsTheNewPrice()
    {
        var catalog = new PricingCatalog();
        Assert.True(catalog.Resolve("acme", "acme-large").IsUnpriced);

        catalog.SetPrice("acme/acme-large", new ModelPrice { InputCostPerToken = 0.5m, OutputCostPerToken = 1m });
        ModelResolution resolution = catalog.Resolve("acme", "acme-large");

        Assert.Equal((ResolutionRule.ProviderQualifiedKey, "acme/acme-large"), (resolution.Rule, resolution.Key));
    }

    [Fact]
    public void Resolve_PatternAddedAfterALookup_AppliesToTheCachedName()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("base", new ModelPrice { InputCostPerToken = 1m, OutputCostPerToken = 1m });
        Assert.True(catalog.Resolve("p", "base-mini").IsUnpriced);

        catalog.AddPattern(new ModelPattern("base-*", "base"));

        Assert.Equal(ResolutionRule.Pattern, catalog.Resolve("p", "base-mini").Rule);
    }

    [Fact]
    public void Resolve_UnpricedNameResolvedTwice_IsCountedTwice()
    {
        var catalog = new PricingCatalog();

        catalog.Resolve("p", "nope");
        ModelResolution second = catalog.Resolve("p", "nope");

        Assert.Equal(2, catalog.UnpricedCounts["p/nope"]);
        Assert.Contains("'nope'", second.UnpricedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyWithNoPriceInEffectYet_IsUnpricedWithTheReason()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("future", new ModelPrice { InputCostPerToken = 1m, OutputCostPerToken = 1m, EffectiveFrom = s_after });

        ModelResolution resolution = catalog.Resolve("p", "future", at: s_before);

        Assert.True(resolution.IsUnpriced);
        Assert.StartsWith("Key 'future' has no price in effect at 2025-01-01T00:00:00.0000000+00:00", resolution.UnpricedReason, StringComparison.Ordinal);
        Assert.False(catalog.Resolve("p", "future", at: s_after).IsUnpriced);
    }

    [Fact]
    public void Resolve_MoreNamesThanTheCacheHolds_ResolvesEveryOneCorrectly()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 1m, OutputCostPerToken = 1m });

        for (int i = 0; i < PricingCatalog.MaxCachedResolutions + 100; i++)
        {
            Assert.Equal(ResolutionRule.DateSuffixStripped, catalog.Resolve("p", $"m-{20250000 + i}").Rule);
        }

        Assert.Equal(ResolutionRule.ExactKey, catalog.Resolve("p", "m").Rule);
        Assert.True(catalog.Resolve("p", "x-uncached").IsUnpriced);
    }

    [Fact]
    public void Resolve_SameModelUnderTwoProviders_KeepsEachAnswer()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("azure/dep", new ModelPrice { InputCostPerToken = 1m, OutputCostPerToken = 1m });

        Assert.Equal(ResolutionRule.ProviderQualifiedKey, catalog.Resolve("azure", "dep").Rule);
        Assert.True(catalog.Resolve("openai", "dep").IsUnpriced);
        Assert.Equal(ResolutionRule.ProviderQualifiedKey, catalog.Resolve("azure", "dep").Rule);
    }

    [Fact]
    public async Task Resolve_ManyThreadsWhilePricesChange_NeverFailsAndEndsOnTheLastPrice()
    {
        var catalog = new PricingCatalog();
        catalog.SetPrice("m", new ModelPrice { InputCostPerToken = 0m, OutputCostPerToken = 0m });

        Task readers = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                Assert.False(catalog.Resolve("p", "m").IsUnpriced);
            }
        })));
        for (int i = 1; i <= 200; i++)
        {
            catalog.SetPrice("m", new ModelPrice { InputCostPerToken = i, OutputCostPerToken = i });
        }

        await readers;
        Assert.Equal(200m, catalog.Resolve("p", "m").Price?.InputCostPerToken);
    }
}
