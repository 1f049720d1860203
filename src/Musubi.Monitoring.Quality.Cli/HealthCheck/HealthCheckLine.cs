namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary>One check of a host's health report, as the host wrote it.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Status">The check's status as written (<c>Healthy</c>, <c>Degraded</c>, <c>Unhealthy</c>, or what the host wrote).</param>
/// <param name="Critical">Whether the check is critical; <see langword="null"/> when the host does not say.</param>
/// <param name="DurationMilliseconds">How long the check ran; <see langword="null"/> when the host does not say.</param>
/// <param name="Description">The check's description, if any.</param>
/// <param name="Error">The check's error (exception type and message), if any.</param>
/// <param name="Tags">The check's tags.</param>
internal sealed record HealthCheckLine(
    string Name,
    string Status,
    bool? Critical,
    double? DurationMilliseconds,
    string? Description,
    string? Error,
    IReadOnlyList<string> Tags);
