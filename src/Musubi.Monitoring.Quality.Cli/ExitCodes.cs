namespace Musubi.Monitoring.Quality.Cli;

/// <summary>The exit codes of <c>musubi-validate</c>; the README lists them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked: the host is Healthy, the dashboard was printed, the gate passed.</summary>
    public const int Success = 0;

    /// <summary>
    /// A usage error (unknown option, bad URL, bad value, unreadable thresholds file), or, for <c>quality --gate</c>,
    /// a failed gate. System.CommandLine returns 1 for parse errors too.
    /// </summary>
    public const int Failure = 1;

    /// <summary><c>health-check</c>: the host answered Degraded.</summary>
    public const int Degraded = 2;

    /// <summary><c>health-check</c>: the host answered Unhealthy.</summary>
    public const int Unhealthy = 3;

    /// <summary><c>health-check</c>: no health answer: connection refused, timeout, or a response that is not a health report.</summary>
    public const int Unreachable = 4;
}
