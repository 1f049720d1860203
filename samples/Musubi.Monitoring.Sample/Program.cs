// Musubi.Monitoring sample: an ASP.NET Core host with request metrics, a Prometheus /metrics endpoint, tracing,
// W3C correlation over HTTP and a durable JSON log file (artifacts/logs/sample.<yyyyMMdd>.log).
//
//   dotnet run --project samples/Musubi.Monitoring.Sample
//       Demo: starts the host on 127.0.0.1 (a free port), drives a few seconds of real HTTP traffic at it,
//       sends one traced checkout request (traceparent, baggage, correlation id), prints a summary with that
//       request's span tree and the log lines that carry its trace id, writes the scrape to artifacts/metrics.prom
//       (under the current directory), runs a scripted batch of chat calls through a fake LLM provider with cost
//       tracking (report by model, daily budget), prints the quality dashboard of the repository's latest test run
//       (else of QualityReports/) and exits 0 when every request was recorded, the trace and logs agree, every cost
//       matches the published per-token prices and the quality reports read and add up.
//
//   dotnet run --project samples/Musubi.Monitoring.Sample -- --serve --urls http://127.0.0.1:5080
//       Serve: only runs the host until Ctrl+C or SIGTERM (MUSUBI_SAMPLE_SERVE=1 does the same). Prints
//       "Listening on <address>" once bound, so --urls http://127.0.0.1:0 works too.
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Musubi.Monitoring.Logging;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Sample;

internal static class Program
{
    public const string ServeSwitch = "--serve";

    /// <summary>The log file's path; the file provider adds the date (<c>sample.20261203.log</c>).</summary>
    public static readonly string LogPath = Path.Combine("artifacts", "logs", "sample.log");

    /// <summary>Where serve mode listens when neither --urls nor ASPNETCORE_URLS says.</summary>
    public const string DefaultServeUrl = "http://127.0.0.1:5080";

    public static async Task<int> Main(string[] args)
    {
        bool serve = args.Contains(ServeSwitch, StringComparer.Ordinal)
            || Environment.GetEnvironmentVariable("MUSUBI_SAMPLE_SERVE") == "1";

        // The switch is ours; the rest (--urls, --environment, …) goes to the host's configuration.
        string[] hostArgs = [.. args.Where(a => a != ServeSwitch)];
        return serve ? await ServeAsync(hostArgs) : await Demo.RunAsync(hostArgs);
    }

    /// <summary>Builds the host. <paramref name="quiet"/> keeps the demo's console for its summary.</summary>
    public static WebApplication BuildApp(string[] args, string defaultUrl, bool quiet)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // What the ASP.NET Core templates' appsettings.json says: no line per request.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (quiet)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);

            // /api/flaky fails on purpose; the summary counts those failures instead of printing each one.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);

