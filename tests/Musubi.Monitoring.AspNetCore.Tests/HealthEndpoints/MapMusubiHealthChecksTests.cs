using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Health;

namespace Musubi.Monitoring.AspNetCore.Tests.HealthEndpoints;

public sealed class MapMusubiHealthChecksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KestrelHost> StartAsync(Action<MusubiMonitoringBuilder> checks, Action<WebApplication>? configure = null, TimeProvider? time = null) =>
        KestrelHost.StartAsync(
            app =>
            {
                configure?.Invoke(app);
                app.MapMusubiHealthChecks();
            },
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                checks(services.AddMusubiMonitoring());
            });

    private static async Task<(HttpResponseMessage Response, string Body, JsonElement Json)> GetAsync(KestrelHost host, string path)
    {
        HttpResponseMessage response = await host.Client.GetAsync(path, Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);
        using JsonDocument document = JsonDocument.Parse(body);
        return (response, body, document.RootElement.Clone());
    }

    private static JsonElement Check(JsonElement json, string name) =>
        Assert.Single(json.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Live_FailingReadyCheck_Returns200WithoutRunningIt()
    {
        int runs = 0;
        await using KestrelHost host = await StartAsync(b => b.AddDependencyCheck("db", _ =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(false);
        }));

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("duration_ms").ValueKind);
        Assert.Empty(json.GetProperty("checks").EnumerateArray());
        Assert.Equal(0, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Ready_AllChecksHealthy_Returns200WithEveryCheckInTheDocumentedShape()
    {
        await using KestrelHost host = await StartAsync(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(true))
            .AddDependencyCheck("cache", _ => Task.FromResult(true), o => o.Critical = false));

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["status", "duration_ms", "checks"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", json.GetProperty("status").GetString());
        Assert.Equal(["db", "cache"], json.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        JsonElement db = Check(json, "db");
        Assert.Equal(["name", "status", "critical", "duration_ms", "description", "error", "tags"], db.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", db.GetProperty("status").GetString());
        Assert.True(db.GetProperty("critical").GetBoolean());
        Assert.True(db.GetProperty("duration_ms").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, db.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, db.GetProperty("error").ValueKind);
        Assert.Equal(["ready"], db.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(Check(json, "cache").GetProperty("critical").GetBoolean());
    }

    [Fact]
    public async Task Ready_CriticalCheckFails_Returns503Unhealthy()
    {
        await using KestrelHost host = await StartAsync(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(false))
            .AddDependencyCheck("cache", _ => Task.FromResult(true), o => o.Critical = false));

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", json.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Check(json, "db").GetProperty("status").GetString());
        Assert.Equal("probe returned false", Check(json, "db").GetProperty("description").GetString());
        Assert.Equal("Healthy", Check(json, "cache").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_NonCriticalCheckFails_Returns200Degraded()
    {
        await using KestrelHost host = await StartAsync(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(true))
            .AddDependencyCheck("cache", _ => Task.FromResult(false), o => o.Critical = false));

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", json.GetProperty("status").GetString());
        Assert.Equal("Degraded", Check(json, "cache").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_CheckThrows_Returns503WithTheErrorAndKeepsServing()
    {
        await using KestrelHost host = await StartAsync(b => b
            .AddDependencyCheck("db", async _ => { await Task.Yield(); throw new InvalidOperationException("connection refused"); })
            .AddDependencyCheck<ThrowingCheck>("typed", o => o.Critical = false));

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        JsonElement db = Check(json, "db");
        Assert.Equal("Unhealthy", db.GetProperty("status").GetString());
        Assert.Equal("threw InvalidOperationException: connection refused", db.GetProperty("description").GetString());
        Assert.Equal("InvalidOperationException: connection refused", db.GetProperty("error").GetString());
        JsonElement typed = Check(json, "typed");
        Assert.Equal("Degraded", typed.GetProperty("status").GetString());
        Assert.Equal("NotSupportedException: typed check broke", typed.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("health/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("health/live", Ct)).StatusCode);
    }

    [Fact]
    public async Task Ready_CheckIgnoresItsTimeout_Returns503TimedOutOnceTheFakeClockPassesIt()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await StartAsync(
            b => b.AddDependencyCheck("db", _ => { started.TrySetResult(); return never.Task; }, o => o.Timeout = TimeSpan.FromSeconds(2)),
            time: time);

        Task<HttpResponseMessage> request = host.Client.GetAsync("health/ready", Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromSeconds(2));
        HttpResponseMessage response = await request.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        JsonElement db = Check(document.RootElement, "db");
        Assert.Equal("Unhealthy", db.GetProperty("status").GetString());
        Assert.Equal("timed out after 00:00:02", db.GetProperty("description").GetString());
        Assert.StartsWith("TimeoutException: ", db.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2000d, db.GetProperty("duration_ms").GetDouble());
        never.SetResult(true);
    }

    [Fact]
    public async Task Ready_ChecksWithoutTheReadyTag_AreNotRunAndFrameworkChecksTaggedReadyAre()
    {
        int untaggedRuns = 0;
        await using KestrelHost host = await StartAsync(b =>
        {
            b.AddDependencyCheck("startup-only", _ => { Interlocked.Increment(ref untaggedRuns); return Task.FromResult(false); }, o => o.Tags.Clear());
            b.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy("fine"), tags: ["ready"]);
        });

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement self = Assert.Single(json.GetProperty("checks").EnumerateArray());
        Assert.Equal("self", self.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, self.GetProperty("critical").ValueKind);
        Assert.Equal("fine", self.GetProperty("description").GetString());
        Assert.Equal(0, Volatile.Read(ref untaggedRuns));
    }

    [Fact]
    public async Task Ready_ThreadCultureGerman_WritesInvariantNumbers()
    {
        var time = new FakeTimeProvider();
        await using KestrelHost host = await StartAsync(
            b => b.AddDependencyCheck("db", _ =>
            {
                time.Advance(TimeSpan.FromTicks(12_345_678)); // 1234.5678 ms
                return Task.FromResult(true);
            }),
            app => app.Use((context, next) =>
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
                return next(context);
            }),
            time);

        (HttpResponseMessage response, string body, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"duration_ms\":1234.568,", body, StringComparison.Ordinal);
        Assert.Equal(1234.568, Check(json, "db").GetProperty("duration_ms").GetDouble());
    }

    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Endpoints_Response_IsUtf8JsonNotCachedWithLength(string path)
    {
        await using KestrelHost host = await StartAsync(b => b.AddDependencyCheck("db", _ => Task.FromResult(false)));

        (HttpResponseMessage response, string body, _) = await GetAsync(host, path);

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Endpoints_HealthProbes_AreNotRecordedAsRequests()
    {
        await using KestrelHost host = await StartAsync(
            b => b.AddDependencyCheck("db", _ => Task.FromResult(true)),
            app =>
            {
                app.UseMusubiRequestMetrics();
                app.MapGet("/api/ping", () => "pong");
            });

        await host.Client.GetAsync("health/live", Ct);
        await host.Client.GetAsync("health/ready", Ct);
        await host.Client.GetStringAsync("api/ping", Ct);

        Assert.Equal(1, await host.WaitForCountAsync(1));
        Assert.Equal(1, host.Count(("http_route", "/api/ping")));
    }

    [Fact]
    public async Task MapMusubiHealthChecks_CustomPatternsAndRequireHost_ApplyToBothEndpoints()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(
            app =>
            {
                app.MapMusubiHealthChecks("/internal/alive", "/internal/ready");
                app.MapMusubiHealthChecks("/guarded/live", "/guarded/ready").RequireHost("health.example");
            },
            s => s.AddMusubiMonitoring().AddDependencyCheck("db", _ => Task.FromResult(true)));

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("internal/alive", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("internal/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("guarded/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("guarded/ready", Ct)).StatusCode);
    }

    [Fact]
    public async Task MapMusubiHealthChecks_Endpoints_CarryDisableHttpMetricsAndDisplayNames()
    {
        await using WebApplication app = BuildApp(addChecks: true);
        app.MapMusubiHealthChecks();

        Endpoint[] endpoints = [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints)];

        Assert.Equal(["Musubi health liveness /health/live", "Musubi health readiness /health/ready"], endpoints.Select(e => e.DisplayName));
        Assert.All(endpoints, e => Assert.NotNull(e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IDisableHttpMetricsMetadata>()));
    }

    [Fact]
    public void MapMusubiHealthChecks_NullEndpoints_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("endpoints", () => MusubiHealthEndpointRouteBuilderExtensions.MapMusubiHealthChecks(null!));
    }

    [Fact]
    public async Task MapMusubiHealthChecks_NullPatterns_ThrowArgumentNullException()
    {
        await using WebApplication app = BuildApp(addChecks: true);

        Assert.Throws<ArgumentNullException>("livePattern", () => app.MapMusubiHealthChecks(livePattern: null!));
        Assert.Throws<ArgumentNullException>("readyPattern", () => app.MapMusubiHealthChecks(readyPattern: null!));
    }

    [Theory]
    [InlineData("", "/health/ready", "livePattern")]
    [InlineData("   ", "/health/ready", "livePattern")]
    [InlineData("/health/live", "/health/{", "readyPattern")]
    [InlineData("/health", "/health/", "readyPattern")]
    public async Task MapMusubiHealthChecks_BadPatterns_ThrowArgumentException(string live, string ready, string parameter)
    {
        await using WebApplication app = BuildApp(addChecks: true);

        ArgumentException e = Assert.Throws<ArgumentException>(parameter, () => app.MapMusubiHealthChecks(live, ready));
        Assert.IsNotType<ArgumentNullException>(e);
    }

    [Fact]
    public async Task MapMusubiHealthChecks_WithoutHealthCheckServices_ThrowsInvalidOperationException()
    {
        await using WebApplication app = BuildApp(addChecks: false);

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => app.MapMusubiHealthChecks());
        Assert.Contains("AddHealthChecks", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapMusubiHealthChecks_OnlyAddHealthChecks_ServesLiveAndEmptyReady()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app => app.MapMusubiHealthChecks(), s => s.AddHealthChecks());

        (HttpResponseMessage response, _, JsonElement json) = await GetAsync(host, "health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(json.GetProperty("checks").EnumerateArray());
    }

    private static WebApplication BuildApp(bool addChecks)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        MusubiMonitoringBuilder monitoring = builder.Services.AddMusubiMonitoring();
        if (addChecks)
        {
            monitoring.AddDependencyCheck("db", _ => Task.FromResult(true));
        }

        return builder.Build();
    }

    internal sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("typed check broke");
    }
}
