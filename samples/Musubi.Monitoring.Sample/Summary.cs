using System.Globalization;
using System.Net;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Sample;

/// <summary>Prints what the demo did, read back from the collector the way a dashboard would read Prometheus.</summary>
internal static class Summary
{
    private const string DurationFamily = "http_server_request_duration_seconds";
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static void Print(TextWriter output, Run run)
    {
        MetricFamilySnapshot? durations = run.Snapshot.Find(DurationFamily);
        IReadOnlyList<MetricSeriesSnapshot> series = durations?.Series ?? [];
        long total = series.Sum(s => s.Histogram?.Count ?? 0);
        long serverErrors = series.Where(s => IsServerError(s.Label("http_response_status_code"))).Sum(s => s.Histogram?.Count ?? 0);
        int clientServerErrors = run.Responses.Count(s => (int)s >= 500);

        output.WriteLine("Musubi.Monitoring sample");
        Line(output, $"  host         {run.Address} (ASP.NET Core with UseMusubiRequestMetrics and MapMusubiMetrics)");
        Line(output, $"  traffic      {run.Requests} requests from {run.Clients} concurrent clients in {run.Elapsed.TotalSeconds:0.00} s; the server recorded {run.Recorded}");
        output.WriteLine();
        output.WriteLine($"Requests by route and status ({DurationFamily})");
        Line(output, $"  {"METHOD",-7} {"ROUTE",-22} {"STATUS",6} {"COUNT",6} {"MEAN ms",8} {"P50 ms",8} {"P95 ms",8}");
        foreach (MetricSeriesSnapshot s in series
            .OrderBy(s => s.Label("http_route") ?? "~", StringComparer.Ordinal)
            .ThenBy(s => s.Label("http_request_method"), StringComparer.Ordinal)
            .ThenBy(s => s.Label("http_response_status_code"), StringComparer.Ordinal))
        {
            HistogramSnapshot h = s.Histogram!;
            Line(output, $"  {s.Label("http_request_method"),-7} {s.Label("http_route") ?? "(no route)",-22} {s.Label("http_response_status_code"),6} {h.Count,6} {Ms(h.Sum / h.Count),8} {Ms(h.EstimateQuantile(0.5)),8} {Ms(h.EstimateQuantile(0.95)),8}");
        }

        HistogramSnapshot? all = durations?.MergeHistograms();
        decimal ratio = total == 0 ? 0m : Math.Round(serverErrors * 100m / total, 2);
        output.WriteLine("  (MEAN is exact, from _sum and _count; P50 and P95 are interpolated inside buckets, as histogram_quantile does)");
        output.WriteLine();
        Line(output, $"  error ratio  {ratio:0.00} % of requests answered 5xx ({serverErrors} of {total}; the clients saw {clientServerErrors})");
        Line(output, $"  latency      p50 {Ms(all?.EstimateQuantile(0.5))} ms, p95 {Ms(all?.EstimateQuantile(0.95))} ms over all requests (estimated from the histogram buckets)");
        Line(output, $"  series       {run.Snapshot.Families.Sum(f => f.Series.Count)} series in {run.Snapshot.Families.Count} metric families");
        Line(output, $"  exposition   {run.Artifact}: {run.ExpositionBytes:N0} bytes of {run.ContentType}, fetched from GET /metrics");
        Line(output, $"  SLO rules    artifacts/prometheus-rules.yml and artifacts/grafana-dashboard.json ({SampleMonitoring.Config().Slos.Count} SLOs; promtool check rules accepts them)");
        PrintSlos(output, run);
        PrintReleases(output, run.Releases);
        PrintIncidents(output, run.Incidents);
        PrintTrace(output, run.Traced);
    }

    /// <summary>Each SLO as the in-process monitor evaluated it, the alerts it published, and readiness.</summary>
    private static void PrintSlos(TextWriter output, Run run)
    {
        output.WriteLine();
        output.WriteLine("SLOs, evaluated in-process from the same counters");
        Line(output, $"  {"SLO",-28} {"OBJECTIVE",9} {"SLI",9} {"BUDGET LEFT",12} {"BURN 5m",8} {"BURN 1h",8}  ALERTS");
        foreach (Musubi.Monitoring.Slo.SloStatus slo in run.Slos)
        {
            string alerts = slo.ActiveAlerts.Count == 0 ? "-" : string.Join(", ", slo.ActiveAlerts.Select(a => $"{a.AlertName} [{string.Join(" ", a.Windows)}]"));
            Line(output, $"  {slo.Id,-28} {slo.Objective,9} {slo.Sli,9:P3} {slo.ErrorBudgetRemaining,12:P1} {Burn(slo, TimeSpan.FromMinutes(5)),8} {Burn(slo, TimeSpan.FromHours(1)),8}  {alerts}");
        }

        foreach (Musubi.Monitoring.Slo.SloAlert alert in run.SloAlerts)
        {
            Line(output, $"  observer got {alert.AlertName} {alert.State} for {alert.SloId} (burn rate {alert.BurnRate:0.#})");
        }

        Line(output, $"  /health/ready {(run.Readiness.Length > 160 ? run.Readiness[..160] + "…" : run.Readiness)}");
    }

