namespace Musubi.Monitoring.Quality;

/// <summary>Options of the automatic quality collection, set with <c>.AddQualityHistory(o => …)</c> or given to a <see cref="QualityCollector"/>.</summary>
/// <remarks>
/// Read once when the collector is built; later changes have no effect. Under <c>AddQualityHistory</c> they are checked
/// when the host starts; the messages name the bad option and value.
/// </remarks>
public sealed class QualityHistoryOptions
{
    /// <summary>The shortest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(31);

    /// <summary>Gets or sets how often quality is collected from the <see cref="IQualitySource"/>.</summary>
    /// <value>The default is 1 hour. From 1 second to 31 days.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets whether a collection runs as soon as the collector starts, rather than one interval later.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool CollectOnStart { get; set; } = true;

    /// <summary>Gets the thresholds whose status changes raise alerts (one per metric id; the first wins).</summary>
    /// <value>
    /// Empty by default, which means: the thresholds of <c>AddQuality</c> (its resolved <see cref="QualityConfiguration"/>,
    /// configuration file included) when it is registered, so the history alerts on the same numbers as the dashboard
    /// and the gate; otherwise <see cref="QualityThresholds.Defaults"/>. Any threshold added here replaces them all.
    /// </value>
    public IList<QualityThreshold> Thresholds { get; } = [];

    /// <summary>Gets how trends are told (see <see cref="QualityCollector.GetTrendsAsync"/>).</summary>
    /// <value>The default is a window of 5 snapshots and a stable band of 0.5.</value>
    public QualityTrendOptions Trends { get; } = new();

    /// <summary>
    /// Gets or sets how many snapshots the in-memory store keeps (when no other <see cref="IQualityHistoryStore"/> is
    /// registered; <c>.UseSqlite(…)</c> replaces it).
    /// </summary>
    /// <value>The default is 10 000. From 1 to 10 000 000.</value>
    public int InMemoryCapacity { get; set; } = InMemoryQualityHistoryStore.DefaultCapacity;

    /// <summary>
    /// Gets or sets how many collected snapshots are kept in memory while the store refuses them (for example a locked
    /// or full disk), to be appended again, in order, before the next snapshot. Past this the oldest is dropped and counted
    /// (<see cref="QualityCollector.DroppedSnapshots"/>).
    /// </summary>
    /// <value>The default is 100. From 0 to 100 000.</value>
    public int MaxPendingSnapshots { get; set; } = 100;

    /// <summary>The problems of these options, each naming the option and its value; empty when valid.</summary>
    internal List<string> Problems()
    {
        const string Prefix = "QualityHistoryOptions.";
        var problems = new List<string>();
        if (Interval < MinInterval || Interval > MaxInterval)
        {
            problems.Add(FormattableString.Invariant($"{Prefix}Interval is {Interval:c}; use 00:00:01 to 31.00:00:00."));
        }

        if (InMemoryCapacity is < 1 or > 10_000_000)
        {
            problems.Add(FormattableString.Invariant($"{Prefix}InMemoryCapacity is {InMemoryCapacity}; use 1 to 10000000."));
        }

        if (MaxPendingSnapshots is < 0 or > 100_000)
        {
            problems.Add(FormattableString.Invariant($"{Prefix}MaxPendingSnapshots is {MaxPendingSnapshots}; use 0 to 100000."));
        }

        for (int i = 0; i < Thresholds.Count; i++)
        {
            if (Thresholds[i] is null)
            {
                problems.Add(FormattableString.Invariant($"{Prefix}Thresholds[{i}] is null."));
            }
        }

        problems.AddRange(Trends.Problems(Prefix + "Trends."));
        return problems;
    }
}
