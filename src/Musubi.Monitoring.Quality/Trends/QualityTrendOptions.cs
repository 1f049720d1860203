namespace Musubi.Monitoring.Quality;

/// <summary>How trends are told: how many snapshots are looked at and how large a change still counts as stable.</summary>
/// <remarks>Checked by <see cref="QualityTrends.Compute(IEnumerable{QualitySnapshot}, QualityTrendOptions, IEnumerable{QualityThreshold}?)"/> and, under
/// <c>AddQualityHistory</c>, when the host starts.</remarks>
public sealed class QualityTrendOptions
{
    /// <summary>The largest <see cref="Window"/>.</summary>
    public const int MaxWindow = 10_000;

    /// <summary>Gets or sets how many of the latest snapshots a trend looks at.</summary>
    /// <value>The default is 5. From 2 to 10 000.</value>
    public int Window { get; set; } = 5;

    /// <summary>
    /// Gets or sets the change, either way and inclusive, up to which a metric counts as stable, in the metric's unit
    /// (percentage points for a percentage, so 0.5 means 80.0 → 80.5 is stable and 80.0 → 80.51 is not).
    /// </summary>
    /// <value>The default is 0.5. Zero or more.</value>
    public decimal StableBand { get; set; } = 0.5m;

    /// <summary>Gets the stable band of particular metrics (by metric id, ordinal), overriding <see cref="StableBand"/>.</summary>
    /// <value>The default is empty. Each band is zero or more.</value>
    public IDictionary<string, decimal> MetricBands { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>
    /// Gets which way particular metrics improve (by metric id, ordinal). A metric not listed takes the direction of its
    /// threshold, and a metric with neither is taken as <see cref="ThresholdDirection.HigherIsBetter"/>.
    /// </summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, ThresholdDirection> Directions { get; } = new Dictionary<string, ThresholdDirection>(StringComparer.Ordinal);

    /// <summary>The problems of these options, each naming the option and its value; empty when valid.</summary>
    internal List<string> Problems(string prefix)
    {
        var problems = new List<string>();
        if (Window is < 2 or > MaxWindow)
        {
            problems.Add(FormattableString.Invariant($"{prefix}Window is {Window}; use 2 to {MaxWindow} snapshots."));
        }

        if (StableBand < 0m)
        {
            problems.Add(FormattableString.Invariant($"{prefix}StableBand is {StableBand}; use 0 or more."));
        }

        foreach (KeyValuePair<string, decimal> band in MetricBands)
        {
            if (band.Value < 0m)
            {
                problems.Add(FormattableString.Invariant($"{prefix}MetricBands[\"{band.Key}\"] is {band.Value}; use 0 or more."));
            }
        }

        foreach (KeyValuePair<string, ThresholdDirection> direction in Directions)
        {
            if (!Enum.IsDefined(direction.Value))
            {
                problems.Add(FormattableString.Invariant($"{prefix}Directions[\"{direction.Key}\"] is {direction.Value}; use HigherIsBetter or LowerIsBetter."));
            }
        }

        return problems;
    }
}
