namespace Musubi.Monitoring.Quality;

/// <summary>
/// The keys the quality gate health check puts in <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Data"/>,
/// next to one entry per metric (its id → its exact value as a <see cref="decimal"/>, or the string <c>UNKNOWN</c>).
/// </summary>
public static class QualityGateHealthDataKeys
{
    /// <summary>Whether the gate passed, as a <see cref="bool"/>.</summary>
    public const string Passed = "gate_passed";

    /// <summary>The overall threshold status (HEALTHY, WARNING, CRITICAL, UNKNOWN), as a <see cref="string"/>.</summary>
    public const string Overall = "overall_status";

    /// <summary>When the snapshot was collected, as a <see cref="DateTimeOffset"/>.</summary>
    public const string Timestamp = "collected_at";

    /// <summary>The failing conditions, each as "line_coverage is 79.999, expected at least 80", as a <see cref="string"/> array.</summary>
    public const string Failures = "gate_failures";
}