    /// <summary>The two canary releases: the weights they went through, how the analysis judged them, their history.</summary>
    private static void PrintReleases(TextWriter output, ReleaseScenario.Result result)
    {
        output.WriteLine();
        output.WriteLine($"Canary releases on the {PricingCandidate.Flag} flag (GET /api/price/{{sku}}, analysis: success ratio >= 99% per 1 s window)");
        foreach (ReleaseScenario.Outcome release in new[] { result.Healthy, result.Faulty })
        {
            string weights = string.Join(" -> ", release.History.Where(e => e.Kind == Musubi.Monitoring.Releases.CanaryEventKind.WeightSet).Select(e => e.Detail));
            Line(output, $"  {release.Release.Version} {release.Release.Id} canary {release.State}, release {release.Release.Status}; {release.Requests} requests, {release.Failures} answered 500");
            Line(output, $"    weights    {weights}");
            foreach (Musubi.Monitoring.Releases.CanaryEvent analysis in release.History.Where(e => e.Kind == Musubi.Monitoring.Releases.CanaryEventKind.AnalysisCompleted))
            {
                Line(output, $"    analysis   {analysis.Detail}");
            }

            if (release.RollbackReason is { } reason)
            {
                Line(output, $"    rollback   {reason}; {string.Join("; ", release.History.Where(e => e.Kind is Musubi.Monitoring.Releases.CanaryEventKind.RollbackStepSucceeded or Musubi.Monitoring.Releases.CanaryEventKind.RollbackStepFailed).Select(e => e.Detail))}");
            }

            Line(output, $"    history    {release.Release.History.Length} entries; notes {release.NotesPath}");
        }

        Line(output, $"  flag         {PricingCandidate.Flag} off for every user after the rollback: {result.FlagOffForEveryone}");
    }

    /// <summary>The fault scenario: its two incidents, the runbook, the post-mortem, MTTA/MTTR and the database.</summary>
    private static void PrintIncidents(TextWriter output, IncidentScenario.Result result)
    {
        output.WriteLine();
        output.WriteLine($"Incidents ({SampleIncidents.DatabasePath}, SQLite)");
        if (result.Problem is not null)
        {
            Line(output, $"  FAILED: {result.Problem}");
            return;
        }

        foreach (Musubi.Monitoring.Incidents.Incident incident in new[] { result.FromSlo!, result.FromAlertmanager! })
        {
            Line(output, $"  {incident.Id} {Sev(incident.Severity)} {incident.Status,-9} {incident.Title}");
            Line(output, $"    opened by {incident.Timeline[0].Actor}, acknowledged by {incident.AcknowledgedBy} after {Seconds(incident.AcknowledgedAt - incident.DetectedAt)}, resolved after {Seconds(incident.ResolvedAt - incident.DetectedAt)}; {incident.Timeline.Length} timeline entries ({string.Join(", ", incident.Timeline.GroupBy(e => e.Kind).Select(g => $"{g.Count()} {g.Key}"))})");
        }

        Line(output, $"  on call      {result.OnCall?.User ?? "nobody"} ({(result.OnCall is { } a ? a.LayerName ?? "override" : "-")} layer of {SampleIncidents.Schedule.Name}, {SampleIncidents.Schedule.TimeZone.Id}); escalation paged by policy {SampleIncidents.Policy.Id}");
        Line(output, $"  runbook      {result.Runbook!.Text}");
        Line(output, $"  post-mortem  {result.PostMortemPath} (published)");
        Musubi.Monitoring.Incidents.IncidentFigures f = result.Figures!;
        Line(output, $"  MTTA         mean {Seconds(f.TimeToAcknowledge.Mean)}, median {Seconds(f.TimeToAcknowledge.Median)}, p90 {Seconds(f.TimeToAcknowledge.P90)} over {f.TimeToAcknowledge.Count} acknowledged incidents");
        Line(output, $"  MTTR         mean {Seconds(f.TimeToResolve.Mean)}, median {Seconds(f.TimeToResolve.Median)}, p90 {Seconds(f.TimeToResolve.P90)} over {f.TimeToResolve.Count} resolved incidents");
        Line(output, $"  database     {result.Recent!.Total} incidents, {result.EarlierRuns} of them from earlier runs; the newest:");
        foreach (Musubi.Monitoring.Incidents.Incident incident in result.Recent.Items)
        {
            Line(output, $"    {incident.DetectedAt:yyyy-MM-dd HH:mm:ss} {incident.Id} {Sev(incident.Severity)} {incident.Status,-9} {incident.Title}");
        }
    }

