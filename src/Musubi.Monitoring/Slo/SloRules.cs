using System.Globalization;
using System.Text;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// Generates Prometheus rule files for SLOs: recording rules for the error ratio over every window, and
/// multi-window multi-burn-rate alerts, one per severity, that <c>promtool check rules</c> accepts.
/// </summary>
/// <remarks>
/// <para>
/// Per SLO, one rule group named <c>slo:&lt;id&gt;</c>:
/// <list type="bullet">
/// <item><c>slo:sli_error:ratio_rate&lt;window&gt;</c> for each tier window and the period: bad events' rate over
/// all events' rate (a ratio of sums, never a mean of ratios). With no traffic it is 0, not NaN; with no bad-event
/// series yet it is 0; with no total series at all it has no value, so nothing fires.</item>
/// <item><c>slo:error_budget:remaining</c>: <c>1 − error ratio over the period ÷ error budget</c>.</item>
/// <item><see cref="PageAlertName"/> and <see cref="TicketAlertName"/> (for the severities the tiers use): each fires
/// when, for any tier of its severity, both the long and the short window burn faster than the tier's factor. The
/// label set (service, slo, severity) is the same whichever pair trips; the <c>windows</c> annotation names the
/// pairs that did, such as <c>[1h/5m][6h/30m]</c>.</item>
/// </list>
/// Every rule carries <c>service</c> and <c>slo</c> labels. Numbers are exact decimals and durations are
/// Prometheus durations, written the same under every culture.
/// </para>
/// <para>Thread-safe: it holds no state.</para>
/// </remarks>
public static partial class SloRules
{
    /// <summary>The name of the page-severity burn-rate alert of every SLO (labels <c>service</c>, <c>slo</c>, <c>severity="page"</c>).</summary>
    public const string PageAlertName = "SLOErrorBudgetBurnPage";

    /// <summary>The name of the ticket-severity burn-rate alert of every SLO (labels <c>service</c>, <c>slo</c>, <c>severity="ticket"</c>).</summary>
    public const string TicketAlertName = "SLOErrorBudgetBurnTicket";

    /// <summary>The name of the alert that fires when an SLO's total-events metric is missing (<see cref="ServiceLevelObjective.AbsentAlertAfter"/>).</summary>
    public const string AbsentAlertName = "SLOMetricAbsent";

    /// <summary>Returns the alert name for a severity.</summary>
    internal static string AlertName(AlertSeverity severity) => severity == AlertSeverity.Page ? PageAlertName : TicketAlertName;

    /// <summary>The <c>severity</c> label value for a severity.</summary>
    internal static string SeverityLabel(AlertSeverity severity) => severity == AlertSeverity.Page ? "page" : "ticket";

    /// <summary>The static summary annotation of an SLO's alerts.</summary>
    internal static string Summary(ServiceLevelObjective slo) =>
        $"{slo.Service}: the {slo.Id} SLO ({slo.Objective} over {SloNumber.Duration(slo.Period)}) is burning its error budget too fast.";

    /// <summary>The static description annotation of an SLO's alerts.</summary>
    internal static string Description(ServiceLevelObjective slo) =>
        $"At this rate the error budget ({SloNumber.Format(slo.ErrorBudget * 100m)}% of events over {SloNumber.Duration(slo.Period)}) runs out early; the windows annotation names the window pairs above their burn-rate factor.";

    /// <summary>How the windows annotation names a tier's pair: <c>[1h/5m]</c>.</summary>
    internal static string PairName(BurnRateTier tier) => $"[{SloNumber.Duration(tier.LongWindow)}/{SloNumber.Duration(tier.ShortWindow)}]";

    /// <summary>Returns the recording rule name of the error ratio over <paramref name="window"/>, such as <c>slo:sli_error:ratio_rate5m</c>.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The rule name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not a positive whole number of milliseconds.</exception>
    public static string ErrorRatioRecord(TimeSpan window) => "slo:sli_error:ratio_rate" + SloNumber.Duration(window);

