using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI.Tests;

public sealed class CostTrackingChatClientTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_start);
    private readonly FakeChatClient _inner = new();
    private readonly CapturingLedger _ledger = new();
    private readonly PricingCatalog _catalog = PricingCatalog.Create(new PricingOptions());
    private readonly Meter _meter = new("test." + Guid.NewGuid().ToString("N"));

    public void Dispose() => _meter.Dispose();

    private CostTrackingChatClient Create(CostTrackingOptions? options = null, BudgetMonitor? budgets = null) =>
        new(_inner, new CostTracker(_ledger, _catalog), _meter, options, budgets, _catalog, timeProvider: _time);

    private static ChatMessage[] Prompt(string text = "Hello") => [new(ChatRole.User, text)];

    [Fact]
    public async Task GetResponseAsync_UsageForKnownModel_RecordsExactCost()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = "gpt-4",
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 0 },
        };
        using var client = Create();

        ChatResponse response = await client.GetResponseAsync(Prompt());

        Assert.Same(_inner.Response, response);
        CostRecord record = Assert.Single(_ledger.Records);
        Assert.Equal(0.03m, record.Total);
        Assert.Equal("openai", record.Usage.Provider);
        Assert.Equal("gpt-4", record.Usage.RequestModel);
        Assert.Equal(1000, record.Usage.InputTokens);
        Assert.Equal(s_start, record.Usage.Timestamp);
    }

    [Fact]
    public async Task GetResponseAsync_CachedAndReasoningCounts_MapsThemAndModels()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = "gpt-4o-2024-08-06",
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50, CachedInputTokenCount = 40, ReasoningTokenCount = 10 },
        };
        using var client = Create();

        await client.GetResponseAsync(Prompt(), new ChatOptions { ModelId = "gpt-4o" });

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal("gpt-4o", usage.RequestModel);
        Assert.Equal("gpt-4o-2024-08-06", usage.ResponseModel);
        Assert.Equal(40, usage.CachedReadTokens);
        Assert.Equal(10, usage.ReasoningTokens);
        Assert.Equal(50, usage.OutputTokens);
    }

    [Fact]
    public async Task GetResponseAsync_AnthropicCacheWrites_RecordsAndPricesThem()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = "claude-3-7-sonnet-20250219",
            Usage = new UsageDetails
            {
                InputTokenCount = 10_266,
                CachedInputTokenCount = 0,
                OutputTokenCount = 144,
                AdditionalCounts = new() { ["CacheCreationInputTokens"] = 10_227, ["ephemeral_1h_input_tokens"] = 227 },
            },
        };
        using var client = Create();

        await client.GetResponseAsync(Prompt(), new ChatOptions { ModelId = "claude-3-7-sonnet-20250219" });

        CostRecord record = Assert.Single(_ledger.Records);
        Assert.Equal((10_000L, 227L), (record.Usage.CacheWrite5MinuteTokens, record.Usage.CacheWrite1HourTokens));
        // 39 uncached × $3/M + 10,000 × $3.75/M + 227 × $6/M + 144 × $15/M
        Assert.Equal((39 * 0.000003m) + (10_000 * 0.00000375m) + (227 * 0.000006m) + (144 * 0.000015m), record.Total);
    }

    [Fact]
    public async Task GetResponseAsync_CacheWritesAboveInput_AreClampedToTheUncachedInput()
    {
        _inner.Response.Usage = new UsageDetails
        {
            InputTokenCount = 100,
            CachedInputTokenCount = 60,
            OutputTokenCount = 1,
            AdditionalCounts = new() { ["cache_creation_input_tokens"] = 500 },
        };
        using var client = Create();

        await client.GetResponseAsync(Prompt());

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((60L, 40L, 0L), (usage.CachedReadTokens, usage.CacheWrite5MinuteTokens, usage.CacheWrite1HourTokens));
    }

    [Fact]
    public async Task GetResponseAsync_AttributionProperties_RecordsUserFeatureTenant()
    {
        _inner.Response.Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 };
        using var client = Create();
        var options = new ChatOptions
        {
            AdditionalProperties = new() { [CostTrackingOptions.UserKey] = "alice", [CostTrackingOptions.FeatureKey] = "search", [CostTrackingOptions.TenantKey] = "acme" },
        };

        await client.GetResponseAsync(Prompt(), options);

        UsageAttribution? attribution = Assert.Single(_ledger.Records).Usage.Attribution;
        Assert.Equal(("alice", "search", "acme"), (attribution?.User, attribution?.Feature, attribution?.Tenant));
    }

    [Fact]
    public async Task GetResponseAsync_AttributionSelector_WinsOverProperties()
    {
        _inner.Response.Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 };
        using var client = Create(new CostTrackingOptions { AttributionSelector = (_, _) => new UsageAttribution { Feature = "chosen" }, ProviderName = "azure" });

        await client.GetResponseAsync(Prompt(), new ChatOptions { AdditionalProperties = new() { [CostTrackingOptions.FeatureKey] = "ignored" } });

        CostRecord record = Assert.Single(_ledger.Records);
        Assert.Equal("chosen", record.Usage.Attribution?.Feature);
        Assert.Equal("azure", record.Usage.Provider);
    }

    [Fact]
    public async Task GetResponseAsync_NoUsage_RecordsEstimateMarkedEstimated()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "tiktoken is great!")) { ModelId = "gpt-4" };
        using var client = Create();

        await client.GetResponseAsync(Prompt("お誕生日おめでとう"));

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal(9, usage.InputTokens);   // cl100k_base, gpt-4's encoding (OpenAI's cookbook counts 9)
        Assert.Equal(6, usage.OutputTokens);
        Assert.Equal("true", usage.Attribution?.Tags[CostTrackingOptions.EstimatedTag]);
    }

    [Fact]
    public async Task GetResponseAsync_NoUsageForO200kModel_CountsWithO200k()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "tiktoken is great!")) { ModelId = "gpt-4o-2024-08-06" };
        using var client = Create();

        await client.GetResponseAsync([new(ChatRole.System, "お誕生日おめでとう"), new(ChatRole.User, "お誕生日おめでとう")], new ChatOptions { ModelId = "gpt-4o" });

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((16, 6), (usage.InputTokens, usage.OutputTokens)); // 8 + 8 in o200k_base, every message counted
    }

    [Fact]
    public async Task GetResponseAsync_NoUsageForNonOpenAiModel_CountsWithO200kApproximation()
    {
        _inner.Metadata = new ChatClientMetadata("anthropic", null, "claude-3-7-sonnet-20250219");
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "")) { ModelId = "claude-3-7-sonnet-20250219" };
        using var client = Create();

        await client.GetResponseAsync(Prompt("お誕生日おめでとう"));

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((8, 0), (usage.InputTokens, usage.OutputTokens));
        Assert.Equal("true", usage.Attribution?.Tags[CostTrackingOptions.EstimatedTag]);
    }

    [Fact]
    public async Task GetResponseAsync_NoUsageAndEstimateOff_RecordsNothing()
    {
        using var client = Create(new CostTrackingOptions { EstimateMissingUsage = false });

        await client.GetResponseAsync(Prompt());

        Assert.Empty(_ledger.Records);
    }

    [Fact]
    public async Task GetResponseAsync_LedgerThrows_ReturnsResponseAndCountsFailure()
    {
        _ledger.Fail = true;
        _inner.Response.Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 };
        using var collector = new Collector<long>(_meter, "musubi.llm.usage.recording_failures");
        using var client = Create();

        ChatResponse response = await client.GetResponseAsync(Prompt());

        Assert.Same(_inner.Response, response);
        Assert.Equal(1, Assert.Single(collector.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task GetResponseAsync_Success_EmitsGenAiMetricsWithTags()
    {
        _inner.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = "gpt-4-0613",
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 10 },
        };
        using var tokens = new Collector<long>(_meter, "gen_ai.client.token.usage");
        using var duration = new Collector<double>(_meter, "gen_ai.client.operation.duration");
        using var cost = new Collector<double>(_meter, "musubi.llm.cost");
        using var client = Create();

        await client.GetResponseAsync(Prompt(), new ChatOptions { ModelId = "gpt-4" });

        var measured = tokens.GetMeasurementSnapshot();
        Assert.Equal(2, measured.Count);
        var input = Assert.Single(measured, m => (string?)m.Tags["gen_ai.token.type"] == "input");
        Assert.Equal(1000, input.Value);
        Assert.Equal("chat", input.Tags["gen_ai.operation.name"]);
        Assert.Equal("openai", input.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-4", input.Tags["gen_ai.request.model"]);
        Assert.Equal("gpt-4-0613", input.Tags["gen_ai.response.model"]);
        Assert.Equal(10, Assert.Single(measured, m => (string?)m.Tags["gen_ai.token.type"] == "output").Value);
        var d = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.False(d.Tags.ContainsKey("error.type"));
        Assert.Equal(0.0306, Assert.Single(cost.GetMeasurementSnapshot()).Value, 10);
    }

    [Fact]
    public async Task GetResponseAsync_TwoSecondCall_RecordsDurationInSecondsFromTimeProvider()
    {
        _inner.OnCall = () => _time.Advance(TimeSpan.FromSeconds(2));
        using var duration = new Collector<double>(_meter, "gen_ai.client.operation.duration");
        using var client = Create();

        await client.GetResponseAsync(Prompt());

        Assert.Equal(2.0, Assert.Single(duration.GetMeasurementSnapshot()).Value, 6);
    }

    [Fact]
    public async Task GetResponseAsync_InnerThrows_RecordsDurationWithErrorTypeAndRethrows()
    {
        _inner.Throw = new TimeoutException("slow");
        using var duration = new Collector<double>(_meter, "gen_ai.client.operation.duration");
        using var client = Create();

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal("System.TimeoutException", Assert.Single(duration.GetMeasurementSnapshot()).Tags["error.type"]);
        Assert.Empty(_ledger.Records);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UsageDeltas_SumsThem()
    {
        _inner.Updates.AddRange([FakeChatClient.Text("a"), FakeChatClient.Usage(1000, 0), FakeChatClient.Text("b"), FakeChatClient.Usage(null, 500)]);
        using var client = Create();

        var seen = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
        {
            seen.Add(update);
        }

        Assert.Equal(_inner.Updates, seen);
        CostRecord record = Assert.Single(_ledger.Records);
        Assert.Equal((1000, 500), (record.Usage.InputTokens, record.Usage.OutputTokens));
        Assert.Equal("gpt-4-0613", record.Usage.ResponseModel);
        Assert.Equal(0.06m, record.Total);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RunningTotals_TakesLastWithoutDoubleCounting()
    {
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 1, 1001), FakeChatClient.Text("a"), FakeChatClient.Usage(1000, 200, 1200), FakeChatClient.Usage(1000, 500, 1500)]);
        using var client = Create();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
        {
        }

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((1000, 500), (usage.InputTokens, usage.OutputTokens));
    }

    [Theory]
    [InlineData(StreamingUsageMode.Deltas, 2000, 700)]
    [InlineData(StreamingUsageMode.RunningTotals, 1000, 500)]
    public async Task GetStreamingResponseAsync_ExplicitMode_OverridesAuto(StreamingUsageMode mode, long input, long output)
    {
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 200), FakeChatClient.Usage(1000, 500)]);
        using var client = Create(new CostTrackingOptions { StreamingUsageMode = mode });

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
        {
        }

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((input, output), (usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConsumerStopsEarly_RecordsWhatWasSeenOnce()
    {
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 0), FakeChatClient.Text("a"), FakeChatClient.Usage(0, 500)]);
        using var client = Create();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
        {
            break;
        }

        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((1000, 0), (usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoUsage_RecordsEstimateFromStreamedText()
    {
        _inner.Updates.AddRange([FakeChatClient.Text("tiktoken is"), FakeChatClient.Text(" great!")]);
        using var client = Create();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt("お誕生日おめでとう")))
        {
        }

        // The updates report gpt-4-0613, which the tokenizer maps to cl100k_base; the streamed text is counted whole.
        LlmUsage usage = Assert.Single(_ledger.Records).Usage;
        Assert.Equal((9, 6), (usage.InputTokens, usage.OutputTokens));
        Assert.Equal("true", usage.Attribution?.Tags[CostTrackingOptions.EstimatedTag]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamFailsWithoutUsage_RethrowsAndRecordsNothing()
    {
        _inner.Updates.Add(FakeChatClient.Text("a"));
        _inner.Throw = new HttpRequestException("reset");
        using var duration = new Collector<double>(_meter, "gen_ai.client.operation.duration");
        using var client = Create();

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
            {
            }
        });

        Assert.Empty(_ledger.Records);
        Assert.Equal("System.Net.Http.HttpRequestException", Assert.Single(duration.GetMeasurementSnapshot()).Tags["error.type"]);
    }

    [Fact]
    public async Task GetResponseAsync_EnforcedBudgetSpent_ThrowsBudgetExceededWithoutCallingInner()
    {
        var spend = new InMemoryBudgetSpend();
        spend.Add(new LlmUsage("openai", "gpt-4", s_start, 1, 1), 1.5m);
        var monitor = new BudgetMonitor([new Budget("daily", 1m, BudgetPeriod.Daily) { Enforce = true }], spend, _time);
        using var client = Create(budgets: monitor);

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal("daily", ex.BudgetName);
        Assert.Equal(1m, ex.Limit);
        Assert.Equal(1.5m, ex.Spent);
        Assert.Equal(0, _inner.Calls);
        Assert.Empty(_ledger.Records);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EnforcedBudgetSpent_ThrowsBudgetExceeded()
    {
        var spend = new InMemoryBudgetSpend();
        spend.Add(new LlmUsage("openai", "gpt-4", s_start, 1, 1), 2m);
        var monitor = new BudgetMonitor([new Budget("daily", 1m, BudgetPeriod.Daily) { Enforce = true }], spend, _time);
        using var client = Create(budgets: monitor);

        await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
            {
            }
        });

        Assert.Equal(0, _inner.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_BudgetWithRoom_CallsInner()
    {
        var monitor = new BudgetMonitor([new Budget("daily", 1m, BudgetPeriod.Daily) { Enforce = true }], new InMemoryBudgetSpend(), _time);
        _inner.Response.Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 };
        using var client = Create(budgets: monitor);

        await client.GetResponseAsync(Prompt());

        Assert.Equal(1, _inner.Calls);
        Assert.Single(_ledger.Records);
    }

    [Fact]
    public void CostTrackingOptions_Defaults_AreDocumentedValues()
    {
        var options = new CostTrackingOptions();

        Assert.Equal(StreamingUsageMode.Auto, options.StreamingUsageMode);
        Assert.True(options.EstimateMissingUsage);
        Assert.Null(options.ProviderName);
        Assert.Null(options.AttributionSelector);
    }
}

