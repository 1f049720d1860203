using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Quality.Cli.Tests.Support;

namespace Musubi.Monitoring.Quality.Cli.Tests.HealthCheck;

public sealed class HealthCheckCommandTests
{
    private static Task<HealthHost> StartMixedAsync(bool criticalFails, bool optionalFails) =>
        HealthHost.StartMusubiAsync(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(!criticalFails))
            .AddDependencyCheck(
                "recommendations",
                (_, _) => Task.FromResult(optionalFails ? HealthCheckResult.Degraded("serving cached results") : HealthCheckResult.Healthy("fresh")),
                o => o.Critical = false));

    [Fact]
    public async Task HealthCheck_AllChecksHealthy_Exits0AndPrintsEveryCheck()
    {
        await using HealthHost host = await StartMixedAsync(criticalFails: false, optionalFails: false);
        string url = host.Url("health/ready");

        CliRun run = await CliRun.RunAsync("health-check", "--url", url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        string[] lines = run.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.StartsWith($"{url}: Healthy (HTTP 200, ", lines[0]);
        Assert.EndsWith(", 2 checks)", lines[0]);
        Assert.Matches(@"^CHECK\s+STATUS\s+CRITICAL\s+DURATION\s+DESCRIPTION$", lines[1]);
        Assert.Matches(@"^db\s+Healthy\s+yes\s+[0-9.]+ ms$", lines[2]);
        Assert.Matches(@"^recommendations\s+Healthy\s+no\s+[0-9.]+ ms\s+fresh$", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public async Task HealthCheck_NonCriticalCheckDegraded_Exits2AndShowsItsDescription()
    {
        await using HealthHost host = await StartMixedAsync(criticalFails: false, optionalFails: true);

        CliRun run = await CliRun.RunAsync("health-check", "--url", host.Url("health/ready"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(": Degraded (HTTP 200, ", run.Output);
        Assert.Matches(@"(?m)^recommendations\s+Degraded\s+no\s+[0-9.]+ ms\s+serving cached results\r?$", run.Output);
    }

    [Fact]
    public async Task HealthCheck_CriticalCheckFails_Exits3WithTheHttp503Answer()
    {
        await using HealthHost host = await StartMixedAsync(criticalFails: true, optionalFails: true);

        CliRun run = await CliRun.RunAsync("health-check", "--url", host.Url("health/ready"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(": Unhealthy (HTTP 503, ", run.Output);
        Assert.Matches(@"(?m)^db\s+Unhealthy\s+yes\s+[0-9.]+ ms", run.Output);
    }

    [Fact]
    public async Task HealthCheck_CheckThrows_ShowsTheErrorOfTheReport()
    {
        await using HealthHost host = await HealthHost.StartMusubiAsync(b => b
            .AddDependencyCheck("queue", _ => throw new InvalidOperationException("broker gone")));

        CliRun run = await CliRun.RunAsync("health-check", "--url", host.Url("health/ready"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("InvalidOperationException: broker gone", run.Output);
    }

    [Fact]
    public async Task HealthCheck_FormatJson_WritesEveryCheckWithInvariantNumbers()
    {
        await using HealthHost host = await StartMixedAsync(criticalFails: false, optionalFails: true);
        string url = host.Url("health/ready");

        CliRun run = await CliRun.RunAsync("health-check", "--url", url, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(url, root.GetProperty("url").GetString());
        Assert.Equal(200, root.GetProperty("http_status").GetInt32());
        Assert.Equal("Degraded", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("duration_ms").ValueKind);
        JsonElement[] checks = [.. root.GetProperty("checks").EnumerateArray()];
        Assert.Equal(["db", "recommendations"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["Healthy", "Degraded"], checks.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal([true, false], checks.Select(c => c.GetProperty("critical").GetBoolean()));
        Assert.Equal("serving cached results", checks[1].GetProperty("description").GetString());
        Assert.Equal(["ready"], checks[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task HealthCheck_PlainAspNetCoreEndpoint_ReadsTheStatusText()
    {
        await using HealthHost host = await HealthHost.StartAsync(
            services => services.AddHealthChecks().AddCheck("disk", () => HealthCheckResult.Degraded("low space")),
            app => app.MapHealthChecks("/healthz"));

        CliRun run = await CliRun.RunAsync("health-check", "--url", host.Url("healthz"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{host.Url("healthz")}: Degraded (HTTP 200, no checks listed)", run.Output.TrimEnd());
    }

    [Fact]
    public async Task HealthCheck_PlainAspNetCoreEndpointUnhealthy_Exits3()
    {
        await using HealthHost host = await HealthHost.StartAsync(
            services => services.AddHealthChecks().AddCheck("disk", () => HealthCheckResult.Unhealthy()),
            app => app.MapHealthChecks("/healthz"));

        CliRun run = await CliRun.RunAsync("health-check", "--url", host.Url("healthz"), "--format", "json");

        Assert.Equal(3, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal(503, json.RootElement.GetProperty("http_status").GetInt32());
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Empty(json.RootElement.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task HealthCheck_NotAHealthEndpoint_Exits4NamingTheUrlAndStatus()
    {
        await using HealthHost host = await HealthHost.StartMusubiAsync(b => b.AddDependencyCheck("db", _ => Task.FromResult(true)));
        string url = host.Url("nothing-here");

        CliRun run = await CliRun.RunAsync("health-check", "--url", url);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains($"{url} answered HTTP 404 (NotFound), which is not a health report", run.Error);
    }

    [Fact]
    public async Task HealthCheck_ConnectionRefused_Exits4NamingTheUrl()
    {
        // A port that was just free and has nothing listening.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string url = $"http://127.0.0.1:{port}/health/ready";

        CliRun run = await CliRun.RunAsync("health-check", "--url", url, "--format", "json");

        Assert.Equal(4, run.ExitCode);
        Assert.StartsWith($"Cannot reach {url}: ", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal("Unreachable", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("http_status").ValueKind);
        Assert.StartsWith($"Cannot reach {url}: ", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task HealthCheck_BodyOver4MiB_Exits4SayingTheHostAnsweredNotThatItCannotBeReached()
    {
        await using HealthHost host = await HealthHost.StartAsync(
            _ => { },
            app => app.MapGet("/big", () => Results.Text(new string('x', 5 * 1024 * 1024))));
        string url = host.Url("big");

        CliRun run = await CliRun.RunAsync("health-check", "--url", url);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal($"{url} answered HTTP 200 (OK) with a body over 4 MiB, which is not a health report.", run.Error.TrimEnd());
    }

    [Fact]
    public async Task HealthCheck_HostNeverAnswers_TimesOutOnTheInjectedClock()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using HealthHost host = await HealthHost.StartAsync(
            _ => { },
            app => app.MapGet("/hang", async (HttpContext context) =>
            {
                received.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }));
        var time = new FakeTimeProvider();
        string url = host.Url("hang");

        Task<CliRun> run = CliRun.RunAsync(time, Directory.GetCurrentDirectory(), "health-check", "--url", url, "--timeout", "2.5");
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(2.4));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        CliRun result = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal($"{url} did not answer within 2.5 s (--timeout).", result.Error.TrimEnd());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/health")]
    [InlineData("/health/ready")]
    public async Task HealthCheck_BadUrl_Exits1NamingIt(string url)
    {
        CliRun run = await CliRun.RunAsync("health-check", "--url", url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--url '{url}' is not an absolute http:// or https:// URL.", run.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3601")]
    public async Task HealthCheck_TimeoutOutOfRange_Exits1NamingIt(string seconds)
    {
        CliRun run = await CliRun.RunAsync("health-check", "--url", "http://127.0.0.1:1/", "--timeout", seconds);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--timeout {seconds} is out of range", run.Error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10s")]
    [InlineData("NaN")]
    [InlineData("2,5")]
    public async Task HealthCheck_TimeoutNotANumber_Exits1NamingItInsteadOfCrashing(string seconds)
    {
        CliRun run = await CliRun.RunAsync("health-check", "--url", "http://127.0.0.1:1/", "--timeout", seconds);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--timeout '{seconds}' is not a number of seconds", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    [Fact]
    public async Task HealthCheck_TimeoutUnderAGermanCulture_IsReadWithADecimalPoint()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            CliRun run = await CliRun.RunAsync("health-check", "--url", "http://127.0.0.1:1/", "--timeout", "3600.5");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("--timeout 3600.5 is out of range", run.Error);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public async Task HealthCheck_NoUrl_Exits1SayingItIsRequired()
    {
        CliRun run = await CliRun.RunAsync("health-check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--url", run.Error);
    }

    [Fact]
    public async Task HealthCheck_UnknownFormat_Exits1()
    {
        CliRun run = await CliRun.RunAsync("health-check", "--url", "http://127.0.0.1:1/", "--format", "yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("yaml", run.Error);
    }

    [Fact]
    public async Task HealthCheck_Help_DocumentsTheOptionsAndExitCodes()
    {
        CliRun run = await CliRun.RunAsync("health-check", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("musubi-validate health-check [options]", run.Output);
        Assert.Contains("--url <url>", run.Output);
        Assert.Contains("--timeout <seconds>", run.Output);
        Assert.Contains("--format <text|json>", run.Output);
        Assert.Contains("0 Healthy, 2 Degraded, 3 Unhealthy, 4 no health answer", run.Output);
    }

    [Fact]
    public async Task HealthCheck_OnATerminal_DrawsAColouredTable()
    {
        await using HealthHost host = await StartMixedAsync(criticalFails: false, optionalFails: true);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, TimeProvider.System, Directory.GetCurrentDirectory()) { IsTerminal = true, Unicode = true, Width = 120 };

        int code = await ValidateCli.RunAsync(["health-check", "--url", host.Url("health/ready")], context, TestContext.Current.CancellationToken);

        Assert.Equal(2, code);
        string text = output.ToString();
        Assert.Contains("\u001b[", text);
        Assert.Contains("╭", text);
        Assert.Contains("serving cached results", text);
    }
}
