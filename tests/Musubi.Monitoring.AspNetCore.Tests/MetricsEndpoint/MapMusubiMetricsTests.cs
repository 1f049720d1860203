using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.AspNetCore.Tests.MetricsEndpoint;

public sealed class MapMusubiMetricsTests
{
    /// <summary>What Prometheus 2.42 sends when it scrapes (scrape.go, acceptHeader).</summary>
    private const string Prometheus242Accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KestrelHost> StartWithTrafficAsync(string pattern = "/metrics") => KestrelHost.StartAsync(app =>
    {
        app.UseMusubiRequestMetrics();
        app.MapMusubiMetrics(pattern);
        app.MapGet("/api/orders/{id}", (int id) => id);
    });

    private static async Task<HttpResponseMessage> GetAsync(KestrelHost host, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await host.Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task MapMusubiMetrics_NoAccept_ServesPrometheusTextWithRecordedRequests()
    {
        await using KestrelHost host = await StartWithTrafficAsync();
        await host.Client.GetStringAsync("api/orders/1", Ct);
        await host.WaitForCountAsync(1);

        HttpResponseMessage response = await GetAsync(host, "metrics");
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExpositionFormats.PrometheusTextContentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(response.Content.Headers.ContentLength, System.Text.Encoding.UTF8.GetByteCount(body));
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", body, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/orders/{id}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/openmetrics-text; version=1.0.0", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [InlineData(Prometheus242Accept, ExpositionFormat.OpenMetrics)]
    [InlineData("application/json", ExpositionFormat.Json)]
    [InlineData("text/plain;version=0.0.4", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ExpositionFormat.PrometheusText)]
    [InlineData("application/json;q=0.5, application/openmetrics-text;version=1.0.0;q=0.9", ExpositionFormat.OpenMetrics)]
    [InlineData("image/png", ExpositionFormat.PrometheusText)]
    public async Task MapMusubiMetrics_Accept_NegotiatesFormatAndContentType(string accept, ExpositionFormat expected)
    {
        await using KestrelHost host = await StartWithTrafficAsync();

        HttpResponseMessage response = await GetAsync(host, "metrics", accept);
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExpositionFormats.ContentType(expected), response.Content.Headers.ContentType!.ToString());
        AssertIsFormat(expected, body);
    }

    [Theory]
    [InlineData("text", ExpositionFormat.PrometheusText)]
    [InlineData("prometheus", ExpositionFormat.PrometheusText)]
    [InlineData("openmetrics", ExpositionFormat.OpenMetrics)]
    [InlineData("OpenMetrics", ExpositionFormat.OpenMetrics)]
    [InlineData("json", ExpositionFormat.Json)]
    public async Task MapMusubiMetrics_FormatQuery_OverridesAccept(string format, ExpositionFormat expected)
    {
        await using KestrelHost host = await StartWithTrafficAsync();

        HttpResponseMessage response = await GetAsync(host, "metrics?format=" + format, Prometheus242Accept);
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExpositionFormats.ContentType(expected), response.Content.Headers.ContentType!.ToString());
        AssertIsFormat(expected, body);
    }

