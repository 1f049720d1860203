using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.AspNetCore.Tests.RequestMetrics;

public sealed class RequestMetricsMiddlewareTests
{
    private const string Route = "http_route";
    private const string Status = "http_response_status_code";
    private const string Method = "http_request_method";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UseMusubiRequestMetrics_TwoIdsOnOneRoute_RecordsOneSeriesUnderTheTemplate()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/api/orders/{id}", (int id) => Results.Ok(new { id }));
        });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/orders/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/orders/2", Ct)).StatusCode);

        Assert.Equal(2, await host.WaitForCountAsync(2, (Route, "/api/orders/{id}")));
        MetricSeriesSnapshot series = Assert.Single(host.Durations()!.Series);
        Assert.Equal("/api/orders/{id}", series.Label(Route));
        Assert.Equal("GET", series.Label(Method));
        Assert.Equal("200", series.Label(Status));
        Assert.Null(series.Label("error_type"));
        Assert.DoesNotContain(host.Durations()!.Series, s => s.Labels.Any(l => l.Value.Contains("/api/orders/1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_UnmatchedPath_Records404WithoutRoute()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/known", () => "ok");
        });

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("no/such/path", Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Status, "404")));
        MetricSeriesSnapshot series = Assert.Single(host.Durations()!.Series);
        Assert.Null(series.Label(Route));
        Assert.DoesNotContain(series.Labels, l => l.Value.Contains("no/such", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_HandlerThrows_Records500AndRethrows()
    {
        Exception? seenOutside = null;
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            // An outer middleware proves the exception is rethrown, not swallowed.
            app.Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e)
                {
                    seenOutside = e;
                    throw;
                }
            });
            app.UseMusubiRequestMetrics();
            app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        });

        Assert.Equal(HttpStatusCode.InternalServerError, (await host.Client.GetAsync("boom", Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/boom"), (Status, "500")));
        Assert.Equal("500", Assert.Single(host.Durations()!.Series).Label("error_type"));
        Assert.IsType<InvalidOperationException>(seenOutside);
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_WithExceptionHandler_RecordsOnceUnderTheFailedRoute()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseExceptionHandler("/error");
            app.UseMusubiRequestMetrics();
            app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
            app.MapGet("/error", () => Results.Problem(statusCode: 500));
        });

        Assert.Equal(HttpStatusCode.InternalServerError, (await host.Client.GetAsync("boom", Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/boom"), (Status, "500")));
        Assert.Single(host.Durations()!.Series);
        Assert.Equal(1, host.Count());
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_BeforeExceptionHandler_RecordsOnceUnderTheFailedRoute()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.UseExceptionHandler("/error");
            app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
            app.MapGet("/error", () => Results.Problem(statusCode: 500));
        });

        Assert.Equal(HttpStatusCode.InternalServerError, (await host.Client.GetAsync("boom", Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/boom"), (Status, "500")));
        Assert.Single(host.Durations()!.Series);
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_KnownPathOtherMethod_Records405WithoutRoute()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapPost("/api/orders", () => Results.Created());
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.Client.DeleteAsync("api/orders", Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Status, "405")));
        Assert.Null(Assert.Single(host.Durations()!.Series).Label(Route));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_PostCreated_RecordsMethodAndStatus()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapPost("/api/orders", () => Results.Created("/api/orders/7", new { id = 7 }));
        });

        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsync("api/orders", null, Ct)).StatusCode);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Method, "POST"), (Route, "/api/orders"), (Status, "201")));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_RoutingAddedAfterIt_StillRecordsTheRoute()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.UseRouting();
            app.MapGet("/items/{name}", (string name) => name);
        });

        await host.Client.GetStringAsync("items/a", Ct);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/items/{name}")));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_ScrapeEndpoint_IsNotRecorded()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapMusubiMetrics();
            app.MapGet("/ping", () => "pong");
        });

        await host.Client.GetStringAsync("metrics", Ct);
        await host.Client.GetStringAsync("metrics", Ct);
        await host.Client.GetStringAsync("ping", Ct);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/ping")));
        Assert.Equal(1, host.Count());
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_EndpointWithDisableHttpMetrics_IsNotRecorded()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/healthz", () => "ok").DisableHttpMetrics();
            app.MapGet("/ping", () => "pong");
        });

        await host.Client.GetStringAsync("healthz", Ct);
        await host.Client.GetStringAsync("ping", Ct);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/ping")));
        Assert.Equal(1, host.Count());
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_CalledTwice_RecordsEachRequestOnce()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.UseMusubiRequestMetrics();
            app.MapGet("/ping", () => "pong");
        });

        await host.Client.GetStringAsync("ping", Ct);
        await host.Client.GetStringAsync("ping", Ct);
        await host.Client.GetStringAsync("ping", Ct);

        Assert.Equal(3, await host.WaitForCountAsync(3, (Route, "/ping")));
        Assert.Equal(3, host.Count());
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_TwoHostsInOneProcess_EachCountsOnlyItsOwnRequests()
    {
        // Regression: the collector once listened to every meter of its name in the process, so each of two
        // hosts (tests, WebApplicationFactory) counted the other's requests too.
        static void Configure(WebApplication app)
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/ping", () => "pong");
        }

        await using KestrelHost first = await KestrelHost.StartAsync(Configure);
        await using KestrelHost second = await KestrelHost.StartAsync(Configure);

        await first.Client.GetStringAsync("ping", Ct);
        await second.Client.GetStringAsync("ping", Ct);
        await second.Client.GetStringAsync("ping", Ct);

        Assert.Equal(2, await second.WaitForCountAsync(2, (Route, "/ping")));
        Assert.Equal(1, await first.WaitForCountAsync(1, (Route, "/ping")));
        Assert.Equal(1, first.Count());
        Assert.Equal(2, second.Count());
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_Duration_IsMeasuredWithTheRegisteredTimeProvider()
    {
        var time = new FakeTimeProvider();
        await using KestrelHost host = await KestrelHost.StartAsync(
            app =>
            {
                app.UseMusubiRequestMetrics();
                app.MapGet("/work", () =>
                {
                    time.Advance(TimeSpan.FromMilliseconds(300));
                    return "done";
                });
            },
            services => services.AddSingleton<TimeProvider>(time));

        await host.Client.GetStringAsync("work", Ct);
        await host.Client.GetStringAsync("work", Ct);

        Assert.Equal(2, await host.WaitForCountAsync(2, (Route, "/work")));
        HistogramSnapshot histogram = Assert.Single(host.Durations()!.Series).Histogram!;
        Assert.Equal(0.6, histogram.Sum, 9);

        // Both in the (0.25, 0.5] bucket of the semantic-convention boundaries.
        int bucket = histogram.Bounds.ToList().IndexOf(0.5);
        Assert.Equal(2, histogram.BucketCounts[bucket]);
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_ClientAborts_Records499()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/hang", async (HttpContext context) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            });
        });

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<HttpResponseMessage> request = host.Client.GetAsync("hang", abort.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        Assert.Equal(1, await host.WaitForCountAsync(1, (Route, "/hang"), (Status, "499")));
        Assert.Null(Assert.Single(host.Durations()!.Series).Label("error_type"));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_RecordingThrows_RequestStillSucceedsAndFailureIsReported()
    {
        using var events = new CollectingEventListener("Musubi-Monitoring-AspNetCore");
        using var hostile = new MeterListener();
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.UseMusubiRequestMetrics();
            app.MapGet("/ping", () => "pong");
        });

        // Another listener whose callback throws: Histogram.Record throws into whoever records. Only this host's
        // meter is listened to, so parallel tests are not affected.
        Meter meter = host.App.Services.GetRequiredService<MusubiMetrics>().Meter;
        hostile.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        hostile.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("hostile listener"));
        hostile.Start();

        HttpResponseMessage response = await host.Client.GetAsync("ping", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync(Ct));
        long started = TimeProvider.System.GetTimestamp();
        while (!events.Events.Any(e => e.EventId == 1 && e.Payload![0]!.ToString()!.Contains("hostile listener", StringComparison.Ordinal))
            && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10, Ct);
        }

        Assert.Contains(events.Events, e => e.EventId == 1 && e.Payload![0]!.ToString()!.Contains("hostile listener", StringComparison.Ordinal));
    }

    [Fact]
    public void UseMusubiRequestMetrics_NullApp_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("app", () => MusubiRequestMetricsApplicationBuilderExtensions.UseMusubiRequestMetrics(null!));
    }

    [Fact]
    public async Task UseMusubiRequestMetrics_WithoutAddMusubiMonitoring_ThrowsInvalidOperationException()
    {
        var builder = WebApplication.CreateBuilder();
        await using WebApplication app = builder.Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.UseMusubiRequestMetrics());
        Assert.Contains("AddMusubiMonitoring", e.Message, StringComparison.Ordinal);
    }
}
