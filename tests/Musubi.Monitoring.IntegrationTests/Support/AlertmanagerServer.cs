using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1 and a free port, clustering off, with one
/// webhook receiver (bearer token) and fast grouping, its config and data in a temporary directory removed on dispose.
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly DirectoryInfo _directory;

    private AlertmanagerServer(ManagedProcess process, DirectoryInfo directory, HttpClient client, string authority)
    {
        _process = process;
        _directory = directory;
        Client = client;
        Authority = authority;
    }

    public HttpClient Client { get; }

    /// <summary>host:port, for Prometheus' alerting config.</summary>
    public string Authority { get; }

    public string Output => _process.Output;

    public static async Task<AlertmanagerServer> StartAsync(string alertmanager, Uri webhook, string token, CancellationToken cancellationToken)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("musubi-alertmanager-");
        string config = Path.Combine(directory.FullName, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: musubi
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 2s
            receivers:
              - name: musubi
                webhook_configs:
                  - url: '{webhook}'
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: '{token}'
            """, cancellationToken);

        string failures = string.Empty;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            int port = LocalServer.FreePort();
            ManagedProcess process = ManagedProcess.Start(alertmanager,
            [
                "--config.file=" + config,
                "--storage.path=" + Path.Combine(directory.FullName, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--cluster.listen-address=",
                "--log.level=warn",
            ]);
            var client = new HttpClient(new SocketsHttpHandler { UseProxy = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
                Timeout = TimeSpan.FromSeconds(5),
            };
            if (await LocalServer.WaitReadyAsync(process, client, cancellationToken))
            {
                return new AlertmanagerServer(process, directory, client, "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            }

            failures += $"\n--- attempt {attempt} on port {port} (exited: {process.HasExited}) ---\n{process.Output}";
            client.Dispose();
            await process.DisposeAsync();
        }

        LocalServer.DeleteQuietly(directory);
        throw new InvalidOperationException("Alertmanager did not become ready:" + failures);
    }

    /// <summary>Posts alerts to Alertmanager's v2 API, as Prometheus does; an <paramref name="endsAt"/> in the past resolves them.</summary>
    public async Task PostAlertAsync(IReadOnlyDictionary<string, string> labels, string summary, DateTimeOffset startsAt, DateTimeOffset? endsAt, CancellationToken cancellationToken)
    {
        var labelObject = new JsonObject();
        foreach ((string name, string value) in labels)
        {
            labelObject[name] = value;
        }

        var alert = new JsonObject
        {
            ["labels"] = labelObject,
            ["annotations"] = new JsonObject { ["summary"] = summary },
            ["startsAt"] = startsAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (endsAt is { } end)
        {
            alert["endsAt"] = end.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        using var content = new StringContent(new JsonArray(alert).ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Client.PostAsync("api/v2/alerts", content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Alertmanager answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        LocalServer.DeleteQuietly(_directory);
    }
}
