using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Makes unpriced usage visible where operators look: each unpriced record adds one to the counter
/// <c>musubi.llm.usage.unpriced</c> (tags <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>), and the first one
/// of each provider and model since the process started logs a warning (event 4109) with the reason.
/// </summary>
/// <remarks>Never throws: a failing logger or listener must not lose the record or fail the caller.</remarks>
internal sealed partial class UnpricedUsageAlerts
{
    public const string CounterName = "musubi.llm.usage.unpriced";

    /// <summary>Models warned about; bounded so that a flood of distinct names cannot grow it without end.</summary>
    private const int MaxWarnedModels = 10_000;

    private readonly Counter<long>? _counter;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.OrdinalIgnoreCase);

    public UnpricedUsageAlerts(Meter? meter, ILogger logger)
    {
        _counter = meter?.CreateCounter<long>(CounterName, "{record}", "Usage records with no price (recorded as unpriced, never $0).");
        _logger = logger;
    }

    public void Report(LlmUsage usage, string? reason)
    {
        try
        {
            _counter?.Add(1, new KeyValuePair<string, object?>("gen_ai.provider.name", usage.Provider), new KeyValuePair<string, object?>("gen_ai.request.model", usage.RequestModel));
            string key = usage.Provider + "/" + usage.RequestModel;
            if (_warned.Count < MaxWarnedModels && _warned.TryAdd(key, 0))
            {
                LogUnpriced(_logger, key, reason ?? "no price");
            }
        }
#pragma warning disable CA1031 // Alerting about a record must never fail the recording.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "Usage of {Model} has no price and is recorded as unpriced, never as $0: {Reason}. Add its price (CostOptions.Pricing, a LiteLLM-format file) or a pattern; the counter musubi.llm.usage.unpriced counts every such record.")]
    private static partial void LogUnpriced(ILogger logger, string model, string reason);
}
