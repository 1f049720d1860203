using System.Globalization;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.IntegrationTests.Support;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.IntegrationTests;

/// <summary>
/// A real Alertmanager 0.25 posting to the sample's webhook receiver (bearer token), and the incidents it opens read
/// back from the sample's SQLite database: payloads as Alertmanager really sends them, including resends.
/// </summary>
public sealed class AlertmanagerIncidentsTests
{
    private const string Token = "integration-token";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Alertmanager_OneAlertOfAFiringGroupResolves_ResolvesOnlyItsIncidentAndResendsOpenNothing()
    {
        string alertmanager = RequiredTool.Find("prometheus-alertmanager", "prometheus-alertmanager");
        DirectoryInfo workspace = Directory.CreateTempSubdirectory("musubi-am-sample-");
        try
        {
            await using SampleHost sample = await SampleHost.StartAsync(Ct, workspace.FullName,
                new Dictionary<string, string> { ["MUSUBI_ALERTMANAGER_TOKEN"] = Token });
            await using AlertmanagerServer server = await AlertmanagerServer.StartAsync(
                alertmanager, new Uri(sample.BaseAddress, "alerts/alertmanager"), Token, Ct);
            var store = new SqliteIncidentStore("Data Source=" + Path.Combine(workspace.FullName, "artifacts", "musubi.db"));

            // Two alerts of one group (same alertname), as Prometheus would send them.
            string name = "DiskFilling" + Guid.NewGuid().ToString("N")[..8];
            DateTimeOffset startsAt = TimeProvider.System.GetUtcNow().AddSeconds(-30);
            Dictionary<string, string> first = Labels(name, "db-1");
            Dictionary<string, string> second = Labels(name, "db-2");
            await server.PostAlertAsync(first, "Disk on db-1 fills within 4h", startsAt, endsAt: null, Ct);
            await server.PostAlertAsync(second, "Disk on db-2 fills within 4h", startsAt, endsAt: null, Ct);

            IReadOnlyList<Incident>? opened = await Deadline.PollAsync(s_timeout, async c =>
            {
                IReadOnlyList<Incident> found = await IncidentsAsync(store, name, c);
                return found.Count == 2 ? found : null;
            }, Ct);
            Assert.True(opened is not null, $"Alertmanager's notification opened no two incidents.\n{Diagnostics(sample, server)}");
            Assert.All(opened, i => Assert.Equal(Severity.Sev1, i.Severity));   // severity="critical"
            Assert.All(opened, i => Assert.StartsWith("alertmanager:", i.AlertKey, StringComparison.Ordinal));
            Incident db1 = Assert.Single(opened, i => i.Title.Contains("db-1", StringComparison.Ordinal));
            Incident db2 = Assert.Single(opened, i => i.Title.Contains("db-2", StringComparison.Ordinal));

            // db-1 resolves; the group notification is still firing overall (db-2), and carries db-1 as resolved.
            await server.PostAlertAsync(first, "Disk on db-1 fills within 4h", startsAt, TimeProvider.System.GetUtcNow().AddSeconds(-1), Ct);
            Incident? resolved = await Deadline.PollAsync(s_timeout, async c =>
                await store.GetAsync(db1.Id, c) is { IsOpen: false } done ? done : null, Ct);
            Assert.True(resolved is not null, $"db-1's incident did not resolve.\n{Diagnostics(sample, server)}");

            // Alertmanager resends the group every 2 s (repeat_interval): wait for a few resends, then nothing new.
            await Task.Delay(TimeSpan.FromSeconds(6), Ct);
            IReadOnlyList<Incident> after = await IncidentsAsync(store, name, Ct);
            Assert.Equal(2, after.Count);
            Assert.True((await store.GetAsync(db2.Id, Ct))!.IsOpen, "db-2's incident must stay open while its alert fires.");
            Assert.Equal(IncidentStatus.Resolved, (await store.GetAsync(db1.Id, Ct))!.Status);
        }
        finally
        {
            try
            {
                workspace.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task Prometheus_PageAlertFromTheSamplesRules_ReachesTheSampleThroughAlertmanager()
    {
        string prometheus = RequiredTool.Find("prometheus");
        string alertmanager = RequiredTool.Find("prometheus-alertmanager", "prometheus-alertmanager");
        DirectoryInfo workspace = Directory.CreateTempSubdirectory("musubi-am-sample-");
        try
        {
            await using SampleHost sample = await SampleHost.StartAsync(Ct, workspace.FullName,
                new Dictionary<string, string> { ["MUSUBI_ALERTMANAGER_TOKEN"] = Token });
            await using AlertmanagerServer server = await AlertmanagerServer.StartAsync(
                alertmanager, new Uri(sample.BaseAddress, "alerts/alertmanager"), Token, Ct);
            string rules = await sample.Client.GetStringAsync("monitoring/prometheus-rules.yml", Ct);
            await using PrometheusServer prometheusServer = await PrometheusServer.StartAsync(
                prometheus, sample.BaseAddress.Authority, Ct, rules, alertmanager: server.Authority);
            await Deadline.PollAsync(s_timeout, async c => (await prometheusServer.TargetAsync(c)).Health == "up" ? "up" : null, Ct);
            var store = new SqliteIncidentStore("Data Source=" + Path.Combine(workspace.FullName, "artifacts", "musubi.db"));

            // /api/flaky fails about one call in five: Prometheus' page alert fires and goes to Alertmanager.
            for (int i = 0; i < 80; i++)
            {
                using HttpResponseMessage response = await sample.Client.GetAsync("api/flaky", Ct);
                await Task.Delay(25, Ct);
            }

            Incident? page = await Deadline.PollAsync(s_timeout, async c =>
            {
                IncidentPage all = await store.ListAsync(new IncidentQuery { Take = 100 }, c);
                return all.Items.FirstOrDefault(i => i.AlertKey?.StartsWith("alertmanager:", StringComparison.Ordinal) == true
                    && i.Title.StartsWith("SLOErrorBudgetBurnPage", StringComparison.Ordinal)
                    && i.Timeline.Any(e => e.Text.Contains("slo=flaky-availability", StringComparison.Ordinal)));
            }, Ct);
            Assert.True(page is not null, $"No incident from Prometheus' page alert.\n{Diagnostics(sample, server)}\n--- prometheus ---\n{prometheusServer.Output}");
            Assert.Equal(Severity.Sev1, page.Severity);   // severity="page"
            Assert.Equal(["musubi-sample"], page.AffectedServices);
        }
        finally
        {
            try
            {
                workspace.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Dictionary<string, string> Labels(string name, string instance) => new()
    {
        ["alertname"] = name,
        ["severity"] = "critical",
        ["service"] = "storage",
        ["instance"] = instance,
    };

    private static async Task<IReadOnlyList<Incident>> IncidentsAsync(SqliteIncidentStore store, string alertName, CancellationToken cancellationToken)
    {
        IncidentPage page = await store.ListAsync(new IncidentQuery { Take = 100 }, cancellationToken);
        return [.. page.Items.Where(i => i.Title.StartsWith(alertName, StringComparison.Ordinal))];
    }

    private static string Diagnostics(SampleHost sample, AlertmanagerServer server) => string.Create(CultureInfo.InvariantCulture,
        $"--- sample ---\n{sample.Output}\n--- alertmanager ---\n{server.Output}");
}
