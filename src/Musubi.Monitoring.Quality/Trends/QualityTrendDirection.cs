namespace Musubi.Monitoring.Quality;

/// <summary>Which way a metric moved over the last snapshots, judged by the way the metric improves.</summary>
public enum QualityTrendDirection
{
    /// <summary>Fewer than two known values: no trend can be told.</summary>
    Unknown = 0,

    /// <summary>Moved the better way by more than the stable band.</summary>
    Improving = 1,

    /// <summary>Moved by no more than the stable band either way.</summary>
    Stable = 2,

    /// <summary>Moved the worse way by more than the stable band.</summary>
    Declining = 3,
}