    [Theory]
    [InlineData("xml", "'xml'")]
    [InlineData("", "''")]
    [InlineData("json%20", "'json '")]
    public async Task MapMusubiMetrics_UnknownFormatQuery_Returns400NamingTheValue(string format, string named)
    {
        await using KestrelHost host = await StartWithTrafficAsync();

        HttpResponseMessage response = await GetAsync(host, "metrics?format=" + format);
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(named, body, StringComparison.Ordinal);
        Assert.Contains("text, openmetrics or json", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapMusubiMetrics_FormatQueryTwice_Returns400()
    {
        await using KestrelHost host = await StartWithTrafficAsync();

        HttpResponseMessage response = await GetAsync(host, "metrics?format=json&format=text");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2 times", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapMusubiMetrics_Post_IsNotServed()
    {
        await using KestrelHost host = await StartWithTrafficAsync();

        HttpResponseMessage response = await host.Client.PostAsync("metrics", null, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task MapMusubiMetrics_CustomPattern_ServesThereOnly()
    {
        await using KestrelHost host = await StartWithTrafficAsync("/internal/metrics");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "internal/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(host, "metrics")).StatusCode);
    }

    [Fact]
    public async Task MapMusubiMetrics_CollectorFails_Returns500AndReportsWithoutStoppingTheHost()
    {
        using var events = new CollectingEventListener("Musubi-Monitoring-AspNetCore");
        await using KestrelHost host = await StartWithTrafficAsync();

        // A disposed collector refuses to write: the nearest thing to a scrape failing for real.
        host.Collector.Dispose();
        HttpResponseMessage response = await GetAsync(host, "metrics");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("scrape failed", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(events.Events, e => e.EventId == 2 && e.Payload![0]!.ToString()!.Contains(nameof(ObjectDisposedException), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "api/orders/1")).StatusCode);
    }

    [Fact]
    public async Task MapMusubiMetrics_CalledTwiceWithOnePattern_ThrowsInvalidOperationException()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.MapMusubiMetrics();
            var e = Assert.Throws<InvalidOperationException>(() => app.MapMusubiMetrics("/metrics/"));
            Assert.Contains("/metrics/", e.Message, StringComparison.Ordinal);
        });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "metrics")).StatusCode);
    }

    [Fact]
    public async Task MapMusubiMetrics_CalledTwiceWithTwoPatterns_ServesBoth()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(app =>
        {
            app.MapMusubiMetrics();
            app.MapMusubiMetrics("/internal/metrics");
        });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "internal/metrics")).StatusCode);
    }

    [Fact]
    public void MapMusubiMetrics_NullEndpoints_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("endpoints", () => MusubiMetricsEndpointRouteBuilderExtensions.MapMusubiMetrics(null!));
    }

    [Fact]
    public async Task MapMusubiMetrics_NullPattern_ThrowsArgumentNullException()
    {
        await using WebApplication app = BuildApp(addMonitoring: true);

        Assert.Throws<ArgumentNullException>("pattern", () => app.MapMusubiMetrics(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/metrics/{")]
    public async Task MapMusubiMetrics_BadPattern_ThrowsArgumentException(string pattern)
    {
        await using WebApplication app = BuildApp(addMonitoring: true);

        var e = Assert.Throws<ArgumentException>(nameof(pattern), () => app.MapMusubiMetrics(pattern));
        Assert.IsNotType<ArgumentNullException>(e);
    }

    [Fact]
    public async Task MapMusubiMetrics_WithoutAddMusubiMonitoring_ThrowsInvalidOperationException()
    {
        await using WebApplication app = BuildApp(addMonitoring: false);

        var e = Assert.Throws<InvalidOperationException>(() => app.MapMusubiMetrics());
        Assert.Contains("AddMusubiMonitoring", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapMusubiMetrics_Endpoint_CarriesDisableHttpMetricsAndADisplayName()
    {
        await using WebApplication app = BuildApp(addMonitoring: true);
        app.MapMusubiMetrics();

        Endpoint endpoint = Assert.Single(((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints));

        Assert.NotNull(endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IDisableHttpMetricsMetadata>());
        Assert.Equal("Musubi metrics scrape /metrics", endpoint.DisplayName);
    }

    private static WebApplication BuildApp(bool addMonitoring)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        if (addMonitoring)
        {
            builder.Services.AddMusubiMonitoring();
        }

        return builder.Build();
    }

    private static void AssertIsFormat(ExpositionFormat format, string body)
    {
        switch (format)
        {
            case ExpositionFormat.OpenMetrics:
                Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
                Assert.Contains("# TYPE target info\n", body, StringComparison.Ordinal);
                break;
            case ExpositionFormat.PrometheusText:
                Assert.DoesNotContain("# EOF", body, StringComparison.Ordinal);
                Assert.Contains("# TYPE target_info gauge\n", body, StringComparison.Ordinal);
                break;
            case ExpositionFormat.Json:
                using (JsonDocument.Parse(body))
                {
                }

                break;
        }
    }
}
