using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Musubi.Monitoring.Sample;

/// <summary>One scripted answer of the <see cref="FakeLlmGateway"/>: the reply text and the usage it reports.</summary>
/// <param name="ResponseModel">The model the "provider" says answered (a dated name, as real APIs return).</param>
/// <param name="Reply">The reply text.</param>
/// <param name="Usage">The usage reported, or <see langword="null"/> for a provider that reports none.</param>
internal sealed record ScriptedReply(string ResponseModel, string Reply, UsageDetails? Usage);

/// <summary>
/// A FAKE chat provider for the sample — no network, no API key, no real model. It stands for an LLM gateway that
/// routes to several vendors, and answers each call with the next <see cref="ScriptedReply"/> queued by the cost
/// scenario, reporting the usage a real provider would (OpenAI's cached input, Anthropic's cache writes, Gemini's long
/// context). Streamed calls yield the reply word by word and, like OpenAI with <c>include_usage</c>, the usage last.
/// </summary>
internal sealed class FakeLlmGateway : IChatClient
{
    /// <summary>The provider name recorded with every call.</summary>
    public const string ProviderName = "fake-gateway";

    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly ChatClientMetadata _metadata = new(ProviderName, new Uri("https://fake-gateway.invalid/"), "gpt-4o-mini");

    /// <summary>Queues the answer to the next call.</summary>
    public void Enqueue(ScriptedReply reply) => _script.Enqueue(reply);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ScriptedReply reply = Next();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.Reply))
        {
            ModelId = reply.ResponseModel,
            Usage = reply.Usage,
            FinishReason = ChatFinishReason.Stop,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ScriptedReply reply = Next();
        string[] words = reply.Reply.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]) { ModelId = reply.ResponseModel };
        }

        if (reply.Usage is not null)
        {
            yield return new ChatResponseUpdate { ModelId = reply.ResponseModel, Contents = [new UsageContent(reply.Usage)], FinishReason = ChatFinishReason.Stop };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private ScriptedReply Next() =>
        _script.TryDequeue(out ScriptedReply? reply) ? reply : throw new InvalidOperationException("The fake gateway was called more often than the scenario scripted.");
}
