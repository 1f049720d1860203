using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Musubi.Monitoring.IntegrationTests.Support;

namespace Musubi.Monitoring.IntegrationTests;

/// <summary>
/// The sample host scraped by a real Prometheus (Debian's 2.42 here), which asks for OpenMetrics first: what it
/// stores must be exactly what was sent.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string Count = "http_server_request_duration_seconds_count";
    private const string Bucket = "http_server_request_duration_seconds_bucket";
    private const int OrderReads = 37;
    private const int OrderCreations = 5;
    private const int FlakyCalls = 10;
    private const int SlowCalls = 20;
    private const int SlowMilliseconds = 150;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_ScrapingTheSample_StoresExactCountsAndTheLatencyBand()
    {
        string prometheus = RequiredTool.Find("prometheus");
        await using SampleHost sample = await SampleHost.StartAsync(Ct);
        await using PrometheusServer server = await PrometheusServer.StartAsync(prometheus, sample.BaseAddress.Authority, Ct);

        // The target is up: Prometheus parsed a scrape of our OpenMetrics without error.
        (string Health, string LastError) target = ("unknown", string.Empty);
        await Deadline.PollAsync(s_timeout, async c =>
        {
            target = await server.TargetAsync(c);
            return target.Health == "up" ? target.Health : null;
        }, Ct);
        Assert.True(target.Health == "up", $"The target is {target.Health}: {target.LastError}\n{Diagnostics(sample, server)}");

        // Known traffic, over real HTTP.
        for (int id = 1; id <= OrderReads; id++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sample.Client.GetAsync($"api/orders/{id}", Ct)).StatusCode);
        }

        for (int i = 0; i < OrderCreations; i++)
        {
            HttpResponseMessage created = await sample.Client.PostAsJsonAsync("api/orders", new { item = "tea", quantity = 2 }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        int flakyFailures = 0;
        for (int i = 0; i < FlakyCalls; i++)
        {
            HttpResponseMessage flaky = await sample.Client.GetAsync("api/flaky", Ct);
            flakyFailures += flaky.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        // One after another, so the calls span several scrapes and rate() sees the counters grow.
        for (int i = 0; i < SlowCalls; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sample.Client.GetAsync($"api/slow?ms={SlowMilliseconds}", Ct)).StatusCode);
        }

        // Prometheus stores exactly what was sent, one series per route template, not per URL.
        await AssertEventuallyAsync(server, sample, $$"""sum({{Count}}{http_route="/api/orders/{id:int}"})""", OrderReads);
        await AssertEventuallyAsync(server, sample, $$"""count({{Count}}{http_route="/api/orders/{id:int}"})""", 1);
        await AssertEventuallyAsync(server, sample, $$"""sum({{Count}}{http_route="/api/orders",http_request_method="POST",http_response_status_code="201"})""", OrderCreations);
        await AssertEventuallyAsync(server, sample, $$"""sum({{Count}}{http_route="/api/flaky"})""", FlakyCalls);
        await AssertEventuallyAsync(server, sample, $$"""sum({{Count}}{http_route="/api/flaky",error_type="500"}) or vector(0)""", flakyFailures);
        await AssertEventuallyAsync(server, sample, $$"""sum({{Count}}{http_route="/api/slow"})""", SlowCalls);

        // Scrapes are not recorded as requests.
        Assert.Null(await server.ScalarAsync($$"""sum({{Count}}{http_route="/metrics"})""", Ct));

        // Every /api/slow call waited 150 ms: none is in a bucket at or below 0.1 s, and the median lies in
        // (0.1, 0.25] both over the raw buckets and over their rate.
        Assert.Equal(0, await server.ScalarAsync($$"""sum({{Bucket}}{http_route="/api/slow",le="0.1"})""", Ct));
        double? median = await server.ScalarAsync($$"""histogram_quantile(0.5, sum by (le) ({{Bucket}}{http_route="/api/slow"}))""", Ct);
        Assert.InRange(median ?? double.NaN, 0.1, 0.25);

        double? rateMedian = null;
        await Deadline.PollAsync(s_timeout, async c =>
        {
            rateMedian = await server.ScalarAsync(
                $$"""histogram_quantile(0.5, sum by (le) (rate({{Bucket}}{http_route="/api/slow"}[1m])))""", c);
            return rateMedian is { } m && double.IsFinite(m) ? "done" : null;
        }, Ct);
        Assert.True(rateMedian is > 0.1 and <= 0.25, $"The median over rate() is {rateMedian}.\n{Diagnostics(sample, server)}");

        // Prometheus negotiated OpenMetrics: only that format has the info type (family "target" for the sample
        // target_info) and UNIT lines.
        Assert.Equal(("info", string.Empty), await server.MetadataAsync("target", Ct));
        Assert.Equal(("histogram", "seconds"), await server.MetadataAsync("http_server_request_duration_seconds", Ct));
    }

    private static async Task AssertEventuallyAsync(PrometheusServer server, SampleHost sample, string promql, double expected)
    {
        double? last = null;
        await Deadline.PollAsync(s_timeout, async c =>
        {
            last = await server.ScalarAsync(promql, c);
            return last == expected ? "done" : null;
        }, Ct);
        Assert.True(last == expected, string.Create(CultureInfo.InvariantCulture,
            $"{promql} is {last?.ToString(CultureInfo.InvariantCulture) ?? "empty"} after {s_timeout.TotalSeconds:0} s, expected {expected}.\n{Diagnostics(sample, server)}"));
    }

    private static string Diagnostics(SampleHost sample, PrometheusServer server)
        => $"--- prometheus output ---\n{server.Output}\n--- sample output ---\n{sample.Output}";
}
