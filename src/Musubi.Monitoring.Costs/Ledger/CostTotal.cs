namespace Musubi.Monitoring.Costs;

/// <summary>The sum of the records matching a <see cref="CostQuery"/>, computed from the records themselves.</summary>
/// <remarks>Immutable; safe to share. <see cref="Total"/> is the exact <see cref="decimal"/> sum of the priced records' totals.</remarks>
public sealed record CostTotal
{
    /// <summary>Gets the exact sum, in US dollars, of the priced records' totals (unpriced records add nothing).</summary>
    public decimal Total { get; init; }

    /// <summary>Gets how many records matched.</summary>
    public long Count { get; init; }

    /// <summary>Gets how many of the matched records were unpriced.</summary>
    public long UnpricedCount { get; init; }

    /// <summary>Gets the sum of input tokens (cached and cache-written included).</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the sum of output tokens (reasoning included).</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the sum of cache-read tokens.</summary>
    public long CachedReadTokens { get; init; }

    /// <summary>Gets the sum of cache-write tokens (5-minute and 1-hour).</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>Gets the sum of reasoning tokens.</summary>
    public long ReasoningTokens { get; init; }

    internal static CostTotal Sum(IEnumerable<CostRecord> records)
    {
        var sum = new CostTotalBuilder();
        foreach (CostRecord record in records)
        {
            sum.Add(record.Total, record.Usage.InputTokens, record.Usage.OutputTokens, record.Usage.CachedReadTokens,
                record.Usage.CacheWrite5MinuteTokens + record.Usage.CacheWrite1HourTokens, record.Usage.ReasoningTokens);
        }

        return sum.Build();
    }
}

/// <summary>Adds records up in checked arithmetic (an overflow throws rather than wraps).</summary>
internal sealed class CostTotalBuilder
{
    private decimal _total;
    private long _count;
    private long _unpriced;
    private long _input;
    private long _output;
    private long _cachedRead;
    private long _cacheWrite;
    private long _reasoning;

    public void Add(decimal? total, long input, long output, long cachedRead, long cacheWrite, long reasoning)
    {
        checked
        {
            _count++;
            if (total is { } value)
            {
                _total += value;
            }
            else
            {
                _unpriced++;
            }

            _input += input;
            _output += output;
            _cachedRead += cachedRead;
            _cacheWrite += cacheWrite;
            _reasoning += reasoning;
        }
    }

    public CostTotal Build() => new()
    {
        Total = _total,
        Count = _count,
        UnpricedCount = _unpriced,
        InputTokens = _input,
        OutputTokens = _output,
        CachedReadTokens = _cachedRead,
        CacheWriteTokens = _cacheWrite,
        ReasoningTokens = _reasoning,
    };
}
