namespace Musubi.Monitoring.AI;

/// <summary>How the usage items of a streamed chat response are combined into one usage record.</summary>
public enum StreamingUsageMode
{
    /// <summary>
    /// Decide per stream: when every usage item's counts are greater than or equal to the previous item's in every field
    /// (input, output, total, cached input, reasoning; a missing count is read as zero, except a missing total, which is not
    /// compared), the items are running totals and the latest value of each count is taken; otherwise they are deltas
    /// and are summed. A stream with one usage item takes that item.
    /// </summary>
    Auto = 0,

    /// <summary>Every usage item is a delta; all of them are summed.</summary>
    Deltas = 1,

    /// <summary>Every usage item is a running total; each count it reports supersedes the earlier ones, and a count it leaves out keeps its earlier value.</summary>
    RunningTotals = 2,
}
