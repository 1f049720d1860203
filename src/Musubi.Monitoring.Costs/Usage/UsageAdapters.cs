using System.Text.Json;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Normalises the OpenAI, Anthropic and Gemini usage shapes to <see cref="LlmUsage"/>, where input counts every
/// prompt token (cached or not) and output counts every generated token (reasoning or not).
/// </summary>
/// <remarks>Stateless and safe to call from any thread.</remarks>
public static class UsageAdapters
{
    /// <summary>The provider name the OpenAI adapter sets.</summary>
    public const string OpenAIProvider = "openai";

    /// <summary>The provider name the Anthropic adapter sets.</summary>
    public const string AnthropicProvider = "anthropic";

    /// <summary>The provider name the Gemini adapter sets.</summary>
    public const string GeminiProvider = "gemini";

    /// <summary>
    /// From OpenAI's usage fields. <c>prompt_tokens</c> already includes <c>prompt_tokens_details.cached_tokens</c>
    /// and <c>completion_tokens</c> already includes <c>completion_tokens_details.reasoning_tokens</c>, so they map
    /// one to one: input = <paramref name="promptTokens"/>, cached read = <paramref name="cachedTokens"/>,
    /// output = <paramref name="completionTokens"/>, reasoning = <paramref name="reasoningTokens"/>.
    /// </summary>
    /// <param name="model">The model (or deployment) name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="promptTokens"><c>prompt_tokens</c> (Responses API: <c>input_tokens</c>).</param>
    /// <param name="completionTokens"><c>completion_tokens</c> (Responses API: <c>output_tokens</c>).</param>
    /// <param name="cachedTokens"><c>prompt_tokens_details.cached_tokens</c>.</param>
    /// <param name="reasoningTokens"><c>completion_tokens_details.reasoning_tokens</c>.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the counts are inconsistent (see <see cref="LlmUsage(string, string, DateTimeOffset, long, long, long, long, long, long)"/>).</exception>
    public static LlmUsage FromOpenAI(
        string model, DateTimeOffset timestamp, long promptTokens, long completionTokens, long cachedTokens = 0, long reasoningTokens = 0) =>
        new(OpenAIProvider, model, timestamp, promptTokens, completionTokens, cachedReadTokens: cachedTokens, reasoningTokens: reasoningTokens);

    /// <summary>
    /// From an OpenAI <c>usage</c> JSON object, Chat Completions (<c>prompt_tokens</c>, <c>completion_tokens</c>,
    /// <c>prompt_tokens_details.cached_tokens</c>, <c>completion_tokens_details.reasoning_tokens</c>) or Responses
    /// (<c>input_tokens</c>, <c>output_tokens</c>, <c>input_tokens_details.cached_tokens</c>,
    /// <c>output_tokens_details.reasoning_tokens</c>). Missing fields count as 0. Mapping as in
    /// <see cref="FromOpenAI(string, DateTimeOffset, long, long, long, long)"/>.
    /// </summary>
    /// <param name="model">The model (or deployment) name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="usage">The <c>usage</c> object.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="FormatException"><paramref name="usage"/> is not an object, or a count is not a whole number; the message names the field and its text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the counts are inconsistent.</exception>
    public static LlmUsage FromOpenAI(string model, DateTimeOffset timestamp, JsonElement usage)
    {
        RequireObject(usage, "OpenAI usage");
        bool chat = usage.TryGetProperty("prompt_tokens", out _) || usage.TryGetProperty("completion_tokens", out _);
        return chat
            ? FromOpenAI(
                model,
                timestamp,
                Count(usage, "prompt_tokens"),
                Count(usage, "completion_tokens"),
                Count(usage, "prompt_tokens_details", "cached_tokens"),
                Count(usage, "completion_tokens_details", "reasoning_tokens"))
            : FromOpenAI(
                model,
                timestamp,
                Count(usage, "input_tokens"),
                Count(usage, "output_tokens"),
                Count(usage, "input_tokens_details", "cached_tokens"),
                Count(usage, "output_tokens_details", "reasoning_tokens"));
    }

