using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.Tokenizers;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI;

/// <summary>
/// A chat client that times every call, records its token usage and cost through a <see cref="CostTracker"/>, emits the
/// GenAI client metrics and, when a <see cref="BudgetMonitor"/> is given, refuses calls that an enforced budget does not allow.
/// </summary>
/// <remarks>
/// Thread-safe: state per call lives on the stack (or in the iterator of a stream). Recording and metric failures are
/// logged and counted, never thrown into the caller. A streamed response is recorded once, when the stream completes,
/// fails after some usage was seen, or is disposed early by the consumer (then with the usage and text seen so far).
/// </remarks>
internal sealed class CostTrackingChatClient : DelegatingChatClient
{
    private const string UnknownProvider = "unknown";
    private const string UnknownModel = "unknown";

    private readonly CostTracker _tracker;
    private readonly BudgetMonitor? _budgets;
    private readonly PricingCatalog? _catalog;
    private readonly GenAiMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly StreamingUsageMode _streamingMode;
    private readonly bool _estimateMissing;
    private readonly string? _providerName;
    private readonly Func<IEnumerable<ChatMessage>, ChatOptions?, UsageAttribution?>? _attribution;

    public CostTrackingChatClient(
        IChatClient innerClient,
        CostTracker tracker,
        System.Diagnostics.Metrics.Meter meter,
        CostTrackingOptions? options = null,
        BudgetMonitor? budgets = null,
        PricingCatalog? catalog = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(meter);
        options ??= new CostTrackingOptions();
        _tracker = tracker;
        _budgets = budgets;
        _catalog = catalog;
        _metrics = new GenAiMetrics(meter);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _streamingMode = options.StreamingUsageMode;
        _estimateMissing = options.EstimateMissingUsage;
        _providerName = options.ProviderName;
        _attribution = options.AttributionSelector;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = StartCall(messages, options);
        await CheckBudgetAsync(call, messages, options, cancellationToken).ConfigureAwait(false);

        long started = _time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _metrics.RecordDuration(_time.GetElapsedTime(started), call.Provider, call.RequestModel, null, ex.GetType().FullName);
            throw;
        }

        _metrics.RecordDuration(_time.GetElapsedTime(started), call.Provider, call.RequestModel, response.ModelId, null);
        await RecordAsync(call, messages, response.Usage, response.ModelId, response.Text).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = StartCall(messages, options);
        await CheckBudgetAsync(call, messages, options, cancellationToken).ConfigureAwait(false);

