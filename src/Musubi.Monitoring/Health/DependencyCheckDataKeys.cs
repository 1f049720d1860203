namespace Musubi.Monitoring.Health;

/// <summary>
/// The keys a dependency check adds to <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Data"/>,
/// next to whatever the check itself returned.
/// </summary>
public static class DependencyCheckDataKeys
{
    /// <summary>How long the run took, in milliseconds as a <see cref="double"/>, measured on the injected <see cref="TimeProvider"/>.</summary>
    public const string LatencyMilliseconds = "latency_ms";

    /// <summary>Whether the check is critical (<see cref="DependencyCheckOptions.Critical"/>), as a <see cref="bool"/>.</summary>
    public const string Critical = "critical";
}
