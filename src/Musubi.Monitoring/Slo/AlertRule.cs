using System.Globalization;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Slo;

/// <summary>A plain Prometheus alerting rule, written into the same rule file as the SLO rules.</summary>
/// <remarks>Immutable and thread-safe; every argument is checked when it is made.</remarks>
public sealed partial record AlertRule
{
    /// <summary>Initializes a new instance of the <see cref="AlertRule"/> class.</summary>
    /// <param name="name">The alert name (<c>[A-Za-z_][A-Za-z0-9_]*</c>), such as <c>HighErrorRate</c>.</param>
    /// <param name="expression">The PromQL condition; the alert fires for every series it returns.</param>
    /// <param name="for">How long the condition must hold before the alert fires; zero for at once.</param>
    /// <param name="severity">Page or ticket (the <c>severity</c> label).</param>
    /// <param name="summary">A one-line summary annotation; optional.</param>
    /// <param name="labels">More labels; optional. <c>severity</c> is set from <paramref name="severity"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="expression"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an alert name, <paramref name="expression"/> is empty, or a label name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="for"/> is negative or not a whole number of seconds, or <paramref name="severity"/> is undefined.</exception>
    public AlertRule(string name, string expression, TimeSpan @for, AlertSeverity severity, string? summary = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not an alert name; use [A-Za-z_][A-Za-z0-9_]*, such as HighErrorRate.", nameof(name));
        }

        if (@for < TimeSpan.Zero || @for.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(@for), @for, "'for' must be zero or a positive whole number of seconds.");
        }

        if (!Enum.IsDefined(severity))
        {
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Use AlertSeverity.Page or AlertSeverity.Ticket.");
        }

        Dictionary<string, string> copy = labels is null ? [] : new(labels, StringComparer.Ordinal);
        foreach ((string label, string value) in copy)
        {
            if (!LabelMatcher.LabelName().IsMatch(label))
            {
                throw new ArgumentException($"'{label}' is not a Prometheus label name; use [a-zA-Z_][a-zA-Z0-9_]*.", nameof(labels));
            }

            if (value is null)
            {
                throw new ArgumentException($"The label '{label}' has a null value.", nameof(labels));
            }
        }

        copy["severity"] = SloRules.SeverityLabel(severity);
        Name = name;
        Expression = expression;
        For = @for;
        Severity = severity;
        Summary = summary;
        Labels = copy;
    }

    /// <summary>Gets the alert name.</summary>
    public string Name { get; }

    /// <summary>Gets the PromQL condition.</summary>
    public string Expression { get; }

    /// <summary>Gets how long the condition must hold.</summary>
    public TimeSpan For { get; }

    /// <summary>Gets the severity.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>Gets the summary annotation, if any.</summary>
    public string? Summary { get; }

    /// <summary>Gets the labels, <c>severity</c> included, in name order when written.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex NamePattern();
}

/// <summary>Ready-made alert rules over the metrics this library exports.</summary>
/// <remarks>Thread-safe: it holds no state.</remarks>
public static class AlertTemplates
{
    /// <summary>
    /// Fires when more than <paramref name="maxErrorRatio"/> of HTTP requests answered 5xx over 5 minutes, for 5
    /// minutes (from this library's request histogram; no traffic never fires).
    /// </summary>
    /// <param name="service">The service, for the summary and the <c>service</c> label.</param>
    /// <param name="maxErrorRatio">The largest acceptable share of 5xx answers, strictly between 0 and 1.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxErrorRatio"/> is not strictly between 0 and 1.</exception>
    public static AlertRule HighErrorRate(string service, decimal maxErrorRatio = 0.05m)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Ratio(maxErrorRatio, nameof(maxErrorRatio));
        string count = Sli.HttpRequestHistogram + "_count";
        return new AlertRule("HighErrorRate",
            $"(sum(rate({count}{{http_response_status_code=~\"5..\"}}[5m])) or vector(0)) / (sum(rate({count}[5m])) > 0) > {SloNumber.Format(maxErrorRatio)}",
            TimeSpan.FromMinutes(5), AlertSeverity.Page,
            $"{YamlText.TemplateLiteral(service)}: more than {SloNumber.Format(maxErrorRatio * 100m)}% of requests fail.", Service(service));
    }

    /// <summary>Fires when the <paramref name="quantile"/> of HTTP request durations over 5 minutes exceeds <paramref name="thresholdSeconds"/>, for 10 minutes.</summary>
    /// <param name="service">The service.</param>
    /// <param name="thresholdSeconds">The latency threshold in seconds, finite and positive.</param>
    /// <param name="quantile">The quantile, strictly between 0 and 1 (0.95 for p95).</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public static AlertRule HighLatency(string service, double thresholdSeconds = 0.5, decimal quantile = 0.95m)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Ratio(quantile, nameof(quantile));
        if (!double.IsFinite(thresholdSeconds) || thresholdSeconds is < 1e-6 or > 1e6)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdSeconds), thresholdSeconds, "The threshold must be from 0.000001 to 1,000,000 seconds.");
        }

        string threshold = SloNumber.Format((decimal)thresholdSeconds);
        return new AlertRule("HighLatency",
            $"histogram_quantile({SloNumber.Format(quantile)}, sum by (le) (rate({Sli.HttpRequestHistogram}_bucket[5m]))) > {threshold}",
            TimeSpan.FromMinutes(10), AlertSeverity.Ticket,
            $"{YamlText.TemplateLiteral(service)}: p{SloNumber.Format(quantile * 100m)} request latency above {threshold} s.", Service(service));
    }

    /// <summary>Fires when Prometheus cannot scrape <paramref name="job"/> (<c>up == 0</c>) for 1 minute, or has no target for it.</summary>
    /// <param name="service">The service.</param>
    /// <param name="job">The scrape job's name.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> or <paramref name="job"/> is null or white space.</exception>
    public static AlertRule ServiceDown(string service, string job)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        string selector = $"up{{job={LabelMatcher.Quote(job)}}}";
        return new AlertRule("ServiceDown", $"{selector} == 0 or absent({selector})", TimeSpan.FromMinutes(1), AlertSeverity.Page,
            $"{YamlText.TemplateLiteral(service)}: Prometheus cannot scrape job {job}.", Service(service));
    }

    /// <summary>Fires when the process working set exceeds <paramref name="maxBytes"/> for 15 minutes (the runtime's <c>System.Runtime</c> meter, collected).</summary>
    /// <param name="service">The service.</param>
    /// <param name="maxBytes">The largest acceptable working set in bytes, positive.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is not positive.</exception>
    public static AlertRule HighMemoryUsage(string service, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return new AlertRule("HighMemoryUsage", $"dotnet_process_memory_working_set_bytes > {maxBytes.ToString(CultureInfo.InvariantCulture)}",
            TimeSpan.FromMinutes(15), AlertSeverity.Ticket,
            $"{YamlText.TemplateLiteral(service)}: working set above {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.", Service(service));
    }

    private static Dictionary<string, string> Service(string service) => new(StringComparer.Ordinal) { ["service"] = YamlText.TemplateLiteral(service) };

    private static void Ratio(decimal value, string parameter)
    {
        if (value is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(parameter, value, "Use a share strictly between 0 and 1.");
        }
    }
}
