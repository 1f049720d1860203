using System.Diagnostics;
using Musubi.Monitoring.IntegrationTests.Support;

namespace Musubi.Monitoring.IntegrationTests;

/// <summary>The sample's Prometheus text exposition, after real traffic, passes <c>promtool check metrics</c>.</summary>
public sealed class PromtoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PromtoolCheckMetrics_SampleScrapeAfterTraffic_ReportsNoProblem()
    {
        string promtool = RequiredTool.Find("promtool");
        await using SampleHost sample = await SampleHost.StartAsync(Ct);
        await sample.Client.GetAsync("api/orders/1", Ct);
        await sample.Client.GetAsync("api/orders/999", Ct);
        await sample.Client.GetAsync("api/flaky", Ct);
        await sample.Client.GetAsync("api/slow?ms=5", Ct);
        await sample.Client.GetAsync("no/route/here", Ct);
        await sample.Client.PostAsync("api/orders", new StringContent("""{"item":"miso","quantity":1}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        string exposition = await sample.Client.GetStringAsync("metrics?format=text", Ct);
        Assert.Contains("http_server_request_duration_seconds_bucket", exposition, StringComparison.Ordinal);

        var info = new ProcessStartInfo(promtool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using Process process = Process.Start(info)!;
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(Ct);
            Task<string> stderr = process.StandardError.ReadToEndAsync(Ct);
            await process.StandardInput.WriteAsync(exposition);
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            string problems = (await stdout + await stderr).Trim();
            Assert.True(process.ExitCode == 0 && problems.Length == 0,
                $"promtool check metrics exited {process.ExitCode}: {problems}\n--- exposition ---\n{exposition}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