    private static string Sev(Musubi.Monitoring.Incidents.Severity severity) => "SEV" + ((int)severity).ToString(s_invariant);

    private static string Seconds(TimeSpan? duration) => duration is { } d ? d.TotalSeconds.ToString("0.000", s_invariant) + " s" : "-";

    private static string Burn(Musubi.Monitoring.Slo.SloStatus slo, TimeSpan window) =>
        slo.BurnRates.TryGetValue(window, out decimal rate) ? rate.ToString("0.##", s_invariant) : "-";

    /// <summary>The traced request: its span tree, and the log lines on disk that carry its trace id.</summary>
    private static void PrintTrace(TextWriter output, TracedRequest.Result traced)
    {
        output.WriteLine();
        Line(output, $"One traced request: GET /api/checkout/7 with traceparent, tracestate, baggage tenant=acme,user=Amélie and x-correlation-id {TracedRequest.CorrelationId}");
        Line(output, $"  status {traced.Status}, correlation id echoed: {traced.EchoedCorrelationId}");
        Line(output, $"  trace {traced.TraceId} (caller span {traced.CallerSpanId})");
        var children = traced.Spans.ToLookup(s => s.ParentSpanId);
        foreach (System.Diagnostics.Activity root in traced.Spans.Where(s => s.ParentSpanId == traced.CallerSpanId))
        {
            PrintSpan(output, root, children, depth: 2);
        }

        Line(output, $"  log file     {traced.LogFile}: {traced.LogLines.Length} lines carry trace_id {traced.TraceId}");
        // The checkout's own lines first; ASP.NET Core's request lines carry the same trace id.
        foreach (string line in traced.LogLines.OrderBy(l => l.Contains("Sample.Checkout", StringComparison.Ordinal) ? 0 : 1).Take(2))
        {
            output.WriteLine("    " + (line.Length > 240 ? line[..240] + "…" : line));
        }
    }

    private static void PrintSpan(TextWriter output, System.Diagnostics.Activity span, ILookup<System.Diagnostics.ActivitySpanId, System.Diagnostics.Activity> children, int depth)
    {
        string name = new string(' ', depth * 2) + span.DisplayName;
        Line(output, $"{name,-44} {span.Kind.ToString().ToLowerInvariant(),-8} {span.Duration.TotalMilliseconds,8:0.0} ms  {span.Status.ToString().ToLowerInvariant(),-5} span {span.SpanId}");
        foreach (System.Diagnostics.Activity child in children[span.SpanId].OrderBy(c => c.StartTimeUtc))
        {
            PrintSpan(output, child, children, depth + 1);
        }
    }

    private static bool IsServerError(string? status)
        => int.TryParse(status, NumberStyles.None, s_invariant, out int code) && code >= 500;

    private static string Ms(double? seconds)
        => seconds is { } s && double.IsFinite(s) ? (s * 1000).ToString("0.0", s_invariant) : "-";

    private static void Line(TextWriter output, FormattableString line) => output.WriteLine(line.ToString(s_invariant));

    /// <summary>What one demo run did.</summary>
    public sealed record Run(
        string Address,
        int Requests,
        int Clients,
        TimeSpan Elapsed,
        IReadOnlyList<HttpStatusCode> Responses,
        long Recorded,
        MetricsSnapshot Snapshot,
        string Artifact,
        int ExpositionBytes,
        string ContentType,
        TracedRequest.Result Traced,
        IReadOnlyList<Musubi.Monitoring.Slo.SloStatus> Slos,
        IReadOnlyList<Musubi.Monitoring.Slo.SloAlert> SloAlerts,
        string Readiness,
        IncidentScenario.Result Incidents,
        ReleaseScenario.Result Releases);
}
