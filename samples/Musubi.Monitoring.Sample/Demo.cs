using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// Demo mode: the host on a free loopback port, a fixed plan of requests sent over real HTTP by a few
/// concurrent clients, then a summary read back from the collector and the scrape written to
/// <c>artifacts/metrics.prom</c>.
/// </summary>
internal static class Demo
{
    private const int Clients = 4;
    private const string DurationFamily = "http_server_request_duration_seconds";
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        using var budget = new CancellationTokenSource(s_budget);
        CancellationToken cancellationToken = budget.Token;
        await using WebApplication app = Program.BuildApp(args, "http://127.0.0.1:0", quiet: true);
        await app.StartAsync(cancellationToken);
        try
        {
            return await DriveAndReportAsync(app, cancellationToken);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"The demo did not finish within {s_budget.TotalSeconds:0} s.");
            return 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> DriveAndReportAsync(WebApplication app, CancellationToken cancellationToken)
    {
        string address = Program.Addresses(app).First();
        TimeProvider time = app.Services.GetRequiredService<TimeProvider>();
        DateTimeOffset runStarted = time.GetUtcNow();
        MusubiMetricsCollector collector = app.Services.GetRequiredService<MusubiMetricsCollector>();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri(address + "/"),
            Timeout = TimeSpan.FromSeconds(10),
        };

