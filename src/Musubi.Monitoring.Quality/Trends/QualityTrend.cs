namespace Musubi.Monitoring.Quality;

/// <summary>How one metric moved over the last snapshots: its first and last known values and what that change means.</summary>
/// <remarks>Immutable and safe to share between threads. Made by <see cref="QualityTrends"/>.</remarks>
public sealed record QualityTrend
{
    /// <summary>The metric id.</summary>
    public required string Metric { get; init; }

    /// <summary>Improving, stable, declining, or unknown when fewer than two values were known.</summary>
    public required QualityTrendDirection Direction { get; init; }

    /// <summary>Which way the metric improves (a fall of a <see cref="ThresholdDirection.LowerIsBetter"/> metric is improving).</summary>
    public required ThresholdDirection Better { get; init; }

    /// <summary>The change up to which the metric counts as stable, either way, in the metric's unit (points for a percentage).</summary>
    public required decimal StableBand { get; init; }

    /// <summary>How many snapshots were looked at (the window, or fewer when the history is shorter).</summary>
    public required int SnapshotCount { get; init; }

    /// <summary>How many of them had a known value of the metric.</summary>
    public required int KnownCount { get; init; }

    /// <summary>The oldest known value in the window; <see langword="null"/> when none was known.</summary>
    public decimal? First { get; init; }

    /// <summary>When <see cref="First"/> was measured.</summary>
    public DateTimeOffset? FirstAt { get; init; }

    /// <summary>The newest known value in the window; <see langword="null"/> when none was known.</summary>
    public decimal? Last { get; init; }

    /// <summary>When <see cref="Last"/> was measured.</summary>
    public DateTimeOffset? LastAt { get; init; }

    /// <summary><see cref="Last"/> minus <see cref="First"/>, exactly; <see langword="null"/> with fewer than two known values.</summary>
    public decimal? Change { get; init; }
}
