using System.Diagnostics.Metrics;

namespace Musubi.Monitoring.AI;

/// <summary>
/// The OpenTelemetry GenAI client instruments (semantic conventions 1.37+: the provider tag is
/// <c>gen_ai.provider.name</c>, which replaced the deprecated <c>gen_ai.system</c>) and the Musubi cost counter.
/// </summary>
internal sealed class GenAiMetrics
{
    public const string MeterName = "Musubi.Monitoring.AI";

    public const string OperationNameTag = "gen_ai.operation.name";
    public const string ProviderNameTag = "gen_ai.provider.name";
    public const string RequestModelTag = "gen_ai.request.model";
    public const string ResponseModelTag = "gen_ai.response.model";
    public const string TokenTypeTag = "gen_ai.token.type";
    public const string ErrorTypeTag = "error.type";
    public const string EstimatedTag = "musubi.usage.estimated";

    // Bucket boundaries advised by the GenAI semantic conventions.
    private static readonly double[] s_tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] s_durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _recordingFailures;

    public GenAiMetrics(Meter meter)
    {
        _tokens = meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
            tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = Array.ConvertAll(s_tokenBuckets, b => (long)b) });
        _duration = meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "GenAI operation duration.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
        _cost = meter.CreateCounter<double>("musubi.llm.cost", "USD", "Cost of LLM calls priced by the Musubi pricing catalog.");
        _recordingFailures = meter.CreateCounter<long>("musubi.llm.usage.recording_failures", "{failure}", "Usage records that could not be written.");
    }

    public void RecordTokens(long count, string tokenType, string provider, string requestModel, string? responseModel)
    {
        var tags = BaseTags(provider, requestModel, responseModel);
        tags.Add(TokenTypeTag, tokenType);
        _tokens.Record(count, tags);
    }

    public void RecordDuration(TimeSpan elapsed, string provider, string requestModel, string? responseModel, string? errorType)
    {
        var tags = BaseTags(provider, requestModel, responseModel);
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordCost(decimal cost, string provider, string requestModel, string? responseModel, bool estimated)
    {
        var tags = BaseTags(provider, requestModel, responseModel);
        tags.Add(EstimatedTag, estimated);
        _cost.Add((double)cost, tags);
    }

    public void RecordFailure(string provider, string requestModel) =>
        _recordingFailures.Add(1, new KeyValuePair<string, object?>(ProviderNameTag, provider), new KeyValuePair<string, object?>(RequestModelTag, requestModel));

    private static System.Diagnostics.TagList BaseTags(string provider, string requestModel, string? responseModel)
    {
        var tags = new System.Diagnostics.TagList
        {
            { OperationNameTag, "chat" },
            { ProviderNameTag, provider },
            { RequestModelTag, requestModel },
        };
        if (responseModel is not null)
        {
            tags.Add(ResponseModelTag, responseModel);
        }

        return tags;
    }
}
