using Microsoft.Extensions.AI;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI;

/// <summary>Options for the cost-tracking chat client added by <c>ChatClientBuilder.UseMusubiCostTracking</c>.</summary>
/// <remarks>The options are copied when the client is built; changing them later has no effect on that client.</remarks>
public sealed class CostTrackingOptions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key read as <see cref="UsageAttribution.User"/>.</summary>
    public const string UserKey = "musubi.user";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key read as <see cref="UsageAttribution.Feature"/>.</summary>
    public const string FeatureKey = "musubi.feature";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key read as <see cref="UsageAttribution.Tenant"/>.</summary>
    public const string TenantKey = "musubi.tenant";

    /// <summary>The <see cref="UsageAttribution.Tags"/> key set to <c>true</c> when the token counts were estimated.</summary>
    public const string EstimatedTag = "musubi.usage.estimated";

    /// <summary>
    /// The <see cref="UsageDetails.AdditionalCounts"/> keys read, first match wins, as the prompt-cache writes of a call
    /// (all of them, 5-minute and 1-hour together): Anthropic's wire name <c>cache_creation_input_tokens</c> and its
    /// .NET spelling <c>CacheCreationInputTokens</c>. Like cached reads they are taken to be part of
    /// <see cref="UsageDetails.InputTokenCount"/> (Microsoft.Extensions.AI's convention: input counts every prompt token),
    /// and are clamped to the input that is not a cached read.
    /// </summary>
    internal static IReadOnlyList<string> CacheWriteCountKeys { get; } = ["cache_creation_input_tokens", "CacheCreationInputTokens"];

    /// <summary>
    /// The <see cref="UsageDetails.AdditionalCounts"/> keys read as the part of the cache writes that lives one hour
    /// (Anthropic's <c>cache_creation.ephemeral_1h_input_tokens</c>); the rest of <see cref="CacheWriteCountKeys"/> is
    /// priced as 5-minute writes.
    /// </summary>
    internal static IReadOnlyList<string> CacheWrite1HourCountKeys { get; } = ["ephemeral_1h_input_tokens", "Ephemeral1hInputTokens"];

    /// <summary>How the usage items of a streamed response are combined.</summary>
    /// <value>The default is <see cref="StreamingUsageMode.Auto"/>.</value>
    public StreamingUsageMode StreamingUsageMode { get; set; } = StreamingUsageMode.Auto;

    /// <summary>
    /// Whether a response that carries no usage is recorded with estimated token counts and <see cref="EstimatedTag"/>
    /// set; when <see langword="false"/> it is not recorded.
    /// </summary>
    /// <remarks>
    /// The estimate counts the text of every request message (input) and of the response (output) with the model's
    /// tiktoken encoding from Microsoft.ML.Tokenizers: the encoding the library maps the response model (else the
    /// request model) to, such as <c>o200k_base</c> for <c>gpt-4o</c> and <c>cl100k_base</c> for <c>gpt-4</c>. Any
    /// other model (Claude, Gemini, a fine-tune or deployment name the library does not know) is counted with
    /// <c>o200k_base</c>, which is an approximation of that vendor's tokenizer. Chat-template framing tokens are not
    /// added. Tokenizers are created once per process and cached; the first estimate loads the vocabulary (a few
    /// hundred milliseconds).
    /// </remarks>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EstimateMissingUsage { get; set; } = true;

    /// <summary>
    /// The provider name recorded in <see cref="LlmUsage.Provider"/>, or <see langword="null"/> to use
    /// <see cref="ChatClientMetadata.ProviderName"/> of the inner client (and <c>unknown</c> when that is missing too).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ProviderName { get; set; }

    /// <summary>
    /// Computes the attribution of a call from its messages and options, or <see langword="null"/> to read the
    /// <see cref="UserKey"/>, <see cref="FeatureKey"/> and <see cref="TenantKey"/> string values of
    /// <see cref="ChatOptions.AdditionalProperties"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, UsageAttribution?>? AttributionSelector { get; set; }
}