    /// <summary>
    /// From Anthropic's usage fields. Anthropic's <c>input_tokens</c> excludes <c>cache_creation_input_tokens</c>
    /// and <c>cache_read_input_tokens</c>, so input = <paramref name="inputTokens"/> +
    /// <paramref name="cacheCreationInputTokens"/> + <paramref name="cacheReadInputTokens"/>; cached read =
    /// <paramref name="cacheReadInputTokens"/>; 1-hour cache write = <paramref name="cacheCreation1HourInputTokens"/>
    /// (<c>cache_creation.ephemeral_1h_input_tokens</c>) and 5-minute cache write = the rest of
    /// <paramref name="cacheCreationInputTokens"/>; output = <paramref name="outputTokens"/> (which includes any
    /// extended-thinking tokens; Anthropic does not report them apart, so reasoning = 0).
    /// </summary>
    /// <param name="model">The model name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="inputTokens"><c>input_tokens</c> (uncached prompt tokens only).</param>
    /// <param name="outputTokens"><c>output_tokens</c>.</param>
    /// <param name="cacheCreationInputTokens"><c>cache_creation_input_tokens</c> (all cache writes).</param>
    /// <param name="cacheReadInputTokens"><c>cache_read_input_tokens</c>.</param>
    /// <param name="cacheCreation1HourInputTokens">The 1-hour part of the cache writes, <c>cache_creation.ephemeral_1h_input_tokens</c>.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A count is negative, or <paramref name="cacheCreation1HourInputTokens"/> exceeds <paramref name="cacheCreationInputTokens"/>.
    /// </exception>
    /// <exception cref="OverflowException">The three input counts together exceed <see cref="long.MaxValue"/>.</exception>
    public static LlmUsage FromAnthropic(
        string model,
        DateTimeOffset timestamp,
        long inputTokens,
        long outputTokens,
        long cacheCreationInputTokens = 0,
        long cacheReadInputTokens = 0,
        long cacheCreation1HourInputTokens = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCreationInputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheReadInputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCreation1HourInputTokens);
        if (cacheCreation1HourInputTokens > cacheCreationInputTokens)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cacheCreation1HourInputTokens),
                cacheCreation1HourInputTokens,
                $"cacheCreation1HourInputTokens ({cacheCreation1HourInputTokens}) exceeds cacheCreationInputTokens ({cacheCreationInputTokens}); the 1-hour writes are part of all cache writes.");
        }

        return new LlmUsage(
            AnthropicProvider,
            model,
            timestamp,
            checked(inputTokens + cacheCreationInputTokens + cacheReadInputTokens),
            outputTokens,
            cachedReadTokens: cacheReadInputTokens,
            cacheWrite5MinuteTokens: cacheCreationInputTokens - cacheCreation1HourInputTokens,
            cacheWrite1HourTokens: cacheCreation1HourInputTokens);
    }

    /// <summary>
    /// From an Anthropic <c>usage</c> JSON object (<c>input_tokens</c>, <c>output_tokens</c>,
    /// <c>cache_creation_input_tokens</c>, <c>cache_read_input_tokens</c>, and optionally
    /// <c>cache_creation.ephemeral_5m_input_tokens</c> / <c>ephemeral_1h_input_tokens</c>). Missing fields count as
    /// 0. When the <c>cache_creation</c> split is present the 1-hour writes are <c>ephemeral_1h_input_tokens</c>;
    /// without it every cache write is a 5-minute write (Anthropic's default). Mapping as in
    /// <see cref="FromAnthropic(string, DateTimeOffset, long, long, long, long, long)"/>.
    /// </summary>
    /// <param name="model">The model name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="usage">The <c>usage</c> object.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="FormatException"><paramref name="usage"/> is not an object, or a count is not a whole number; the message names the field and its text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the counts are inconsistent.</exception>
    /// <exception cref="OverflowException">A sum of counts exceeds <see cref="long.MaxValue"/>.</exception>
    public static LlmUsage FromAnthropic(string model, DateTimeOffset timestamp, JsonElement usage)
    {
        RequireObject(usage, "Anthropic usage");
        long creation = Count(usage, "cache_creation_input_tokens");
        long oneHour = Count(usage, "cache_creation", "ephemeral_1h_input_tokens");
        if (!usage.TryGetProperty("cache_creation_input_tokens", out _))
        {
            // Only the split was sent: the writes are its two parts.
            creation = checked(Count(usage, "cache_creation", "ephemeral_5m_input_tokens") + oneHour);
        }

        return FromAnthropic(
            model,
            timestamp,
            Count(usage, "input_tokens"),
            Count(usage, "output_tokens"),
            creation,
            Count(usage, "cache_read_input_tokens"),
            oneHour);
    }

    /// <summary>
    /// From Gemini's <c>usageMetadata</c> fields: input = <paramref name="promptTokenCount"/> +
    /// <paramref name="toolUsePromptTokenCount"/>; cached read = <paramref name="cachedContentTokenCount"/> (already
    /// part of <c>promptTokenCount</c>); output = <paramref name="candidatesTokenCount"/> +
    /// <paramref name="thoughtsTokenCount"/>; reasoning = <paramref name="thoughtsTokenCount"/>.
    /// </summary>
    /// <param name="model">The model name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="promptTokenCount"><c>promptTokenCount</c>.</param>
    /// <param name="candidatesTokenCount"><c>candidatesTokenCount</c>.</param>
    /// <param name="thoughtsTokenCount"><c>thoughtsTokenCount</c>.</param>
    /// <param name="toolUsePromptTokenCount"><c>toolUsePromptTokenCount</c>.</param>
    /// <param name="cachedContentTokenCount"><c>cachedContentTokenCount</c>.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the counts are inconsistent.</exception>
    /// <exception cref="OverflowException">A sum of two counts exceeds <see cref="long.MaxValue"/>.</exception>
    public static LlmUsage FromGemini(
        string model,
        DateTimeOffset timestamp,
        long promptTokenCount,
        long candidatesTokenCount,
        long thoughtsTokenCount = 0,
        long toolUsePromptTokenCount = 0,
        long cachedContentTokenCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokenCount);
        ArgumentOutOfRangeException.ThrowIfNegative(candidatesTokenCount);
        ArgumentOutOfRangeException.ThrowIfNegative(thoughtsTokenCount);
        ArgumentOutOfRangeException.ThrowIfNegative(toolUsePromptTokenCount);
        return new LlmUsage(
            GeminiProvider,
            model,
            timestamp,
            checked(promptTokenCount + toolUsePromptTokenCount),
            checked(candidatesTokenCount + thoughtsTokenCount),
            cachedReadTokens: cachedContentTokenCount,
            reasoningTokens: thoughtsTokenCount);
    }

    /// <summary>
    /// From a Gemini <c>usageMetadata</c> JSON object (<c>promptTokenCount</c>, <c>candidatesTokenCount</c>,
    /// <c>thoughtsTokenCount</c>, <c>toolUsePromptTokenCount</c>, <c>cachedContentTokenCount</c>). Missing fields
    /// count as 0. Mapping as in <see cref="FromGemini(string, DateTimeOffset, long, long, long, long, long)"/>.
    /// </summary>
    /// <param name="model">The model name of the request.</param>
    /// <param name="timestamp">When the call was made.</param>
    /// <param name="usageMetadata">The <c>usageMetadata</c> object.</param>
    /// <returns>The normalised usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or white space.</exception>
    /// <exception cref="FormatException"><paramref name="usageMetadata"/> is not an object, or a count is not a whole number; the message names the field and its text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the counts are inconsistent.</exception>
    /// <exception cref="OverflowException">A sum of two counts exceeds <see cref="long.MaxValue"/>.</exception>
    public static LlmUsage FromGemini(string model, DateTimeOffset timestamp, JsonElement usageMetadata)
    {
        RequireObject(usageMetadata, "Gemini usageMetadata");
        return FromGemini(
            model,
            timestamp,
            Count(usageMetadata, "promptTokenCount"),
            Count(usageMetadata, "candidatesTokenCount"),
            Count(usageMetadata, "thoughtsTokenCount"),
            Count(usageMetadata, "toolUsePromptTokenCount"),
            Count(usageMetadata, "cachedContentTokenCount"));
    }

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The {what} must be a JSON object, but it is a JSON {element.ValueKind}.");
        }
    }

    private static long Count(JsonElement usage, string name)
    {
        if (!usage.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long count))
        {
            throw new FormatException($"Usage field '{name}' must be a whole number, but it is {value.GetRawText()}.");
        }

        return count;
    }

    private static long Count(JsonElement usage, string parent, string name)
    {
        if (!usage.TryGetProperty(parent, out JsonElement details) || details.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (details.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Usage field '{parent}' must be a JSON object, but it is {details.GetRawText()}.");
        }

        return Count(details, name);
    }
}
