using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli.Tests;

/// <summary>Records usage into a SQLite ledger file the way a host does: the library's <see cref="CostTracker"/> on <see cref="SqliteCostLedger"/>.</summary>
internal static class LedgerSeed
{
    public static readonly PricingCatalog s_catalog = PricingCatalog.CreateDefault();

    public static LlmUsage Usage(string model, long input, long output, DateTimeOffset at, string provider = "openai", string? user = null, string? feature = null) =>
        new(provider, model, at, input, output)
        {
            Attribution = user is null && feature is null ? null : new UsageAttribution { User = user, Feature = feature },
        };

    public static async Task<List<CostRecord>> RecordAsync(string databasePath, params LlmUsage[] usages)
    {
        var ledger = new SqliteCostLedger($"Data Source={databasePath}", new FakeTimeProvider(CliRun.s_now));
        var tracker = new CostTracker(ledger, s_catalog);
        var records = new List<CostRecord>();
        await ledger.GetTotalAsync(new CostQuery(), TestContext.Current.CancellationToken);   // creates the file and schema, even with no usage
        foreach (LlmUsage usage in usages)
        {
            records.Add(await tracker.RecordAsync(usage, TestContext.Current.CancellationToken));
        }

        SqliteConnection.ClearAllPools();
        return records;
    }

    /// <summary>A day of mixed usage: two priced models, one unpriced model, attribution, and a record from the day before.</summary>
    public static Task<List<CostRecord>> RecordSampleAsync(string databasePath) => RecordAsync(
        databasePath,
        Usage("gpt-4", 1000, 0, CliRun.s_now.AddHours(-2), user: "ana", feature: "search"),
        Usage("gpt-4o", 1200, 300, CliRun.s_now.AddHours(-1), user: "ana", feature: "chat"),
        Usage("claude-sonnet-4-20250514", 3000, 500, CliRun.s_now.AddMinutes(-30), provider: "anthropic", user: "bo"),
        Usage("no-such-model", 10, 10, CliRun.s_now.AddMinutes(-10), provider: "custom"),
        Usage("gpt-4", 0, 1000, CliRun.s_now.AddDays(-1)));
}