            // Pages from the escalation go to the log file; the summary shows them from the incident timeline.
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Musubi.Monitoring.Incidents", LogLevel.Error);
        }

        // The log file takes Information and up from every category, whatever the console shows.
        builder.Logging.AddFilter<MusubiFileLoggerProvider>(null, LogLevel.Information);

        builder.Services.AddProblemDetails();
        builder.Services.AddMusubiMonitoring(o =>
            {
                o.ServiceName = "musubi-sample";
                o.ServiceVersion = typeof(Program).Assembly.GetName().Version?.ToString(3);
                o.Environment = builder.Environment.EnvironmentName;
            })
            .AddHttpCorrelation()              // traceparent/tracestate/baggage/x-correlation-id in and out
            .AddInMemorySpanExporter()         // the demo reads one request's span tree back from it
            .AddFileLogging(o => o.Path = LogPath)
            .AddSlos(SampleMonitoring.Config().Slos)          // evaluated live, in-process, from the collector
            .AddErrorBudgetHealthCheck("flaky-availability")  // Degraded on /health/ready once its budget is spent
            .AddDependencyCheck("order-store", (services, _) => Task.FromResult(
                services.GetRequiredService<OrderStore>().Find(1) is not null
                    ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("orders readable")
                    : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("order 1 is missing")))
            .AddIncidents()                                   // the SLO page alert opens an incident; Alertmanager posts open more
            .AddOnCallSchedule(SampleIncidents.Schedule)
            .AddLoggingIncidentNotifier()                     // pages go to the log (artifacts/logs); a webhook notifier would POST them
            .AddEscalation(SampleIncidents.Policy, pageUpTo: Musubi.Monitoring.Incidents.Severity.Sev2)
            .AddReleases()
            .AddCanaries(o =>
            {
                o.TrafficFlag = PricingCandidate.Flag;        // a canary's weight is this flag's rollout percentage
                o.RecordInReleaseHistory = true;             // every canary step is a note in the release's history
            })
            .AddCosts()                                       // pricing catalogue, cost ledger, CostTracker
            .UseSqlite("Data Source=" + SampleIncidents.DatabasePath);   // incidents, releases, flags and LLM costs outlive the run
        builder.Services.AddSingleton<SloAlertLog>();
        builder.Services.AddSingleton<ISloAlertObserver>(sp => sp.GetRequiredService<SloAlertLog>());
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<Chaos>();
        builder.Services.AddSingleton<PricingCandidate>();

        // LLM calls: a FAKE provider (scripted answers, no network) behind the cost-tracking middleware.
        builder.Services.AddSingleton<FakeLlmGateway>();
        builder.Services.AddChatClient(sp => sp.GetRequiredService<FakeLlmGateway>()).UseMusubiCostTracking();

        WebApplication app = builder.Build();
        if (string.IsNullOrEmpty(app.Configuration["urls"]))
        {
            app.Urls.Add(defaultUrl);
        }

        // Unhandled exceptions become a problem+json 500. The request metrics middleware sits inside it, so a
        // failed request is counted once, as 500, under the route it was made to.
        app.UseExceptionHandler();
        app.UseMusubiRequestMetrics();

        app.MapMusubiMetrics();
        app.MapMusubiHealthChecks();   // GET /health/live, GET /health/ready
        app.MapAlertmanagerWebhook(SampleIncidents.WebhookPath, o => o.BearerToken = SampleIncidents.WebhookToken);
        app.MapGet("/", () => "Musubi.Monitoring sample: GET /api/orders/{id}, POST /api/orders, GET /api/checkout/{id}, GET /api/flaky, GET /api/slow, GET /api/price/{sku}?user=, GET /metrics, POST /alerts/alertmanager, GET /monitoring/prometheus-rules.yml, GET /monitoring/grafana-dashboard.json\n");
        app.MapGet("/api/orders/{id:int}", (int id, OrderStore orders) =>
            orders.Find(id) is { } order ? Results.Ok(order) : Results.NotFound());
        app.MapPost("/api/orders", (NewOrder request, OrderStore orders) =>
        {
            if (string.IsNullOrWhiteSpace(request.Item) || request.Quantity is < 1 or > 100)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["order"] = ["Give an item and a quantity from 1 to 100."],
                });
            }

            Order order = orders.Add(request.Item, request.Quantity);
            return Results.Created($"/api/orders/{order.Id}", order);
        });
        app.MapGet("/api/checkout/{id:int}", Checkout.RunAsync);
        app.MapGet("/api/price/{sku}", (string sku, string? user, Musubi.Monitoring.Releases.FeatureFlags flags, PricingCandidate candidate) =>
        {
            // Users the pricing-v2 flag turns on get the release candidate's pricing; the others the stable one.
            bool onCandidate = flags.IsEnabled(PricingCandidate.Flag, new Musubi.Monitoring.Releases.FeatureFlagContext { UserId = user });
            decimal price = onCandidate ? candidate.Price(sku) : 10m + (sku.Length % 7);
            return Results.Ok(new { sku, price, version = onCandidate ? candidate.Version : "stable" });
        });

        // The monitoring configuration as files: Prometheus rules (load them with rule_files) and a Grafana dashboard.
        MonitoringConfig monitoring = SampleMonitoring.Config();
        app.MapGet("/monitoring/prometheus-rules.yml", () => Results.Text(monitoring.ToPrometheusRules(), "application/yaml; charset=utf-8"))
            .DisableHttpMetrics();
        app.MapGet("/monitoring/grafana-dashboard.json", () => Results.Text(monitoring.ToGrafanaDashboard(), "application/json; charset=utf-8"))
            .DisableHttpMetrics();
        app.MapGet("/api/flaky", (Chaos chaos) => chaos.NextFlakyFails()
            ? throw new InvalidOperationException("The flaky dependency failed (deliberately, about one call in five).")
            : Results.Ok(new { ok = true }));
        app.MapGet("/api/slow", async (int? ms, Chaos chaos, TimeProvider time, CancellationToken cancellationToken) =>
        {
            // ?ms= fixes the wait (0 to 5000) for tests that need a known latency band; otherwise 50-300 ms.
            TimeSpan wait = ms is { } fixedMs ? TimeSpan.FromMilliseconds(Math.Clamp(fixedMs, 0, 5000)) : chaos.NextSlowWait();
            await Task.Delay(wait, time, cancellationToken);
            return Results.Ok(new { waitedMs = (int)wait.TotalMilliseconds });
        });
        return app;
    }

    /// <summary>Serve mode: run until stopped.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        await using WebApplication app = BuildApp(args, DefaultServeUrl, quiet: false);
        await app.StartAsync();
        Console.WriteLine("Listening on " + string.Join(", ", Addresses(app)));
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The addresses Kestrel bound (with the real port when asked for port 0).</summary>
    public static ICollection<string> Addresses(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
}
