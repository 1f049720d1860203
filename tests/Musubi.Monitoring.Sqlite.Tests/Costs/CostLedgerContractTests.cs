using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Sqlite.Tests.Costs;

/// <summary>The <see cref="ICostLedger"/> contract, run against every implementation.</summary>
public abstract class CostLedgerContractTests : IDisposable
{
    internal static readonly DateTimeOffset s_at = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    internal static readonly PricingCatalog s_catalog = PricingCatalog.CreateDefault();
    private static readonly string[] s_models = ["gpt-4o", "gpt-4", "claude-sonnet-4-20250514", "no-such-model-xyz"];

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract ICostLedger Ledger { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    internal static LlmUsage Usage(string model = "gpt-4o", long input = 1234, long output = 567, DateTimeOffset? at = null,
        string provider = "openai", string? user = null, string? feature = null, string? tenant = null, string operation = "chat") =>
        new(provider, model, at ?? s_at, input, output)
        {
            Operation = operation,
            Attribution = user is null && feature is null && tenant is null ? null : new UsageAttribution
            {
                User = user,
                Feature = feature,
                Tenant = tenant,
                Tags = new Dictionary<string, string> { ["env"] = "test, \"quoted\"" },
            },
        };

    internal static Task<CostRecord> AppendAsync(ICostLedger ledger, LlmUsage usage) =>
        ledger.AppendAsync(usage, CostCalculator.Calculate(usage, s_catalog), Token);

    [Fact]
    public async Task AppendAsync_PricedUsage_ListReadsBackEveryField()
    {
        LlmUsage usage = Usage(user: "ana", feature: "search", tenant: "acme") with { ResponseModel = "gpt-4o-2024-08-06", BaseModel = "gpt-4o" };
        CostBreakdown cost = CostCalculator.Calculate(usage, s_catalog);

        CostRecord appended = await Ledger.AppendAsync(usage, cost, Token);
        CostPage page = await Ledger.ListAsync(new CostQuery(), Token);

        Assert.Equal(1, page.Total);
        CostRecord read = Assert.Single(page.Items);
        Assert.Equal(appended.Sequence, read.Sequence);
        Assert.Equal(cost.Total, read.Total);
        Assert.NotNull(read.Total);
        Assert.Equal(cost.Input, read.Input);
        Assert.Equal(cost.Output, read.Output);
        Assert.Equal(cost.Resolution.Rule, read.ResolutionRule);
        Assert.Equal(cost.Resolution.Key, read.ResolutionKey);
        Assert.Equal(appended.RecordedAt, read.RecordedAt);
        Assert.Equal(usage.Timestamp, read.Usage.Timestamp);
        Assert.Equal("gpt-4o-2024-08-06", read.Model);
        Assert.Equal(usage.BaseModel, read.Usage.BaseModel);
        Assert.Equal(usage.InputTokens, read.Usage.InputTokens);
        Assert.Equal("acme", read.Usage.Attribution!.Tenant);
        Assert.Equal("test, \"quoted\"", read.Usage.Attribution.Tags["env"]);
    }

    [Fact]
    public async Task AppendAsync_UnknownModel_StoresUnpricedWithNullTotal()
    {
        CostRecord record = await AppendAsync(Ledger, Usage(model: "no-such-model-xyz"));
        CostTotal total = await Ledger.GetTotalAsync(new CostQuery(), Token);

        Assert.True(record.IsUnpriced);
        Assert.Null(Assert.Single((await Ledger.ListAsync(new CostQuery(), Token)).Items).Total);
        Assert.Equal(0m, total.Total);
        Assert.Equal(1, total.UnpricedCount);
        Assert.Equal(1, total.Count);
    }

    [Fact]
    public async Task AppendAsync_Several_SequencesIncrease()
    {
        CostRecord a = await AppendAsync(Ledger, Usage());
        CostRecord b = await AppendAsync(Ledger, Usage());

        Assert.True(b.Sequence > a.Sequence);
    }

    [Fact]
    public async Task GetTotalAsync_RandomBatch_EqualsExactSumOfRecords()
    {
        var random = new Random(20260310);
        var appended = new List<CostRecord>();
        for (int i = 0; i < 60; i++)
        {
            LlmUsage usage = Usage(model: s_models[random.Next(s_models.Length)], input: random.Next(0, 2_000_000), output: random.Next(0, 100_000),
                at: s_at.AddMinutes(random.Next(0, 60 * 24 * 40)), user: random.Next(3) == 0 ? null : "user" + random.Next(3));
            appended.Add(await AppendAsync(Ledger, usage));
        }

        CostTotal total = await Ledger.GetTotalAsync(new CostQuery(), Token);
        CostPage all = await Ledger.ListAsync(new CostQuery { Take = 1000 }, Token);

        Assert.Equal(appended.Sum(r => r.Total ?? 0m), total.Total);
        Assert.Equal(all.Items.Sum(r => r.Total ?? 0m), total.Total);
        Assert.Equal(60, total.Count);
        Assert.Equal(appended.Count(r => r.IsUnpriced), total.UnpricedCount);
        Assert.Equal(appended.Sum(r => r.Usage.InputTokens), total.InputTokens);
        Assert.Equal(appended.Sum(r => r.Usage.OutputTokens), total.OutputTokens);

        // Any period's total is the sum of its records, and adjacent periods add up to the whole.
        DateTimeOffset split = s_at.AddDays(17);
        CostTotal before = await Ledger.GetTotalAsync(new CostQuery { To = split }, Token);
        CostTotal after = await Ledger.GetTotalAsync(new CostQuery { From = split }, Token);
        Assert.Equal(appended.Where(r => r.Usage.Timestamp < split).Sum(r => r.Total ?? 0m), before.Total);
        Assert.Equal(total.Total, before.Total + after.Total);
        Assert.Equal(total.Count, before.Count + after.Count);
        CostTotal user1 = await Ledger.GetTotalAsync(new CostQuery { User = "user1" }, Token);
        Assert.Equal(appended.Where(r => r.Usage.Attribution?.User == "user1").Sum(r => r.Total ?? 0m), user1.Total);
    }

    [Fact]
    public async Task GetTotalAsync_PricesNeedingTwelveDecimals_SumIsExact()
    {
        // 1 input token of claude-sonnet-4 is 3e-6 USD; odd counts across models give many fractional digits.
        CostRecord a = await AppendAsync(Ledger, Usage(model: "claude-sonnet-4-20250514", provider: "anthropic", input: 1, output: 1));
        CostRecord b = await AppendAsync(Ledger, Usage(model: "gpt-4o", input: 7, output: 3));
        CostRecord c = await AppendAsync(Ledger, Usage(model: "gpt-4o", input: 1_999_999_999, output: 999_999));

        CostTotal total = await Ledger.GetTotalAsync(new CostQuery(), Token);

        Assert.Equal(a.Total!.Value + b.Total!.Value + c.Total!.Value, total.Total);
    }

    [Fact]
    public async Task ListAsync_Filters_MatchOnlyTheirRecords()
    {
        await AppendAsync(Ledger, Usage(user: "ana", feature: "search", tenant: "t1"));
        await AppendAsync(Ledger, Usage(model: "claude-sonnet-4-20250514", provider: "anthropic", user: "bo", feature: "chat", tenant: "t2", operation: "embeddings"));
        await AppendAsync(Ledger, Usage(at: s_at.AddDays(1)));

        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { Provider = "anthropic" }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { Model = "claude-sonnet-4-20250514" }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { Operation = "embeddings" }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { User = "ana" }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { Feature = "chat" }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { Tenant = "t1" }, Token)).Total);
        Assert.Equal(2, (await Ledger.ListAsync(new CostQuery { From = s_at, To = s_at.AddDays(1) }, Token)).Total);
        Assert.Equal(1, (await Ledger.ListAsync(new CostQuery { From = s_at.AddDays(1) }, Token)).Total);
        Assert.Equal(0, (await Ledger.ListAsync(new CostQuery { User = "ANA" }, Token)).Total);
    }

    [Fact]
    public async Task ListAsync_Paging_ReturnsPageInAppendOrderAndFullCount()
    {
        for (int i = 0; i < 5; i++)
        {
            await AppendAsync(Ledger, Usage(input: i));
        }

        CostPage page = await Ledger.ListAsync(new CostQuery { Skip = 1, Take = 2 }, Token);

        Assert.Equal(5, page.Total);
        Assert.Equal([1L, 2L], page.Items.Select(r => r.Usage.InputTokens));
    }

    [Fact]
    public async Task ListAsync_InvalidTake_ThrowsArgumentOutOfRangeException()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.ListAsync(new CostQuery { Take = 0 }, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.GetTotalAsync(new CostQuery { Skip = -1 }, Token));
    }

    [Fact]
    public async Task GetTotalAsync_ToBeforeFrom_ThrowsArgumentExceptionNamingBothInstants()
    {
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => Ledger.GetTotalAsync(new CostQuery { From = s_at, To = s_at.AddDays(-1) }, Token));

        Assert.Contains("2026-03-09", e.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03-10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_NullArguments_ThrowArgumentNullException()
    {
        LlmUsage usage = Usage();
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AppendAsync(null!, CostCalculator.Calculate(usage, s_catalog), Token));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AppendAsync(usage, null!, Token));
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

public sealed class InMemoryCostLedgerContractTests : CostLedgerContractTests
{
    protected override ICostLedger Ledger { get; } = new InMemoryCostLedger();
}

public sealed class SqliteCostLedgerContractTests : CostLedgerContractTests
{
    private readonly TestDatabase _database = new();

    public SqliteCostLedgerContractTests()
    {
        Ledger = new SqliteCostLedger(_database.ConnectionString);
    }

    protected override ICostLedger Ledger { get; }

    protected override void Dispose(bool disposing)
    {
        _database.Dispose();
        base.Dispose(disposing);
    }
}
