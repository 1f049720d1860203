using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI.Tests;

public sealed class CostTrackingChatClientStreamingTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeChatClient _inner = new();
    private readonly CapturingLedger _ledger = new();
    private readonly PricingCatalog _catalog = PricingCatalog.Create(new PricingOptions());
    private readonly Meter _meter = new("test." + Guid.NewGuid().ToString("N"));

    public void Dispose() => _meter.Dispose();

    private CostTrackingChatClient Create(CostTrackingOptions? options = null) =>
        new(_inner, new CostTracker(_ledger, _catalog), _meter, options, null, _catalog, timeProvider: _time);

    private static ChatMessage[] Prompt() => [new(ChatRole.User, "Hello")];

    private async Task<(LlmUsage? Usage, decimal? Total, List<(string Type, long Value)> Tokens)> Run(CancellationToken ct = default)
    {
        using var tokens = new Collector<long>(_meter, "gen_ai.client.token.usage");
        using var client = Create();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt(), null, ct))
        {
        }

        CostRecord? r = _ledger.Records.SingleOrDefault();
        return (r?.Usage, r?.Total, [.. tokens.GetMeasurementSnapshot().Select(m => ((string)m.Tags["gen_ai.token.type"]!, m.Value))]);
    }

    private static ChatResponseUpdate U(UsageDetails d) => new() { Contents = [new UsageContent(d)] };

    [Fact]
    public async Task GetStreamingResponseAsync_UsageInLastUpdateOnly_RecordsItAndTokenHistogram()
    {
        _inner.Updates.AddRange([FakeChatClient.Text("a"), FakeChatClient.Text("b"), FakeChatClient.Usage(1000, 500, 1500)]);
        var (u, total, tokens) = await Run();
        Assert.Equal((1000, 500), (u!.InputTokens, u.OutputTokens));
        Assert.Equal(0.06m, total);
        Assert.Equal([("input", 1000L), ("output", 500L)], tokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RunningTotalsWithCachedInput_TakesLast()
    {
        _inner.Updates.AddRange([
            U(new() { InputTokenCount = 1000, CachedInputTokenCount = 200, OutputTokenCount = 1, TotalTokenCount = 1001 }),
            FakeChatClient.Text("a"),
            U(new() { InputTokenCount = 1000, CachedInputTokenCount = 200, OutputTokenCount = 300, TotalTokenCount = 1300 }),
            U(new() { InputTokenCount = 1000, CachedInputTokenCount = 200, OutputTokenCount = 500, TotalTokenCount = 1500 })]);
        var (u, _, tokens) = await Run();
        Assert.Equal((1000, 200, 500), (u!.InputTokens, u.CachedReadTokens, u.OutputTokens));
        Assert.Equal([("input", 1000L), ("output", 500L)], tokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RunningTotalsLaterLeavingOutTotal_NotCountedTwice()
    {
        // Running totals where the last item leaves out the total it sent before.
        _inner.Updates.AddRange([
            U(new() { InputTokenCount = 1000, OutputTokenCount = 1, TotalTokenCount = 1001 }),
            U(new() { InputTokenCount = 1000, OutputTokenCount = 500 })]);
        var (u, _, _) = await Run();
        Assert.Equal((1000, 500), (u!.InputTokens, u.OutputTokens));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PerChunkOutputDeltas_SumsThem()
    {
        _inner.Updates.AddRange([
            U(new() { InputTokenCount = 1000, OutputTokenCount = 0 }),
            U(new() { OutputTokenCount = 100 }),
            U(new() { OutputTokenCount = 100 }),
            U(new() { OutputTokenCount = 300 })]);
        var (u, _, tokens) = await Run();
        Assert.Equal((1000, 500), (u!.InputTokens, u.OutputTokens));
        Assert.Equal([("input", 1000L), ("output", 500L)], tokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OnlyTotalTokenCount_RecordsItAsInput()
    {
        _inner.Updates.AddRange([FakeChatClient.Text("a"), U(new() { TotalTokenCount = 1500 })]);
        var (u, total, tokens) = await Run();
        Assert.Equal((1500, 0), (u!.InputTokens, u.OutputTokens));
        Assert.Equal(0.045m, total);
        Assert.Equal([("input", 1500L), ("output", 0L)], tokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ExceptionAfterUsage_RethrowsAndRecordsUsageSeen()
    {
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 0), FakeChatClient.Text("a")]);
        _inner.Throw = new HttpRequestException("reset");
        await Assert.ThrowsAsync<HttpRequestException>(() => Run());
        Assert.Equal((1000, 0), (_ledger.Records.Single().Usage.InputTokens, _ledger.Records.Single().Usage.OutputTokens));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledMidStream_ThrowsAndRecordsUsageSeen()
    {
        using var cts = new CancellationTokenSource();
        using var client = Create();
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 0), FakeChatClient.Text("a"), FakeChatClient.Text("b"), FakeChatClient.Usage(null, 500)]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt(), null, cts.Token))
            {
                if (update.Text == "a")
                {
                    cts.Cancel();
                }
            }
        });
        LlmUsage u = _ledger.Records.Single().Usage;
        Assert.Equal((1000, 0), (u.InputTokens, u.OutputTokens));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConsumerBreaksAfterUsage_RecordsUsageSeenOnce()
    {
        using var client = Create();
        _inner.Updates.AddRange([FakeChatClient.Usage(1000, 0), FakeChatClient.Text("a"), FakeChatClient.Text("b"), FakeChatClient.Usage(null, 500)]);
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt()))
        {
            if (update.Text == "a")
            {
                break;
            }
        }

        LlmUsage u = _ledger.Records.Single().Usage;
        Assert.Equal((1000, 0), (u.InputTokens, u.OutputTokens));
    }
}
