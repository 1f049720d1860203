using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI.Tests;

/// <summary>An inner chat client that returns a canned response or stream, and reports provider metadata.</summary>
internal sealed class FakeChatClient : IChatClient
{
    public ChatResponse Response { get; set; } = new(new ChatMessage(ChatRole.Assistant, "hi"));

    public List<ChatResponseUpdate> Updates { get; } = [];

    public Exception? Throw { get; set; }

    public int Calls { get; private set; }

    public Action? OnCall { get; set; }

    public ChatClientMetadata Metadata { get; set; } = new("openai", null, "gpt-4");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        OnCall?.Invoke();
        return Throw is null ? Task.FromResult(Response) : Task.FromException<ChatResponse>(Throw);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls++;
        foreach (ChatResponseUpdate update in Updates)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();   // as a real provider's stream does
            yield return update;
        }

        if (Throw is not null)
        {
            throw Throw;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata : null;

    public void Dispose()
    {
    }

    public static ChatResponseUpdate Usage(long? input, long? output, long? total = null) =>
        new() { Contents = [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total })] };

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { ModelId = "gpt-4-0613" };
}

/// <summary>A ledger that keeps what was appended, or throws when asked to.</summary>
internal sealed class CapturingLedger : ICostLedger
{
    private readonly InMemoryCostLedger _inner = new();

    public List<CostRecord> Records { get; } = [];

    public bool Fail { get; set; }

    public async Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new InvalidOperationException("ledger down");
        }

        CostRecord record = await _inner.AppendAsync(usage, cost, cancellationToken);
        Records.Add(record);
        return record;
    }

    public Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default) => _inner.GetTotalAsync(query, cancellationToken);

    public Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default) => _inner.ListAsync(query, cancellationToken);
}
