using System.Text.Json;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's cost examples.</summary>
public static class CostSnippets
{
    public static string Pricing()
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();           // built-in table of major models
        catalog.LoadLiteLlmJson("""{"my-finetune": {"input_cost_per_token": 2e-6, "output_cost_per_token": 8e-6}}""");

        using JsonDocument response = JsonDocument.Parse("""
            {"input_tokens": 3, "cache_creation_input_tokens": 12304, "cache_read_input_tokens": 0, "output_tokens": 550}
            """);
        LlmUsage usage = UsageAdapters.FromAnthropic("claude-3-7-sonnet-20250219", DateTimeOffset.Parse("2025-07-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), response.RootElement)
            with { Attribution = new UsageAttribution { Tenant = "acme", Feature = "support-bot" } };

        CostBreakdown cost = CostCalculator.Calculate(usage, catalog);
        string shown = cost.IsUnpriced
            ? $"unpriced: {cost.Resolution.UnpricedReason}"
            : $"{CostFormat.Usd(cost.Total!.Value)} via {cost.Resolution.Rule}";  // "$0.054399 via ExactKey"
        return shown;
    }
}
