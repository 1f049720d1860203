namespace Musubi.Monitoring.Quality;

/// <summary>Which way a metric improves.</summary>
public enum ThresholdDirection
{
    /// <summary>More is better, as for coverage and pass rate.</summary>
    HigherIsBetter = 0,

    /// <summary>Less is better, as for flaky or failed tests.</summary>
    LowerIsBetter = 1,
}
