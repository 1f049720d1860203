using Microsoft.Extensions.DependencyInjection;
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

    public static async Task Budgets(TimeProvider time, IBudgetAlertSink mySink)
    {
        // time is your TimeProvider; mySink an IBudgetAlertSink of yours (the log and gauges get every alert too).
        Budget[] budgets =
        [
            new("team-monthly", 500m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" },  // warns at 80%, alerts at 100%
            new("alice-daily", 5m, BudgetPeriod.Daily) { Scope = BudgetScope.User("alice"), Enforce = true },
        ];
        var spend = new InMemoryBudgetSpend();                // or the cost ledger
        var monitor = new BudgetMonitor(budgets, spend, time, sinks: [mySink]);

        LlmUsage call = new LlmUsage("openai", "gpt-4o", time.GetUtcNow(), 1200, 300)
            with { Attribution = new UsageAttribution { User = "alice" } };
        spend.Add(call, 420m);                                // 84% of the monthly budget

        BudgetStatus team = await monitor.EvaluateAsync(budgets[0]);  // raises one Warning alert
        // team.PeriodEnd == 2026-07-31T15:00:00Z: August starts at midnight in Tokyo

        BudgetCheck check = await monitor.CheckAsync(call, estimatedCost: 0.02m);
        if (!check.IsAllowed)
        {
            Console.WriteLine(check.Reason);                  // budget 'alice-daily' (user:alice) has spent 420 of 5 USD ...
        }
        _ = team;
    }

    public static async Task BudgetsInHost(IServiceCollection services, IServiceProvider provider, IBudgetAlertSink mySink)
    {
        services.AddSingleton<IBudgetAlertSink>(mySink);            // optional; every registered sink gets the alerts
        services.AddMusubiMonitoring()
            .AddCosts(o =>
            {
                o.Budgets.Add(new Budget("monthly", 50m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" });
                o.Budgets.Add(new Budget("alice-daily", 5m, BudgetPeriod.Daily) { Scope = BudgetScope.User("alice"), Enforce = true });
                o.BudgetEvaluationInterval = TimeSpan.FromMinutes(1);   // the default
            })
            .UseSqlite("Data Source=musubi.db");   // ledger, stored budgets and raised alerts survive restarts

        // Later, while the host runs: budgets can be added, changed or deleted without a redeploy.
        IBudgetStore store = provider.GetRequiredService<IBudgetStore>();
        await store.UpsertBudgetAsync(new Budget("search-weekly", 20m, BudgetPeriod.Weekly) { Scope = BudgetScope.Feature("search") });
        BudgetMonitor monitor = provider.GetRequiredService<BudgetMonitor>();   // also what UseMusubiCostTracking enforces with
        _ = monitor;
    }

    public static async Task Ledger()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddMusubiMonitoring()
            .AddCosts(o => o.Pricing.Prices["my-finetune"] = new ModelPrice { InputCostPerToken = 2e-6m, OutputCostPerToken = 8e-6m })
            .Services.BuildServiceProvider();   // add .UseSqlite("Data Source=musubi.db") to keep records across restarts
        CostTracker tracker = services.GetRequiredService<CostTracker>();
        ICostLedger ledger = services.GetRequiredService<ICostLedger>();

        DateTimeOffset now = DateTimeOffset.Parse("2026-03-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await tracker.RecordAsync(new LlmUsage("openai", "gpt-4o", now, inputTokens: 1200, outputTokens: 300)
            with { Attribution = new UsageAttribution { User = "ana", Feature = "search" } });
        await tracker.RecordAsync(new LlmUsage("custom", "my-finetune", now, inputTokens: 1000, outputTokens: 1000));

        CostReport report = await CostReport.BuildAsync(ledger, CostReportPeriod.Daily, CostReportGrouping.Model, TimeZoneInfo.Utc, now);
        CostTotal today = await ledger.GetTotalAsync(new CostQuery { From = report.From, To = report.To, Feature = "search" });
        string markdown = report.ToMarkdown();   // also ToText(), ToJson(), ToCsv()
        _ = (today, markdown);
    }
}
