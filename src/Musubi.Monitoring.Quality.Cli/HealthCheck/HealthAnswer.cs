using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary>A host's answer to a health request, read from its body.</summary>
/// <param name="Url">The URL asked.</param>
/// <param name="HttpStatus">The HTTP status code of the answer.</param>
/// <param name="Status">The overall status.</param>
/// <param name="DurationMilliseconds">How long the host took to run its checks; <see langword="null"/> when it does not say.</param>
/// <param name="Checks">The checks, in the order the host wrote them; none for a plain-text answer.</param>
internal sealed record HealthAnswer(
    Uri Url,
    int HttpStatus,
    HealthStatus Status,
    double? DurationMilliseconds,
    IReadOnlyList<HealthCheckLine> Checks);
