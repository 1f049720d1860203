namespace Musubi.Monitoring.Quality;

/// <summary>The health of one quality metric, or of a whole snapshot.</summary>
public enum QualityStatus
{
    /// <summary>Nothing could be measured: no report, no coverable lines, no valid branches. Never shown as 100%.</summary>
    Unknown = 0,

    /// <summary>At or past the healthy threshold.</summary>
    Healthy = 1,

    /// <summary>Between the critical and the healthy thresholds.</summary>
    Warning = 2,

    /// <summary>At or past the critical threshold.</summary>
    Critical = 3,
}
