namespace Musubi.Monitoring.Costs;

/// <summary>
/// The token usage of one model call, normalised across providers: <see cref="InputTokens"/> counts every
/// prompt token including cached reads and cache writes, and <see cref="OutputTokens"/> counts every generated
/// token including reasoning. Use <see cref="UsageAdapters"/> to build one from a provider's usage object.
/// </summary>
/// <remarks>
/// Immutable and safe to share between threads. The token counts are validated once, in the constructor, and
/// cannot be changed with a <see langword="with"/> expression; the descriptive properties can.
/// </remarks>
public sealed record LlmUsage
{
    /// <summary>Creates a usage record and checks that the counts are consistent.</summary>
    /// <param name="provider">The provider, for example <c>openai</c>, <c>anthropic</c> or <c>gemini</c>.</param>
    /// <param name="requestModel">The model name sent in the request (or the deployment name).</param>
    /// <param name="timestamp">When the call was made; selects the price in effect.</param>
    /// <param name="inputTokens">All prompt tokens, including <paramref name="cachedReadTokens"/> and the cache writes.</param>
    /// <param name="outputTokens">All generated tokens, including <paramref name="reasoningTokens"/>.</param>
    /// <param name="cachedReadTokens">Prompt tokens read from the provider's prompt cache.</param>
    /// <param name="cacheWrite5MinuteTokens">Prompt tokens written to a cache that lives 5 minutes.</param>
    /// <param name="cacheWrite1HourTokens">Prompt tokens written to a cache that lives 1 hour.</param>
    /// <param name="reasoningTokens">Generated tokens spent on reasoning (thinking).</param>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> or <paramref name="requestModel"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="provider"/> or <paramref name="requestModel"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A count is negative; the cached reads and cache writes together exceed <paramref name="inputTokens"/>; or
    /// <paramref name="reasoningTokens"/> exceeds <paramref name="outputTokens"/>. The message names the field and the value.
    /// </exception>
    public LlmUsage(
        string provider,
        string requestModel,
        DateTimeOffset timestamp,
        long inputTokens,
        long outputTokens,
        long cachedReadTokens = 0,
        long cacheWrite5MinuteTokens = 0,
        long cacheWrite1HourTokens = 0,
        long reasoningTokens = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestModel);
        NotNegative(inputTokens, nameof(inputTokens));
        NotNegative(outputTokens, nameof(outputTokens));
        NotNegative(cachedReadTokens, nameof(cachedReadTokens));
        NotNegative(cacheWrite5MinuteTokens, nameof(cacheWrite5MinuteTokens));
        NotNegative(cacheWrite1HourTokens, nameof(cacheWrite1HourTokens));
        NotNegative(reasoningTokens, nameof(reasoningTokens));

        // decimal so that three values near long.MaxValue cannot overflow into a false "fits".
        decimal cached = (decimal)cachedReadTokens + cacheWrite5MinuteTokens + cacheWrite1HourTokens;
        if (cached > inputTokens)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cachedReadTokens),
                cached,
                $"cachedReadTokens ({cachedReadTokens}) + cacheWrite5MinuteTokens ({cacheWrite5MinuteTokens}) + cacheWrite1HourTokens ({cacheWrite1HourTokens}) = {cached} exceeds inputTokens ({inputTokens}); inputTokens must include cached and cache-written tokens.");
        }

        if (reasoningTokens > outputTokens)
        {
            throw new ArgumentOutOfRangeException(
                nameof(reasoningTokens),
                reasoningTokens,
                $"reasoningTokens ({reasoningTokens}) exceeds outputTokens ({outputTokens}); outputTokens must include reasoning tokens.");
        }

        Provider = provider;
        RequestModel = requestModel;
        Timestamp = timestamp;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        CachedReadTokens = cachedReadTokens;
        CacheWrite5MinuteTokens = cacheWrite5MinuteTokens;
        CacheWrite1HourTokens = cacheWrite1HourTokens;
        ReasoningTokens = reasoningTokens;
    }

    /// <summary>The provider, for example <c>openai</c>, <c>anthropic</c> or <c>gemini</c>.</summary>
    public string Provider { get; }

    /// <summary>The model name sent in the request (or the deployment name).</summary>
    public string RequestModel { get; }

    /// <summary>The model name the provider reported in its response, or <see langword="null"/>.</summary>
    public string? ResponseModel { get; init; }

    /// <summary>
    /// The base model a deployment runs (for example the model behind an Azure OpenAI deployment); when set it is
    /// used for pricing instead of the request model.
    /// </summary>
    public string? BaseModel { get; init; }

    /// <summary>The operation, for example <c>chat</c> or <c>embeddings</c>.</summary>
    /// <value>The default is <c>chat</c>.</value>
    public string Operation { get; init; } = "chat";

    /// <summary>When the call was made; selects the price in effect.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>All prompt tokens, including <see cref="CachedReadTokens"/> and the cache writes.</summary>
    public long InputTokens { get; }

    /// <summary>Prompt tokens read from the provider's prompt cache (part of <see cref="InputTokens"/>).</summary>
    public long CachedReadTokens { get; }

    /// <summary>Prompt tokens written to a 5-minute cache (part of <see cref="InputTokens"/>).</summary>
    public long CacheWrite5MinuteTokens { get; }

    /// <summary>Prompt tokens written to a 1-hour cache (part of <see cref="InputTokens"/>).</summary>
    public long CacheWrite1HourTokens { get; }

    /// <summary>All generated tokens, including <see cref="ReasoningTokens"/>.</summary>
    public long OutputTokens { get; }

    /// <summary>Generated tokens spent on reasoning (part of <see cref="OutputTokens"/>).</summary>
    public long ReasoningTokens { get; }

    /// <summary>Who and what the call is charged to, or <see langword="null"/>.</summary>
    public UsageAttribution? Attribution { get; init; }

    private static void NotNegative(long value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; token counts must be zero or more.");
        }
    }
}
