namespace Musubi.Monitoring.Incidents;

/// <summary>Mean, median and 90th percentile of a set of durations; all <see langword="null"/> when the set is empty.</summary>
/// <param name="Count">How many durations there are.</param>
/// <param name="Mean">The mean.</param>
/// <param name="Median">The median (the mean of the two middle values for an even count).</param>
/// <param name="P90">The 90th percentile, by the nearest-rank method.</param>
public sealed record DurationSummary(int Count, TimeSpan? Mean, TimeSpan? Median, TimeSpan? P90)
{
    /// <summary>Summarises <paramref name="durations"/>.</summary>
    internal static DurationSummary Of(IEnumerable<TimeSpan> durations)
    {
        TimeSpan[] sorted = [.. durations.Order()];
        if (sorted.Length == 0)
        {
            return new DurationSummary(0, null, null, null);
        }

        long mean = (long)sorted.Average(d => (decimal)d.Ticks);
        TimeSpan median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : TimeSpan.FromTicks((sorted[(sorted.Length / 2) - 1].Ticks + sorted[sorted.Length / 2].Ticks) / 2);
        int rank = (int)Math.Ceiling(0.9 * sorted.Length);
        return new DurationSummary(sorted.Length, TimeSpan.FromTicks(mean), median, sorted[rank - 1]);
    }
}

/// <summary>
/// Response figures for a set of incidents: time to acknowledge (first trigger → first acknowledgement; incidents never
/// acknowledged are left out, not counted as zero), time to mitigate, and time to resolve, each as mean, median and
/// p90; and how many are open.
/// </summary>
/// <param name="Incidents">How many incidents were counted.</param>
/// <param name="Open">How many of them are open.</param>
/// <param name="TimeToAcknowledge">MTTA and friends.</param>
/// <param name="TimeToMitigate">Time to mitigate.</param>
/// <param name="TimeToResolve">MTTR and friends.</param>
public sealed record IncidentFigures(int Incidents, int Open, DurationSummary TimeToAcknowledge, DurationSummary TimeToMitigate, DurationSummary TimeToResolve)
{
    /// <summary>
    /// Computes the figures for the incidents detected in [<paramref name="from"/>, <paramref name="to"/>), overall
    /// and by severity.
    /// </summary>
    /// <param name="incidents">The incidents.</param>
    /// <param name="from">The start of the period (inclusive); <see langword="null"/> for no start.</param>
    /// <param name="to">The end of the period (exclusive); <see langword="null"/> for no end.</param>
    /// <returns>The figures overall, and per severity that has incidents.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="incidents"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public static (IncidentFigures Overall, IReadOnlyDictionary<Severity, IncidentFigures> BySeverity) Compute(
        IEnumerable<Incident> incidents, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        if (from is { } start && to is { } end && end <= start)
        {
            throw new ArgumentException($"The period ends ({end:O}) before it starts ({start:O}).", nameof(to));
        }

        Incident[] inPeriod = [.. incidents.Select(i => i ?? throw new ArgumentNullException(nameof(incidents), "An incident is null."))
            .Where(i => (from is null || i.DetectedAt >= from) && (to is null || i.DetectedAt < to))];
        return (Of(inPeriod), inPeriod.GroupBy(i => i.Severity).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Of([.. g])));
    }

    private static IncidentFigures Of(Incident[] incidents) => new(
        incidents.Length,
        incidents.Count(i => i.IsOpen),
        DurationSummary.Of(incidents.Where(i => i.AcknowledgedAt is not null).Select(i => i.AcknowledgedAt!.Value - i.DetectedAt)),
        DurationSummary.Of(incidents.Where(i => i.MitigatedAt is not null).Select(i => i.MitigatedAt!.Value - i.DetectedAt)),
        DurationSummary.Of(incidents.Where(i => i.ResolvedAt is not null).Select(i => i.ResolvedAt!.Value - i.DetectedAt)));
}
