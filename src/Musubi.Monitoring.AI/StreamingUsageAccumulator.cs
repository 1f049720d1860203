using Microsoft.Extensions.AI;

namespace Musubi.Monitoring.AI;

/// <summary>Combines the usage items of one stream as <see cref="StreamingUsageMode"/> describes. Not thread-safe.</summary>
/// <remarks>
/// Running totals are combined count by count: each count takes the latest value reported, so a count that only an
/// earlier item reported (the input in Anthropic's <c>message_start</c>, a total sent once) is kept, not lost. In
/// <see cref="StreamingUsageMode.Auto"/> a missing input, output, cached or reasoning count reads as zero (a delta
/// stream reports the input once), but a missing <see cref="UsageDetails.TotalTokenCount"/> is not compared: it is a
/// derived figure that providers send in some items only, and reading it as zero made running totals look like deltas
/// and counted them twice.
/// </remarks>
internal sealed class StreamingUsageAccumulator(StreamingUsageMode mode)
{
    private UsageDetails? _sum;
    private UsageDetails? _latest;
    private bool _monotone = true;

    public bool HasUsage => _latest is not null;

    public void Add(UsageDetails details)
    {
        if (_latest is not null && !IsAtLeast(details, _latest))
        {
            _monotone = false;
        }

        _sum ??= new UsageDetails();
        _sum.Add(details);
        _latest = Overlay(_latest, details);
    }

    public UsageDetails? Result => mode switch
    {
        StreamingUsageMode.Deltas => _sum,
        StreamingUsageMode.RunningTotals => _latest,
        _ => _monotone ? _latest : _sum,
    };

    private static bool IsAtLeast(UsageDetails later, UsageDetails earlier) =>
        (later.InputTokenCount ?? 0) >= (earlier.InputTokenCount ?? 0)
        && (later.OutputTokenCount ?? 0) >= (earlier.OutputTokenCount ?? 0)
        && (later.TotalTokenCount is null || earlier.TotalTokenCount is null || later.TotalTokenCount >= earlier.TotalTokenCount)
        && (later.CachedInputTokenCount ?? 0) >= (earlier.CachedInputTokenCount ?? 0)
        && (later.ReasoningTokenCount ?? 0) >= (earlier.ReasoningTokenCount ?? 0);

    /// <summary>The latest running totals: every count <paramref name="details"/> reports, the earlier value of the others.</summary>
    private static UsageDetails Overlay(UsageDetails? latest, UsageDetails details)
    {
        var next = new UsageDetails
        {
            InputTokenCount = details.InputTokenCount ?? latest?.InputTokenCount,
            OutputTokenCount = details.OutputTokenCount ?? latest?.OutputTokenCount,
            TotalTokenCount = details.TotalTokenCount ?? latest?.TotalTokenCount,
            CachedInputTokenCount = details.CachedInputTokenCount ?? latest?.CachedInputTokenCount,
            ReasoningTokenCount = details.ReasoningTokenCount ?? latest?.ReasoningTokenCount,
        };
        if (latest?.AdditionalCounts is { Count: > 0 } earlier)
        {
            next.AdditionalCounts = new AdditionalPropertiesDictionary<long>(earlier);
        }

        if (details.AdditionalCounts is { Count: > 0 } reported)
        {
            next.AdditionalCounts ??= [];
            foreach (KeyValuePair<string, long> count in reported)
            {
                next.AdditionalCounts[count.Key] = count.Value;
            }
        }

        return next;
    }
}
