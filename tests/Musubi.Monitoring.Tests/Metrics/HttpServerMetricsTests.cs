using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class HttpServerMetricsTests
{
    [Fact]
    public void RecordRequest_Success_UsesOpenTelemetryNamesAndLabels()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("GET", "/orders/{id}", 200, TimeSpan.FromMilliseconds(12));

        MetricFamilySnapshot family = harness.Collect().Find("http_server_request_duration_seconds")!;
        Assert.Equal(MetricType.Histogram, family.Type);
        Assert.Equal("seconds", family.Unit);
        MetricSeriesSnapshot series = Assert.Single(family.Series);
        Assert.Equal(
            [new("http_request_method", "GET"), new("http_response_status_code", "200"), new KeyValuePair<string, string>("http_route", "/orders/{id}")],
            series.Labels);
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], series.Histogram!.Bounds);
        Assert.Equal(1, series.Histogram.BucketCounts[2]);
        Assert.Equal(0.012, series.Histogram.Sum, 12);

        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{http_request_method=\"GET\",http_response_status_code=\"200\",http_route=\"/orders/{id}\",le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        string om = harness.Scrape(ExpositionFormat.OpenMetrics);
        Assert.Contains("# UNIT http_server_request_duration_seconds seconds\n", om, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FOO", "_OTHER")]
    [InlineData("get", "GET")]
    [InlineData("Patch", "PATCH")]
    [InlineData("", "_OTHER")]
    [InlineData(null, "_OTHER")]
    public void RecordRequest_Method_IsNormalized(string? method, string expected)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest(method!, "/", 204, TimeSpan.FromMilliseconds(1));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("http_server_request_duration_seconds")!.Series);
        Assert.Equal(expected, series.Label("http_request_method"));
    }

    [Theory]
    [InlineData(500, "500")]
    [InlineData(503, "503")]
    [InlineData(599, "599")]
    [InlineData(600, "600")]
    public void RecordRequest_ServerError_AddsErrorType(int status, string expected)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("POST", "/orders", status, TimeSpan.FromSeconds(1.2));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("http_server_request_duration_seconds")!.Series);
        Assert.Equal(expected, series.Label("error_type"));
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), series.Label("http_response_status_code"));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(404)]
    [InlineData(499)]
    public void RecordRequest_NotServerError_HasNoErrorType(int status)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("GET", "/", status, TimeSpan.FromMilliseconds(3));
        Assert.Null(Assert.Single(harness.Collect().Find("http_server_request_duration_seconds")!.Series).Label("error_type"));
    }

    [Fact]
    public void RecordRequest_NoRoute_HasNoRouteLabel()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("GET", null, 404, TimeSpan.FromMilliseconds(3));
        Assert.Null(Assert.Single(harness.Collect().Find("http_server_request_duration_seconds")!.Series).Label("http_route"));
    }

    [Fact]
    public void RecordRequest_SameRequestTwice_IsOneSeries()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.RecordRequest("GET", "/a", 200, TimeSpan.FromMilliseconds(3));
        harness.Metrics.RecordRequest("get", "/a", 200, TimeSpan.FromMilliseconds(300));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("http_server_request_duration_seconds")!.Series);
        Assert.Equal(2, series.Histogram!.Count);
    }
}
