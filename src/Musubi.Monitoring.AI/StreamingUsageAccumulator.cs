using Microsoft.Extensions.AI;

namespace Musubi.Monitoring.AI;

/// <summary>Combines the usage items of one stream as <see cref="StreamingUsageMode"/> describes. Not thread-safe.</summary>
internal sealed class StreamingUsageAccumulator(StreamingUsageMode mode)
{
    private UsageDetails? _sum;
    private UsageDetails? _last;
    private bool _monotone = true;

    public bool HasUsage => _last is not null;

    public void Add(UsageDetails details)
    {
        if (_last is not null && !IsAtLeast(details, _last))
        {
            _monotone = false;
        }

        _sum ??= new UsageDetails();
        _sum.Add(details);
        _last = Copy(details);
    }

    public UsageDetails? Result => mode switch
    {
        StreamingUsageMode.Deltas => _sum,
        StreamingUsageMode.RunningTotals => _last,
        _ => _monotone ? _last : _sum,
    };

    private static bool IsAtLeast(UsageDetails later, UsageDetails earlier) =>
        (later.InputTokenCount ?? 0) >= (earlier.InputTokenCount ?? 0)
        && (later.OutputTokenCount ?? 0) >= (earlier.OutputTokenCount ?? 0)
        && (later.TotalTokenCount ?? 0) >= (earlier.TotalTokenCount ?? 0)
        && (later.CachedInputTokenCount ?? 0) >= (earlier.CachedInputTokenCount ?? 0)
        && (later.ReasoningTokenCount ?? 0) >= (earlier.ReasoningTokenCount ?? 0);

    private static UsageDetails Copy(UsageDetails details)
    {
        var copy = new UsageDetails();
        copy.Add(details);
        return copy;
    }
}