public sealed class StreamingUsageAccumulatorTests
{
    private static UsageDetails U(long? input, long? output) => new() { InputTokenCount = input, OutputTokenCount = output };

    [Fact]
    public void Result_AutoWithOneItem_TakesIt()
    {
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);
        acc.Add(U(10, 5));

        Assert.Equal((10L, 5L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount));
    }

    [Fact]
    public void Result_AutoWithEqualItems_TreatsThemAsRunningTotals()
    {
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);
        acc.Add(U(10, 5));
        acc.Add(U(10, 5));

        Assert.Equal((10L, 5L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount));
    }

    [Fact]
    public void Result_AutoWithLaterItemMissingInput_SumsAsDeltas()
    {
        // Anthropic-style: the start event carries the input, later events carry output only.
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);
        acc.Add(U(10, 1));
        acc.Add(U(null, 7));

        Assert.Equal((10L, 8L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount));
    }

    [Fact]
    public void Result_RunningTotalsWithLaterItemMissingInput_KeepsTheInput()
    {
        // Anthropic's message_delta counts are cumulative but leave out the input that message_start reported.
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.RunningTotals);
        acc.Add(U(10, 1));
        acc.Add(U(null, 7));

        Assert.Equal((10L, 7L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount));
    }

    [Fact]
    public void Result_AutoWithLaterItemLeavingOutTotal_TakesRunningTotalsNotCountedTwice()
    {
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);
        acc.Add(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1, TotalTokenCount = 1001 });
        acc.Add(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 });

        Assert.Equal((1000L, 500L, 1001L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount, acc.Result.TotalTokenCount));
    }

    [Fact]
    public void Result_AutoWithDeltasAfterInput_SumsThem()
    {
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);
        acc.Add(U(10, 0));
        acc.Add(U(0, 5));
        acc.Add(U(null, 5));

        Assert.Equal((10L, 10L), (acc.Result!.InputTokenCount, acc.Result.OutputTokenCount));
    }

    [Fact]
    public void Result_NoItems_IsNull()
    {
        var acc = new StreamingUsageAccumulator(StreamingUsageMode.Auto);

        Assert.False(acc.HasUsage);
        Assert.Null(acc.Result);
    }
}