        long started = _time.GetTimestamp();
        var usage = new StreamingUsageAccumulator(_streamingMode);
        var text = new StringBuilder();
        string? responseModel = null;
        string? errorType = null;
        IAsyncEnumerator<ChatResponseUpdate> enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex)
                {
                    errorType = ex.GetType().FullName;
                    throw;
                }

                responseModel = update.ModelId ?? responseModel;
                foreach (AIContent content in update.Contents)
                {
                    switch (content)
                    {
                        case UsageContent u:
                            usage.Add(u.Details);
                            break;
                        case TextContent t:
                            text.Append(t.Text);
                            break;
                    }
                }

                yield return update;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            _metrics.RecordDuration(_time.GetElapsedTime(started), call.Provider, call.RequestModel, responseModel, errorType);

            // A failed stream is recorded only with the usage the provider reported; it is not estimated.
            if (errorType is null || usage.HasUsage)
            {
                await RecordAsync(call, messages, usage.Result, responseModel, text.ToString()).ConfigureAwait(false);
            }
        }
    }

    private CallInfo StartCall(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var metadata = InnerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        string provider = _providerName ?? metadata?.ProviderName ?? UnknownProvider;
        string model = options?.ModelId ?? metadata?.DefaultModelId ?? UnknownModel;
        UsageAttribution? attribution = _attribution is not null ? _attribution(messages, options) : ReadAttribution(options);
        return new CallInfo(provider, model, attribution, _time.GetUtcNow());
    }

    private static UsageAttribution? ReadAttribution(ChatOptions? options)
    {
        AdditionalPropertiesDictionary? properties = options?.AdditionalProperties;
        if (properties is null)
        {
            return null;
        }

        string? user = properties.TryGetValue(CostTrackingOptions.UserKey, out object? u) ? u as string : null;
        string? feature = properties.TryGetValue(CostTrackingOptions.FeatureKey, out object? f) ? f as string : null;
        string? tenant = properties.TryGetValue(CostTrackingOptions.TenantKey, out object? t) ? t as string : null;
        return user is null && feature is null && tenant is null ? null : new UsageAttribution { User = user, Feature = feature, Tenant = tenant };
    }

    private async Task CheckBudgetAsync(CallInfo call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (_budgets is null)
        {
            return;
        }

        BudgetCheck check;
        try
        {
            long promptTokens = TokenEstimator.Count(TokenEstimator.For(call.RequestModel), messages);
            var usage = new LlmUsage(call.Provider, call.RequestModel, call.Timestamp, promptTokens, options?.MaxOutputTokens ?? 0)
            {
                Attribution = call.Attribution,
            };
            decimal estimatedCost = _catalog is null ? 0m : CostCalculator.Calculate(usage, _catalog).Total ?? 0m;
            check = await _budgets.CheckAsync(usage, estimatedCost, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.BudgetCheckFailed(_logger, ex, call.Provider, call.RequestModel);
            return;
        }

        if (check.IsAllowed || check.RefusedBy is not { } status)
        {
            return;
        }

        Log.BudgetRefused(_logger, status.Budget.Name, call.Provider, call.RequestModel, check.Reason);
        string message = check.Reason ?? string.Create(
            CultureInfo.InvariantCulture,
            $"Budget '{status.Budget.Name}' refused the call: spent {status.Spent} of {status.Limit} USD, estimated cost {check.EstimatedCost} USD.");
        throw new BudgetExceededException(message, status.Budget.Name, status.Limit, status.Spent, check.EstimatedCost);
    }

    private async Task RecordAsync(CallInfo call, IEnumerable<ChatMessage> messages, UsageDetails? details, string? responseModel, string responseText)
    {
        try
        {
            bool estimated = details is null;
            LlmUsage usage;
            if (details is not null)
            {
                long input = Math.Max(0, details.InputTokenCount ?? 0);
                long output = Math.Max(0, details.OutputTokenCount ?? 0);
                if (details.InputTokenCount is null && details.OutputTokenCount is null && details.TotalTokenCount is { } total)
                {
                    // Only a total was reported: count it as input, the cheaper and more common side.
                    input = Math.Max(0, total);
                }

                long cached = Math.Clamp(details.CachedInputTokenCount ?? 0, 0, input);
                long reasoning = Math.Clamp(details.ReasoningTokenCount ?? 0, 0, output);
                (long write5Minute, long write1Hour) = CacheWrites(details, input - cached);
                usage = new LlmUsage(call.Provider, call.RequestModel, call.Timestamp, input, output, cached, write5Minute, write1Hour, reasoning)
                {
                    ResponseModel = responseModel,
                    Attribution = call.Attribution,
                };
                _metrics.RecordTokens(input, "input", call.Provider, call.RequestModel, responseModel);
                _metrics.RecordTokens(output, "output", call.Provider, call.RequestModel, responseModel);
            }
            else if (_estimateMissing)
            {
                UsageAttribution attribution = call.Attribution ?? new UsageAttribution();
                var tags = new Dictionary<string, string>(attribution.Tags, StringComparer.Ordinal) { [CostTrackingOptions.EstimatedTag] = "true" };
                Tokenizer tokenizer = TokenEstimator.For(responseModel ?? call.RequestModel);
                usage = new LlmUsage(call.Provider, call.RequestModel, call.Timestamp, TokenEstimator.Count(tokenizer, messages), TokenEstimator.Count(tokenizer, responseText))
                {
                    ResponseModel = responseModel,
                    Attribution = attribution with { Tags = tags },
                };
            }
            else
            {
                return;
            }

            CostRecord record = await _tracker.RecordAsync(usage, CancellationToken.None).ConfigureAwait(false);
            if (record.Total is { } cost)
            {
                _metrics.RecordCost(cost, call.Provider, call.RequestModel, responseModel, estimated);
            }
        }
        catch (Exception ex)
        {
            Log.RecordingFailed(_logger, ex, call.Provider, call.RequestModel);
            _metrics.RecordFailure(call.Provider, call.RequestModel);
        }
    }

    /// <summary>
    /// The prompt-cache writes a provider reported in <see cref="UsageDetails.AdditionalCounts"/> (see
    /// <see cref="CostTrackingOptions.CacheWriteCountKeys"/>), as (5-minute, 1-hour), clamped to <paramref name="room"/>.
    /// </summary>
    private static (long Write5Minute, long Write1Hour) CacheWrites(UsageDetails details, long room)
    {
        if (details.AdditionalCounts is not { Count: > 0 } counts)
        {
            return (0, 0);
        }

        long all = 0;
        foreach (string key in CostTrackingOptions.CacheWriteCountKeys)
        {
            if (counts.TryGetValue(key, out long value))
            {
                all = value;
                break;
            }
        }

        long oneHour = 0;
        foreach (string key in CostTrackingOptions.CacheWrite1HourCountKeys)
        {
            if (counts.TryGetValue(key, out long value))
            {
                oneHour = value;
                break;
            }
        }

        all = Math.Clamp(Math.Max(all, oneHour), 0, Math.Max(0, room));
        oneHour = Math.Clamp(oneHour, 0, all);
        return (all - oneHour, oneHour);
    }

    private sealed record CallInfo(string Provider, string RequestModel, UsageAttribution? Attribution, DateTimeOffset Timestamp);
}