        // Drive the plan: the same requests every run, shuffled by a seeded generator, four at a time.
        IReadOnlyList<PlannedRequest> plan = Plan();
        var responses = new HttpStatusCode[plan.Count];
        long started = time.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, plan.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                using HttpResponseMessage response = await plan[i].SendAsync(client, ct);
                responses[i] = response.StatusCode;
            });
        TimeSpan elapsed = time.GetElapsedTime(started);

        // The client can read a response a moment before the middleware has recorded it: wait (bounded).
        long recorded = await WaitForRecordedAsync(collector, plan.Count, cancellationToken);

        // The scrape, over HTTP from the host's own /metrics, as Prometheus text 0.0.4.
        using var scrapeRequest = new HttpRequestMessage(HttpMethod.Get, "metrics");
        scrapeRequest.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using HttpResponseMessage scrape = await client.SendAsync(scrapeRequest, cancellationToken);
        scrape.EnsureSuccessStatusCode();
        byte[] exposition = await scrape.Content.ReadAsByteArrayAsync(cancellationToken);
        string artifact = Path.Combine("artifacts", "metrics.prom");
        Directory.CreateDirectory("artifacts");
        await File.WriteAllBytesAsync(artifact, exposition, cancellationToken);

        // The SLO rules and dashboard, made from the same configuration the host serves at /monitoring/….
        Musubi.Monitoring.Slo.MonitoringConfig monitoring = SampleMonitoring.Config();
        Musubi.Monitoring.Slo.SloRules.CheckLatencyThresholds(monitoring.Slos, collector.Collect());   // thresholds are real bucket boundaries
        await File.WriteAllTextAsync(Path.Combine("artifacts", "prometheus-rules.yml"), monitoring.ToPrometheusRules(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine("artifacts", "grafana-dashboard.json"), monitoring.ToGrafanaDashboard(), cancellationToken);

        MetricsSnapshot snapshot = collector.Collect();

        // The SLOs evaluated in-process from the same counters: /api/flaky's failures page through an observer.
        Musubi.Monitoring.Slo.SloMonitor slos = app.Services.GetRequiredService<Musubi.Monitoring.Slo.SloMonitor>();
        await slos.EvaluateAsync(cancellationToken);
        IReadOnlyList<Musubi.Monitoring.Slo.SloStatus> sloStatuses = slos.GetStatuses();
        Musubi.Monitoring.Slo.SloAlert[] sloAlerts = [.. app.Services.GetRequiredService<SloAlertLog>().Alerts];
        using HttpResponseMessage ready = await client.GetAsync("health/ready", cancellationToken);
        string readiness = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync(cancellationToken)}";

        // Two canary releases on a feature flag: a healthy one is promoted, a faulty one rolls back by itself.
        ReleaseScenario.Result releases = await ReleaseScenario.RunAsync(app, client, cancellationToken);

        // The fault scenario: incidents from the SLO page and from Alertmanager, a runbook, a post-mortem.
        IncidentScenario.Result incidents = await IncidentScenario.RunAsync(app, client, runStarted, cancellationToken);

        // LLM costs: a scripted batch through a fake provider, recorded in the SQLite ledger, checked to the cent.
        CostScenario.Result costs = await CostScenario.RunAsync(app, cancellationToken);

        // Quality: the dashboard of this repository's latest coverage and test reports, else of a small shipped one.
        QualityScenario.Result quality = await QualityScenario.RunAsync(time, cancellationToken);

        // One request as an upstream service sends it: traceparent, tracestate, baggage and a correlation id.
        TracedRequest.Result traced = await TracedRequest.RunAsync(app, client, cancellationToken);
        Summary.Print(Console.Out, new Summary.Run(
            address, plan.Count, Clients, elapsed, responses, recorded, snapshot, artifact, exposition.Length,
            scrape.Content.Headers.ContentType?.ToString() ?? "?", traced, sloStatuses, sloAlerts, readiness, incidents, releases));

        Console.Out.WriteLine();
        Console.Out.Write(costs.Text);
        Console.Out.WriteLine();
        Console.Out.Write(quality.Text);

        if (recorded != plan.Count)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"The server recorded {recorded} requests but the client sent {plan.Count}."));
            return 1;
        }

        if (!sloAlerts.Any(a => a is { SloId: "flaky-availability", Severity: Musubi.Monitoring.Slo.AlertSeverity.Page, State: Musubi.Monitoring.Slo.SloAlertState.Firing }))
        {
            await Console.Error.WriteLineAsync("The in-process SLO monitor did not page for /api/flaky's failures.");
            return 1;
        }

        if (releases.Problem() is { } releaseProblem)
        {
            await Console.Error.WriteLineAsync($"The release scenario failed: {releaseProblem}.");
            return 1;
        }

        if (incidents.Problem is { } incidentProblem)
        {
            await Console.Error.WriteLineAsync($"The incident scenario failed: {incidentProblem}.");
            return 1;
        }

        if (costs.Problem is { } costProblem)
        {
            await Console.Error.WriteLineAsync($"The cost scenario failed: {costProblem}.");
            return 1;
        }

        if (quality.Problem is { } qualityProblem)
        {
            await Console.Error.WriteLineAsync($"The quality scenario failed: {qualityProblem}.");
            return 1;
        }

        if (traced.Problem() is { } problem)
        {
            await Console.Error.WriteLineAsync($"The traced checkout request does not hang together: {problem}.");
            return 1;
        }

        return 0;
    }

    private static async Task<long> WaitForRecordedAsync(MusubiMetricsCollector collector, long expected, CancellationToken cancellationToken)
    {
        long recorded = 0;
        for (int attempt = 0; attempt < 500; attempt++)
        {
            recorded = (long)(collector.Collect().Find(DurationFamily)?.Sum() ?? 0);
            if (recorded >= expected)
            {
                break;
            }

            await Task.Delay(10, cancellationToken);
        }

        return recorded;
    }

    /// <summary>
    /// 230 requests: order reads (some for orders that do not exist), order creations (some invalid), the flaky
    /// and slow endpoints, and paths no route matches.
    /// </summary>
    private static List<PlannedRequest> Plan()
    {
        var plan = new List<PlannedRequest>();
        for (int i = 0; i < 120; i++)
        {
            int id = i % 12 == 11 ? 1000 + i : 1 + (i % 50);
            plan.Add(PlannedRequest.Get($"api/orders/{id}"));
        }

        string[] items = ["tea", "rice", "miso", "nori", "yuzu"];
        for (int i = 0; i < 30; i++)
        {
            plan.Add(PlannedRequest.Post("api/orders", new NewOrder(items[i % items.Length], i % 10 == 9 ? 0 : 1 + (i % 4))));
        }

        for (int i = 0; i < 50; i++)
        {
            plan.Add(PlannedRequest.Get("api/flaky"));
        }

        for (int i = 0; i < 24; i++)
        {
            plan.Add(PlannedRequest.Get("api/slow"));
        }

        for (int i = 0; i < 6; i++)
        {
            plan.Add(PlannedRequest.Get($"api/unknown/{i}"));
        }

        new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(plan));
        return plan;
    }

    private sealed record PlannedRequest(HttpMethod Method, string Path, NewOrder? Body)
    {
        public static PlannedRequest Get(string path) => new(HttpMethod.Get, path, null);

        public static PlannedRequest Post(string path, NewOrder body) => new(HttpMethod.Post, path, body);

        public async Task<HttpResponseMessage> SendAsync(HttpClient client, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(Method, Path);
            if (Body is not null)
            {
                request.Content = JsonContent.Create(Body);
            }

            return await client.SendAsync(request, cancellationToken);
        }
    }
}
