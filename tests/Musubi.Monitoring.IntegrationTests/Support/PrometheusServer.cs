using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>
/// A real Prometheus server on 127.0.0.1 and a free port, scraping one target every second, with its config and
/// TSDB in a temporary directory that is removed on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "musubi-sample";
    private readonly ManagedProcess _process;
    private readonly DirectoryInfo _directory;

    private PrometheusServer(ManagedProcess process, DirectoryInfo directory, HttpClient client)
    {
        _process = process;
        _directory = directory;
        Client = client;
    }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static async Task<PrometheusServer> StartAsync(
        string prometheus, string target, CancellationToken cancellationToken, string? rules = null, string? alertmanager = null)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("musubi-prometheus-");
        string config = Path.Combine(directory.FullName, "prometheus.yml");
        string ruleFiles = string.Empty;
        if (rules is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "rules.yml"), rules, cancellationToken);
            ruleFiles = "rule_files: ['rules.yml']";
        }

        string alerting = alertmanager is null
            ? string.Empty
            : $"alerting: {{alertmanagers: [{{static_configs: [{{targets: ['{alertmanager}']}}]}}]}}";

        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            {ruleFiles}
            {alerting}
            scrape_configs:
              - job_name: {Job}
                static_configs:
                  - targets: ['{target}']
            """, cancellationToken);

        string failures = string.Empty;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            // A port freed a moment ago can be taken before Prometheus binds it: then try another.
            int port = LocalServer.FreePort();
            ManagedProcess process = ManagedProcess.Start(prometheus,
            [
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory.FullName, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--log.level=warn",
            ]);
            var client = new HttpClient(new SocketsHttpHandler { UseProxy = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
                Timeout = TimeSpan.FromSeconds(5),
            };
            if (await LocalServer.WaitReadyAsync(process, client, cancellationToken))
            {
                return new PrometheusServer(process, directory, client);
            }

            failures += $"\n--- attempt {attempt} on port {port} (exited: {process.HasExited}) ---\n{process.Output}";
            client.Dispose();
            await process.DisposeAsync();
        }

        LocalServer.DeleteQuietly(directory);
        throw new InvalidOperationException("Prometheus did not become ready:" + failures);
    }

    /// <summary>The state (<c>pending</c>, <c>firing</c>) of the alert with these labels, or <see langword="null"/> when it is not active.</summary>
    public async Task<string?> AlertStateAsync(string alertName, string slo, CancellationToken cancellationToken)
    {
        using JsonDocument document = await GetJsonAsync("api/v1/alerts", cancellationToken);
        foreach (JsonElement alert in document.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray())
        {
            JsonElement labels = alert.GetProperty("labels");
            if (labels.GetProperty("alertname").GetString() == alertName
                && labels.TryGetProperty("slo", out JsonElement sloLabel) && sloLabel.GetString() == slo)
            {
                return alert.GetProperty("state").GetString();
            }
        }

        return null;
    }

    /// <summary>The health of the rule groups Prometheus loaded: the last error of any rule, or empty.</summary>
    public async Task<string> RuleErrorsAsync(CancellationToken cancellationToken)
    {
        using JsonDocument document = await GetJsonAsync("api/v1/rules", cancellationToken);
        var errors = new List<string>();
        foreach (JsonElement group in document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            foreach (JsonElement rule in group.GetProperty("rules").EnumerateArray())
            {
                if (rule.TryGetProperty("lastError", out JsonElement error) && error.GetString() is { Length: > 0 } text)
                {
                    errors.Add($"{rule.GetProperty("name").GetString()}: {text}");
                }
            }
        }

        return string.Join('\n', errors);
    }

    /// <summary>The health of the scrape target (<c>up</c>, <c>down</c>, <c>unknown</c>) and its last error.</summary>
    public async Task<(string Health, string LastError)> TargetAsync(CancellationToken cancellationToken)
    {
        using JsonDocument document = await GetJsonAsync("api/v1/targets?state=active", cancellationToken);
        foreach (JsonElement target in document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
        {
            return (target.GetProperty("health").GetString() ?? "?", target.GetProperty("lastError").GetString() ?? string.Empty);
        }

        return ("none", "no active target yet");
    }

    /// <summary>Runs an instant query that yields one number; <see langword="null"/> when it yields no series.</summary>
    public async Task<double?> ScalarAsync(string promql, CancellationToken cancellationToken)
    {
        using JsonDocument document = await GetJsonAsync("api/v1/query?query=" + Uri.EscapeDataString(promql), cancellationToken);
        JsonElement result = document.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        string text = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The metadata Prometheus keeps for a metric family: its type, and its unit when the exposition gave one.</summary>
    public async Task<(string Type, string Unit)?> MetadataAsync(string metric, CancellationToken cancellationToken)
    {
        using JsonDocument document = await GetJsonAsync("api/v1/metadata?metric=" + Uri.EscapeDataString(metric), cancellationToken);
        if (!document.RootElement.GetProperty("data").TryGetProperty(metric, out JsonElement entries) || entries.GetArrayLength() == 0)
        {
            return null;
        }

        JsonElement entry = entries[0];
        return (entry.GetProperty("type").GetString() ?? string.Empty,
            entry.TryGetProperty("unit", out JsonElement unit) ? unit.GetString() ?? string.Empty : string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        LocalServer.DeleteQuietly(_directory);
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Client.GetAsync(path, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {path}: {body}");
        }

        return JsonDocument.Parse(body);
    }
}
