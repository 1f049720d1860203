using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// A service's monitoring configuration — its SLOs and plain alert rules — and the files made from it: a Prometheus
/// rule file, a Grafana dashboard, and a JSON export.
/// </summary>
/// <remarks>
/// Not thread-safe while you fill it; the generators read it as it is when called. Every output is culture-invariant
/// and byte-identical for the same configuration.
/// </remarks>
public sealed partial class MonitoringConfig
{
    private static readonly JsonWriterOptions s_json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Initializes a new instance of the <see cref="MonitoringConfig"/> class.</summary>
    /// <param name="service">The service the configuration belongs to.</param>
    /// <exception cref="ArgumentException"><paramref name="service"/> is null or white space.</exception>
    public MonitoringConfig(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Service = service;
    }

    /// <summary>Gets the service.</summary>
    public string Service { get; }

    /// <summary>Gets the SLOs; ids must be unique.</summary>
    public IList<ServiceLevelObjective> Slos { get; } = [];

    /// <summary>Gets the plain alert rules (see <see cref="AlertTemplates"/>).</summary>
    public IList<AlertRule> AlertRules { get; } = [];

    /// <summary>Returns the Prometheus rule file: a group per SLO (see <see cref="SloRules"/>), then a group of the alert rules.</summary>
    /// <returns>The YAML text.</returns>
    /// <exception cref="InvalidOperationException">There is neither an SLO nor an alert rule.</exception>
    /// <exception cref="ArgumentException">Two SLOs have the same id, or an entry is <see langword="null"/>.</exception>
    public string ToPrometheusRules()
    {
        if (Slos.Count == 0 && AlertRules.Count == 0)
        {
            throw new InvalidOperationException($"The monitoring configuration of '{Service}' has no SLO and no alert rule; a rule file without groups is not useful.");
        }

        (ServiceLevelObjective[] slos, AlertRule[] rules) = Validated();
        return SloRules.Generate(slos, rules, "alerts:" + Service);
    }

    /// <summary>
    /// Returns a Grafana dashboard (a bare dashboard object, for the import dialog or provisioning) with a row per SLO:
    /// SLI against the objective, burn rate per long window, and error budget remaining, over a <c>datasource</c>
    /// variable.
    /// </summary>
    /// <param name="uid">The dashboard uid: 1 to 40 of <c>A-Z a-z 0-9 _ -</c>; default <c>musubi-slo-&lt;service&gt;</c>, shortened to 40.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentException"><paramref name="uid"/> is not a valid uid.</exception>
    /// <exception cref="InvalidOperationException">There is no SLO.</exception>
    /// <exception cref="ArgumentException">An entry is <see langword="null"/>, or two SLOs have the same id.</exception>
    public string ToGrafanaDashboard(string? uid = null)
    {
        uid ??= DefaultUid(Service);
        if (!UidPattern().IsMatch(uid))
        {
            throw new ArgumentException($"'{uid}' is not a Grafana uid; use 1 to 40 of A-Z a-z 0-9 _ -.", nameof(uid));
        }

        if (Slos.Count == 0)
        {
            throw new InvalidOperationException($"The monitoring configuration of '{Service}' has no SLO to chart.");
        }

        ServiceLevelObjective[] slos = Validated().Slos;
        return Write(json => GrafanaDashboard.Write(json, uid, Service, slos));
    }

    /// <summary>Returns the configuration as JSON: the service, each SLO (SLI selectors, objective, period, tiers with their factors) and each alert rule.</summary>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentException">An entry is <see langword="null"/>, or two SLOs have the same id.</exception>
    public string ToJson()
    {
        (ServiceLevelObjective[] slos, AlertRule[] rules) = Validated();
        return Write(json => WriteJson(json, slos, rules));
    }

    private void WriteJson(Utf8JsonWriter json, ServiceLevelObjective[] slos, AlertRule[] rules)
    {
        json.WriteStartObject();
        json.WriteString("service", Service);
        json.WriteStartArray("slos");
        foreach (ServiceLevelObjective slo in slos)
        {
            json.WriteStartObject();
            json.WriteString("id", slo.Id);
            json.WriteString("service", slo.Service);
            if (slo.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteStartObject("sli");
            json.WriteString("kind", slo.Sli.Kind.ToString().ToLowerInvariant());
            json.WriteString("total", slo.Sli.Total.ToString());
            if (slo.Sli.Bad is { } bad)
            {
                json.WriteString("bad", bad.ToString());
            }

            if (slo.Sli.Good is { } good)
            {
                json.WriteString("good", good.ToString());
            }

            if (slo.Sli.LatencyThreshold is { } threshold)
            {
                json.WriteNumber("latency_threshold_seconds", threshold);
            }

            json.WriteEndObject();
            json.WriteNumber("objective", slo.Objective.Value);
            json.WriteNumber("error_budget", slo.ErrorBudget);
            json.WriteString("period", SloNumber.Duration(slo.Period));
            json.WriteStartArray("tiers");
            foreach (BurnRateTier tier in slo.Tiers)
            {
                json.WriteStartObject();
                json.WriteString("severity", SloRules.SeverityLabel(tier.Severity));
                json.WriteNumber("budget_consumed", tier.BudgetConsumed);
                json.WriteString("long_window", SloNumber.Duration(tier.LongWindow));
                json.WriteString("short_window", SloNumber.Duration(tier.ShortWindow));
                json.WriteNumber("factor", tier.Factor(slo.Period));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("alert_rules");
        foreach (AlertRule rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("name", rule.Name);
            json.WriteString("expr", rule.Expression);
            json.WriteString("for", rule.For == TimeSpan.Zero ? "0s" : SloNumber.Duration(rule.For));
            json.WriteString("severity", SloRules.SeverityLabel(rule.Severity));
            json.WriteStartObject("labels");
            foreach (KeyValuePair<string, string> label in rule.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteString(label.Key, label.Value);
            }

            json.WriteEndObject();
            if (rule.Summary is { } summary)
            {
                json.WriteString("summary", summary);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The lists as they are now, refusing null entries and duplicate SLO ids in every output alike.</summary>
    private (ServiceLevelObjective[] Slos, AlertRule[] Rules) Validated()
    {
        ServiceLevelObjective[] slos = [.. Slos];
        AlertRule[] rules = [.. AlertRules];
        if (slos.Any(s => s is null) || rules.Any(r => r is null))
        {
            throw new ArgumentException($"The monitoring configuration of '{Service}' has a null SLO or alert rule.");
        }

        if (slos.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Two SLOs have the id '{duplicate.Key}'; ids must be unique.");
        }

        return (slos, rules);
    }

    private static string DefaultUid(string service)
    {
        string slug = NotUid().Replace(service.ToLowerInvariant(), "-");
        string uid = "musubi-slo-" + slug;
        if (slug.Trim('-').Length == 0 || uid.Length > 40)
        {
            // Names that lose their letters (日本) or their end: a stable hash keeps uids apart.
            string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(service)))[..8];
            uid = (uid.Length > 31 ? uid[..31] : uid) + "-" + hash;
        }

        return uid;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}\\z")]
    private static partial Regex UidPattern();

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotUid();
}
