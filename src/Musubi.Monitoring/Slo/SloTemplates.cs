namespace Musubi.Monitoring.Slo;

/// <summary>Ready-made SLOs over the metrics this library exports (the HTTP request histogram) and over your counters.</summary>
/// <remarks>Thread-safe: it holds no state. Ids are <c>&lt;service&gt;-availability</c>, <c>-latency</c> and <c>-errors</c>, lower-cased.</remarks>
public static class SloTemplates
{
    /// <summary>API availability: requests not answered 5xx, from the HTTP request histogram.</summary>
    /// <param name="service">The service; lower-cased into the id.</param>
    /// <param name="objectivePercent">The objective in percent.</param>
    /// <param name="periodDays">The rolling period in days.</param>
    /// <returns>The SLO.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is empty or makes an invalid id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public static ServiceLevelObjective ApiAvailability(string service, decimal objectivePercent = 99.9m, int periodDays = 30) =>
        new(Id(service, "availability"), service, Sli.HttpAvailability(), Objective.Percent(objectivePercent), Days(periodDays),
            description: "Requests answered without a server error.");

    /// <summary>API latency: requests served within <paramref name="thresholdSeconds"/> (a bucket boundary of the histogram).</summary>
    /// <param name="service">The service; lower-cased into the id.</param>
    /// <param name="thresholdSeconds">The threshold, a bucket boundary such as 0.25.</param>
    /// <param name="objectivePercent">The objective in percent.</param>
    /// <param name="periodDays">The rolling period in days.</param>
    /// <returns>The SLO.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is empty or makes an invalid id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public static ServiceLevelObjective ApiLatency(string service, double thresholdSeconds = 0.25, decimal objectivePercent = 99m, int periodDays = 30) =>
        !double.IsFinite(thresholdSeconds) || thresholdSeconds is < 1e-6 or > 1e6
            ? throw new ArgumentOutOfRangeException(nameof(thresholdSeconds), thresholdSeconds, "The threshold must be from 0.000001 to 1,000,000 seconds, a bucket boundary of the histogram.")
            : new(Id(service, "latency"), service, Sli.HttpLatency(thresholdSeconds), Objective.Percent(objectivePercent), Days(periodDays),
            description: $"Requests served within {SloNumber.Format((decimal)thresholdSeconds)} s.");

    /// <summary>Error rate: failed operations over operations, from your counters.</summary>
    /// <param name="service">The service; lower-cased into the id.</param>
    /// <param name="total">All operations.</param>
    /// <param name="errors">The failed operations.</param>
    /// <param name="objectivePercent">The objective in percent.</param>
    /// <param name="periodDays">The rolling period in days.</param>
    /// <returns>The SLO.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="total"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="service"/> is empty or makes an invalid id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public static ServiceLevelObjective ErrorRate(string service, MetricSelector total, MetricSelector errors, decimal objectivePercent = 99.5m, int periodDays = 30) =>
        new(Id(service, "errors"), service, Sli.FromBadEvents(SliKind.ErrorRate, total, errors), Objective.Percent(objectivePercent), Days(periodDays),
            description: "Operations that did not fail.");

    private static string Id(string service, string suffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return $"{service.Trim().ToLowerInvariant().Replace(' ', '-')}-{suffix}";
    }

    private static TimeSpan Days(int periodDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodDays, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(periodDays, 365);
        return TimeSpan.FromDays(periodDays);
    }
}
