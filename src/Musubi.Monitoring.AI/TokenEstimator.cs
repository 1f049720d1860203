using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Musubi.Monitoring.AI;

/// <summary>
/// Counts tokens for calls whose response reports no usage, with the tiktoken encoding of the model
/// (Microsoft.ML.Tokenizers): <see cref="TiktokenTokenizer.CreateForModel(string, IReadOnlyDictionary{string, int}?, Normalizer?)"/>
/// where the library knows the model (OpenAI's: <c>gpt-4o*</c>, <c>gpt-4.1*</c>, <c>o1</c>/<c>o3</c> → <c>o200k_base</c>,
/// <c>gpt-4</c>, <c>gpt-3.5-turbo</c> → <c>cl100k_base</c>), and <c>o200k_base</c> for every other model. For other
/// vendors' models (Claude, Gemini, Llama…) that count is an approximation: their tokenizers are not public or not tiktoken.
/// </summary>
/// <remarks>
/// Thread-safe. A tokenizer loads a vocabulary of 100,000–200,000 entries, so tokenizers are created once and kept:
/// <c>o200k_base</c> lazily on first use, and one per model name, up to <see cref="MaxCachedModels"/> names (past
/// that, a known model is created again on each call; an unknown one still gets the shared <c>o200k_base</c>).
/// The counts are of the message text only: a chat template's per-message framing tokens are not added.
/// </remarks>
internal static class TokenEstimator
{
    /// <summary>The encoding used when the model is not one the tokenizer library knows.</summary>
    public const string FallbackEncoding = "o200k_base";

    /// <summary>How many model names keep their own cached tokenizer.</summary>
    public const int MaxCachedModels = 256;

    private static readonly Lazy<Tokenizer> s_fallback = new(() => TiktokenTokenizer.CreateForEncoding(FallbackEncoding), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, Tokenizer> s_byModel = new(StringComparer.Ordinal);

    /// <summary>The tokenizer for <paramref name="model"/>: its own tiktoken encoding when known, otherwise <c>o200k_base</c>.</summary>
    /// <param name="model">The model name, for example <c>gpt-4o-mini</c> or <c>claude-3-7-sonnet</c>.</param>
    /// <returns>A shared tokenizer; never <see langword="null"/>.</returns>
    public static Tokenizer For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (s_byModel.TryGetValue(model, out Tokenizer? cached))
        {
            return cached;
        }

        Tokenizer tokenizer = Create(model);
        if (s_byModel.Count < MaxCachedModels)
        {
            tokenizer = s_byModel.GetOrAdd(model, tokenizer);
        }

        return tokenizer;
    }

    /// <summary>Counts the tokens of the text of every message.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="messages">The messages.</param>
    /// <returns>The sum of the token counts of each message's <see cref="ChatMessage.Text"/>.</returns>
    public static long Count(Tokenizer tokenizer, IEnumerable<ChatMessage> messages)
    {
        long tokens = 0;
        foreach (ChatMessage message in messages)
        {
            tokens += Count(tokenizer, message.Text);
        }

        return tokens;
    }

    /// <summary>Counts the tokens of <paramref name="text"/>.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="text">The text; empty counts 0.</param>
    /// <returns>The token count.</returns>
    public static long Count(Tokenizer tokenizer, string text) =>
        string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private static Tokenizer Create(string model)
    {
        try
        {
            return TiktokenTokenizer.CreateForModel(model);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
        {
            // Not an OpenAI model the library maps to an encoding: approximate with the newest OpenAI encoding.
            return s_fallback.Value;
        }
    }
}
