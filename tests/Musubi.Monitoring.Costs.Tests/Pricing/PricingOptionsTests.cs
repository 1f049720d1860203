namespace Musubi.Monitoring.Costs.Tests;

public sealed class PricingOptionsTests
{
    private static readonly DateTimeOffset s_at = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Defaults_BuiltInOnNoCustomPricesNoPatterns()
    {
        var options = new PricingOptions();
        Assert.True(options.IncludeBuiltInPrices);
        Assert.Empty(options.Prices);
        Assert.Empty(options.Patterns);
    }

    [Fact]
    public void Create_CustomPrice_ReplacesBuiltInAndAddsPatterns()
    {
        var options = new PricingOptions();
        options.Prices["gpt-4"] = new ModelPrice { InputCostPerToken = 1e-5m, OutputCostPerToken = 2e-5m };
        options.Patterns.Add(new ModelPattern("gpt-4-*", "gpt-4"));
        PricingCatalog catalog = PricingCatalog.Create(options);
        options.Prices.Clear();

        CostBreakdown cost = CostCalculator.Calculate(UsageAdapters.FromOpenAI("gpt-4-0613", s_at, 1000, 0), catalog);
        Assert.Equal(0.01m, cost.Total);
        Assert.Equal(ResolutionRule.Pattern, cost.Resolution.Rule);
        Assert.False(catalog.Resolve("openai", "gpt-4o").IsUnpriced);
    }

    [Fact]
    public void Create_WithoutBuiltIn_OnlyCustomPrices()
    {
        var options = new PricingOptions { IncludeBuiltInPrices = false };
        options.Prices["mine"] = new ModelPrice { InputCostPerToken = 1m };
        PricingCatalog catalog = PricingCatalog.Create(options);
        Assert.Equal(["mine"], catalog.Keys);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowNamingTheEntry()
    {
        Assert.Throws<ArgumentNullException>(() => PricingCatalog.Create(null!));
        var nullPrice = new PricingOptions();
        nullPrice.Prices["x"] = null!;
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => PricingCatalog.Create(nullPrice)).Message, StringComparison.Ordinal);
        var nullPattern = new PricingOptions();
        nullPattern.Patterns.Add(null!);
        Assert.Contains("Patterns[0]", Assert.Throws<ArgumentException>(() => PricingCatalog.Create(nullPattern)).Message, StringComparison.Ordinal);
    }
}
