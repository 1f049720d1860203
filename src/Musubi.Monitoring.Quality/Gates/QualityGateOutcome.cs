namespace Musubi.Monitoring.Quality;

/// <summary>What one gate condition found.</summary>
public enum QualityGateOutcome
{
    /// <summary>The value meets the condition.</summary>
    Passed = 0,

    /// <summary>The value does not meet the condition.</summary>
    Failed = 1,

    /// <summary>The metric was not measured (unknown or absent from the snapshot), which fails the condition.</summary>
    NotMeasured = 2,

    /// <summary>The metric was not measured and the condition ignores unknown values, so it does not fail the gate.</summary>
    Skipped = 3,
}
