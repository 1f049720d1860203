namespace Musubi.Monitoring.Quality;

/// <summary>What a change of a metric's status means.</summary>
public enum QualityAlertKind
{
    /// <summary>The status got worse: healthy or unknown to warning or critical, or warning to critical.</summary>
    Degraded = 0,

    /// <summary>The status got better without becoming healthy: critical to warning.</summary>
    Improved = 1,

    /// <summary>The status became healthy again (from warning, critical or unknown).</summary>
    Resolved = 2,

    /// <summary>The metric could no longer be measured (its report is missing, or nothing was measurable).</summary>
    Unmeasured = 3,
}
