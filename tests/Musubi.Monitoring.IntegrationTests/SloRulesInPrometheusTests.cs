using System.Globalization;
using System.Net;
using Musubi.Monitoring.IntegrationTests.Support;

namespace Musubi.Monitoring.IntegrationTests;

/// <summary>
/// The rules the sample generates, loaded into a real Prometheus that scrapes the sample: after traffic with a high
/// error ratio, the recording rules hold the expected ratio and the page alert is pending or firing.
/// </summary>
public sealed class SloRulesInPrometheusTests
{
    private const int FlakyCalls = 80;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_WithTheSamplesRules_RecordsTheErrorRatioAndFiresThePageAlert()
    {
        string prometheus = RequiredTool.Find("prometheus");
        await using SampleHost sample = await SampleHost.StartAsync(Ct);
        string rules = await sample.Client.GetStringAsync("monitoring/prometheus-rules.yml", Ct);
        await using PrometheusServer server = await PrometheusServer.StartAsync(prometheus, sample.BaseAddress.Authority, Ct, rules);
        await Deadline.PollAsync(s_timeout, async c => (await server.TargetAsync(c)).Health == "up" ? "up" : null, Ct);

        // Traffic spread over several scrapes, so rate() sees the counters grow.
        int failures = 0;
        for (int i = 0; i < FlakyCalls; i++)
        {
            HttpResponseMessage response = await sample.Client.GetAsync("api/flaky", Ct);
            failures += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
            await Task.Delay(25, Ct);
        }

        Assert.InRange(failures, 1, FlakyCalls - 1);
        double observed = (double)failures / FlakyCalls;

        // The 5m error ratio is the share of failed calls Prometheus saw grow (the first sample of the flaky
        // series is a baseline, so allow for the calls before it), and never NaN.
        double? ratio = null;
        await Deadline.PollAsync(s_timeout, async c =>
        {
            ratio = await server.ScalarAsync("""slo:sli_error:ratio_rate5m{slo="flaky-availability"}""", c);
            return ratio is > 0 ? "done" : null;
        }, Ct);
        Assert.True(ratio is { } r && double.IsFinite(r) && Math.Abs(r - observed) < 0.15,
            string.Create(CultureInfo.InvariantCulture, $"slo:sli_error:ratio_rate5m is {ratio}, the calls failed {observed:0.###}.\n{Diagnostics(sample, server)}"));

        // Far above 14.4 × 0.1% in both the 1h and 5m windows: the page alert is active (it has no 'for').
        string? state = null;
        await Deadline.PollAsync(s_timeout, async c =>
        {
            state = await server.AlertStateAsync("SLOErrorBudgetBurnPage", "flaky-availability", c);
            return state is "firing" ? state : null;
        }, Ct);
        Assert.True(state is "pending" or "firing", $"The page alert is {state ?? "not active"}.\n{Diagnostics(sample, server)}");

        // The error budget is overspent, and the orders-latency SLO with no traffic yet is not NaN either.
        double? remaining = await server.ScalarAsync("""slo:error_budget:remaining{slo="flaky-availability"}""", Ct);
        Assert.True(remaining < 0, $"The error budget remaining is {remaining}.");
        double? idle = await server.ScalarAsync("""slo:sli_error:ratio_rate5m{slo="orders-latency"}""", Ct);
        Assert.True(idle is null || double.IsFinite(idle.Value), $"The idle SLO's ratio is {idle}.");
        Assert.Equal(string.Empty, await server.RuleErrorsAsync(Ct));
    }

    private static string Diagnostics(SampleHost sample, PrometheusServer server)
        => $"--- prometheus output ---\n{server.Output}\n--- sample output ---\n{sample.Output}";
}