    /// <summary>Generates the rule file for <paramref name="slos"/>.</summary>
    /// <param name="slos">The SLOs; ids must be unique.</param>
    /// <returns>The YAML text of a Prometheus rule file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="slos"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no SLOs, or two have the same id.</exception>
    public static string Generate(IEnumerable<ServiceLevelObjective> slos)
    {
        ArgumentNullException.ThrowIfNull(slos);
        ServiceLevelObjective[] list = [.. slos];
        if (list.Length == 0)
        {
            throw new ArgumentException("Give at least one SLO: a rule file without groups is not useful.", nameof(slos));
        }

        return Generate(list, [], "alerts");
    }

    /// <summary>
    /// Checks that every latency SLI's threshold is a bucket boundary of its histogram, as the histogram is in
    /// <paramref name="snapshot"/> (for example <c>collector.Collect()</c>): a threshold between two boundaries
    /// matches no <c>le</c> series, and the SLI would read 0% good forever. Histograms the snapshot does not have
    /// yet are not checked.
    /// </summary>
    /// <param name="slos">The SLOs.</param>
    /// <param name="snapshot">The metrics as they are now.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A threshold is not a bucket boundary; the message names the SLO, the threshold and the boundaries.</exception>
    public static void CheckLatencyThresholds(IEnumerable<ServiceLevelObjective> slos, Metrics.MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(slos);
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        foreach (ServiceLevelObjective slo in slos)
        {
            if (slo?.Sli.LatencyThreshold is not { } threshold
                || snapshot.Find(slo.Sli.Histogram!)?.Series.FirstOrDefault(s => s.Histogram is not null)?.Histogram is not { } histogram)
            {
                continue;
            }

            if (!histogram.Bounds.Contains(threshold))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The SLO '{slo.Id}' has a latency threshold of {threshold} s, which is not a bucket boundary of {slo.Sli.Histogram} ({string.Join(", ", histogram.Bounds.Select(b => b.ToString(CultureInfo.InvariantCulture)))}); pick one of those, or add it to the histogram's buckets."));
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(slos));
        }
    }

    /// <summary>The rule file: a group per SLO, then one group of plain alert rules when there are any.</summary>
    internal static string Generate(ServiceLevelObjective[] slos, AlertRule[] alerts, string alertGroup)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (ServiceLevelObjective slo in slos)
        {
            ArgumentNullException.ThrowIfNull(slo, nameof(slos));
            if (!ids.Add(slo.Id))
            {
                throw new ArgumentException($"Two SLOs have the id '{slo.Id}'; ids must be unique, as they name the rule groups and label every series.", nameof(slos));
            }
        }

        var yaml = new StringBuilder("# Generated by Musubi.Monitoring from the SLO definitions; regenerate instead of editing.\ngroups:\n");
        foreach (ServiceLevelObjective slo in slos)
        {
            WriteGroup(yaml, slo);
        }

        if (alerts.Length > 0)
        {
            yaml.Append("  - name: ").Append(YamlText.Quote(alertGroup)).Append('\n');
            yaml.Append("    rules:\n");
            foreach (AlertRule rule in alerts)
            {
                yaml.Append("      - alert: ").Append(rule.Name).Append('\n');
                yaml.Block("        ", "expr", rule.Expression);
                if (rule.For > TimeSpan.Zero)
                {
                    yaml.Append("        for: ").Append(SloNumber.Duration(rule.For)).Append('\n');
                }

                yaml.Append("        labels:\n");
                foreach (KeyValuePair<string, string> label in rule.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
                {
                    yaml.Pair("          ", label.Key, label.Value);
                }

                if (rule.Summary is { } summary)
                {
                    yaml.Append("        annotations:\n");
                    yaml.Pair("          ", "summary", summary);
                }
            }
        }

        return yaml.ToString();
    }

    private static void WriteGroup(StringBuilder yaml, ServiceLevelObjective slo)
    {
        yaml.Append("  - name: ").Append(YamlText.Quote("slo:" + slo.Id)).Append('\n');
        yaml.Append("    rules:\n");
        foreach (TimeSpan window in slo.Windows)
        {
            string duration = SloNumber.Duration(window);
            yaml.Append("      - record: ").Append(ErrorRatioRecord(window)).Append('\n');
            yaml.Block("        ", "expr", slo.Sli.ErrorRatio(duration));
            Identity(yaml, slo);
        }

        yaml.Append("      - record: slo:error_budget:remaining\n");
        yaml.Block("        ", "expr", $"1 - {ErrorRatioRecord(slo.Period)}{Select(slo)} / {SloNumber.Format(slo.ErrorBudget)}");
        Identity(yaml, slo);

        foreach (AlertSeverity severity in new[] { AlertSeverity.Page, AlertSeverity.Ticket })
        {
            BurnRateTier[] tiers = [.. slo.Tiers.Where(t => t.Severity == severity)];
            if (tiers.Length > 0)
            {
                WriteAlert(yaml, slo, severity, tiers);
            }
        }

        if (slo.AbsentAlertAfter is { } after)
        {
            yaml.Append("      - alert: ").Append(AbsentAlertName).Append('\n');
            yaml.Block("        ", "expr", $"absent({slo.Sli.Total})");
            yaml.Append("        for: ").Append(SloNumber.Duration(after)).Append('\n');
            yaml.Append("        labels:\n");
            yaml.Pair("          ", "severity", SeverityLabel(AlertSeverity.Ticket));
            yaml.Pair("          ", "service", YamlText.TemplateLiteral(slo.Service));
            yaml.Pair("          ", "slo", slo.Id);
            yaml.Append("        annotations:\n");
            yaml.Pair("          ", "summary", YamlText.TemplateLiteral($"{slo.Service}: the {slo.Id} SLO has no {slo.Sli.Total.Metric} series; its SLI cannot be measured."));
        }
    }

    private static void WriteAlert(StringBuilder yaml, ServiceLevelObjective slo, AlertSeverity severity, BurnRateTier[] tiers)
    {
        yaml.Append("      - alert: ").Append(AlertName(severity)).Append('\n');
        yaml.Block("        ", "expr", string.Join("\nor\n", tiers.Select(t => $"(\n  {Condition(slo, t, "\n  and\n  ")}\n)")));
        yaml.Append("        labels:\n");
        yaml.Pair("          ", "severity", SeverityLabel(severity));
        yaml.Pair("          ", "service", YamlText.TemplateLiteral(slo.Service));
        yaml.Pair("          ", "slo", slo.Id);
        yaml.Append("        annotations:\n");
        yaml.Pair("          ", "summary", YamlText.TemplateLiteral(Summary(slo)));
        yaml.Pair("          ", "description", YamlText.TemplateLiteral(Description(slo)));

        // Which window pair(s) tripped: a query per pair, so the alert's identity never has to say it.
        yaml.Pair("          ", "windows", string.Concat(tiers.Select(t =>
            $"{{{{ if query {YamlText.GoString(Condition(slo, t, " and "))} }}}}{PairName(t)}{{{{ end }}}}")));
    }

    /// <summary>Both windows of a tier above its threshold: burn-rate factor × error budget.</summary>
    private static string Condition(ServiceLevelObjective slo, BurnRateTier tier, string and)
    {
        string threshold = SloNumber.Format(tier.Factor(slo.Period) * slo.ErrorBudget);
        string condition = $"{ErrorRatioRecord(tier.LongWindow)}{Select(slo)} > {threshold}{and}{ErrorRatioRecord(tier.ShortWindow)}{Select(slo)} > {threshold}";
        return slo.MinimumEvents == 0
            ? condition
            : $"{condition}{and.Replace("and", "and on()", StringComparison.Ordinal)}sum(increase({slo.Sli.Total}[{SloNumber.Duration(tier.LongWindow)}])) >= {slo.MinimumEvents.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Select(ServiceLevelObjective slo) => $"{{slo={LabelMatcher.Quote(slo.Id)}}}";

    private static void Identity(StringBuilder yaml, ServiceLevelObjective slo)
    {
        yaml.Append("        labels:\n");
        yaml.Pair("          ", "service", slo.Service);
        yaml.Pair("          ", "slo", slo.Id);
    }
}
