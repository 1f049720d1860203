using System.Diagnostics.Metrics;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// The incident gauges on the Musubi meter, exported through the core collector: open incidents by severity, and MTTA,
/// time to mitigate and MTTR (mean, median, p90) by severity over <see cref="IncidentOptions.StatisticsWindow"/>.
/// </summary>
/// <remarks>Thread-safe: the gauges read an immutable snapshot that <see cref="Update"/> swaps.</remarks>
internal sealed class IncidentMetrics
{
    internal const string OpenName = "musubi.incidents.open";
    internal const string TimeToAcknowledgeName = "musubi.incidents.time_to_acknowledge";
    internal const string TimeToMitigateName = "musubi.incidents.time_to_mitigate";
    internal const string TimeToResolveName = "musubi.incidents.time_to_resolve";
    internal const string SeverityTag = "severity";
    internal const string StatisticTag = "statistic";

    private Snapshot? _snapshot;

    public IncidentMetrics(Meter meter, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Window = window;
        meter.CreateObservableGauge(OpenName, Open, unit: "{incident}", description: "Open incidents (not resolved or closed) by severity.");
        meter.CreateObservableGauge(TimeToAcknowledgeName, () => Durations(f => f.TimeToAcknowledge), unit: "s",
            description: "Time from detection to the first acknowledgement (MTTA) of incidents detected in the statistics window; unacknowledged ones excluded.");
        meter.CreateObservableGauge(TimeToMitigateName, () => Durations(f => f.TimeToMitigate), unit: "s",
            description: "Time from detection to mitigation of incidents detected in the statistics window.");
        meter.CreateObservableGauge(TimeToResolveName, () => Durations(f => f.TimeToResolve), unit: "s",
            description: "Time from detection to resolution (MTTR) of incidents detected in the statistics window.");
    }

    public TimeSpan Window { get; }

    public void Update(IReadOnlyDictionary<Severity, int> open, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) =>
        Volatile.Write(ref _snapshot, new Snapshot(open, bySeverity));

    private static string Name(Severity severity) => severity switch
    {
        Severity.Sev1 => "SEV1",
        Severity.Sev2 => "SEV2",
        Severity.Sev3 => "SEV3",
        Severity.Sev4 => "SEV4",
        _ => "SEV5",
    };

    private List<Measurement<int>> Open()
    {
        Snapshot? snapshot = Volatile.Read(ref _snapshot);
        return snapshot is null
            ? []
            : [.. snapshot.Open.OrderBy(p => p.Key).Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>(SeverityTag, Name(p.Key))))];
    }

    private List<Measurement<double>> Durations(Func<IncidentFigures, DurationSummary> pick)
    {
        var measurements = new List<Measurement<double>>();
        Snapshot? snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null)
        {
            return measurements;
        }

        foreach ((Severity severity, IncidentFigures figures) in snapshot.BySeverity.OrderBy(p => p.Key))
        {
            DurationSummary summary = pick(figures);
            Add(measurements, severity, "mean", summary.Mean);
            Add(measurements, severity, "median", summary.Median);
            Add(measurements, severity, "p90", summary.P90);
        }

        return measurements;
    }

    private static void Add(List<Measurement<double>> measurements, Severity severity, string statistic, TimeSpan? value)
    {
        if (value is { } v)
        {
            measurements.Add(new Measurement<double>(v.TotalSeconds,
                new KeyValuePair<string, object?>(SeverityTag, Name(severity)),
                new KeyValuePair<string, object?>(StatisticTag, statistic)));
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<Severity, int> Open, IReadOnlyDictionary<Severity, IncidentFigures> BySeverity);
}
