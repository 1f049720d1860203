using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace Musubi.Monitoring.Costs.Tests;

public sealed class CostsBuilderExtensionsTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AddCosts_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("builder", () => CostsBuilderExtensions.AddCosts(null!));

    [Fact]
    public void AddCosts_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddCosts().AddCosts();

        Assert.Single(services, d => d.ServiceType == typeof(ICostLedger));
        Assert.Single(services, d => d.ServiceType == typeof(PricingCatalog));
        Assert.Single(services, d => d.ServiceType == typeof(CostTracker));
    }

    [Fact]
    public void AddCosts_Defaults_ResolvesInMemoryLedgerAndBuiltInPrices()
    {
        using ServiceProvider provider = new ServiceCollection().AddMusubiMonitoring().AddCosts().Services.BuildServiceProvider();

        Assert.IsType<InMemoryCostLedger>(provider.GetRequiredService<ICostLedger>());
        Assert.False(CostCalculator.Calculate(new LlmUsage("openai", "gpt-4o", s_at, 10, 10), provider.GetRequiredService<PricingCatalog>()).IsUnpriced);
        Assert.True(new CostOptions().Pricing.IncludeBuiltInPrices);
    }

    [Fact]
    public void AddCosts_LedgerRegisteredBefore_KeepsIt()
    {
        var mine = new InMemoryCostLedger();
        var services = new ServiceCollection();
        services.AddSingleton<ICostLedger>(mine);
        using ServiceProvider provider = services.AddMusubiMonitoring().AddCosts().Services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ICostLedger>());
    }

    [Fact]
    public void CostTracker_NullArguments_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("ledger", () => new CostTracker(null!, PricingCatalog.CreateDefault()));
        Assert.Throws<ArgumentNullException>("catalog", () => new CostTracker(new InMemoryCostLedger(), null!));
    }

    [Fact]
    public async Task ReadmeExample_TrackAndReport_TotalsEqualRecords()
    {
        // README example: begin
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
        // README example: end

        Assert.Equal(1, today.Count);
        Assert.Equal(2, report.Total.Count);
        CostPage records = await ledger.ListAsync(new CostQuery());
        Assert.Equal(0.01m, records.Items[1].Total); // 1000 × 2e-6 + 1000 × 8e-6
        Assert.Equal(records.Items[0].Total, today.Total);
        Assert.Equal(records.Items.Sum(r => r.Total!.Value), report.Total.Total);
        Assert.Contains("| gpt\\-4o |", markdown, StringComparison.Ordinal);
    }
}

public sealed class UnpricedUsageAlertTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddCosts_UnpricedUsage_IsCountedOnTheMeterAndWarnedOncePerModel()
    {
        var logs = new ListLogger();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddMusubiMonitoring().AddCosts();
        using ServiceProvider provider = services.BuildServiceProvider();
        var counted = new List<(long Value, string? Provider, string? Model)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Musubi.Monitoring.Costs" && instrument.Name == "musubi.llm.usage.unpriced")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? p = null, m = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "gen_ai.provider.name") p = (string?)tag.Value;
                if (tag.Key == "gen_ai.request.model") m = (string?)tag.Value;
            }

            counted.Add((value, p, m));
        });
        listener.Start();
        CostTracker tracker = provider.GetRequiredService<CostTracker>();

        CostRecord first = await tracker.RecordAsync(new LlmUsage("acme", "acme-llm-7b", s_at, 100, 10));
        await tracker.RecordAsync(new LlmUsage("acme", "acme-llm-7b", s_at, 100, 10));
        await tracker.RecordAsync(new LlmUsage("openai", "gpt-4o", s_at, 100, 10));
        await tracker.RecordAsync(new LlmUsage("acme", "acme-llm-13b", s_at, 100, 10));

        Assert.True(first.IsUnpriced);
        Assert.Equal([(1L, "acme", "acme-llm-7b"), (1L, "acme", "acme-llm-7b"), (1L, "acme", "acme-llm-13b")], counted);
        string[] warnings = [.. logs.Entries.Where(e => e.Id.Id == 4109).Select(e => e.Message)];
        Assert.Equal(2, warnings.Length);
        Assert.Contains("acme/acme-llm-7b", warnings[0], StringComparison.Ordinal);
        Assert.Contains("acme/acme-llm-13b", warnings[1], StringComparison.Ordinal);
        Assert.Equal(4, (await provider.GetRequiredService<ICostLedger>().ListAsync(new CostQuery())).Items.Count);
    }
}
