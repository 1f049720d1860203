using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Incidents;

/// <summary>Options of <see cref="IncidentService"/>, set with <c>.AddIncidents(o => …)</c>.</summary>
/// <remarks>
/// Read once when the service is built; later changes have no effect. Checked when the host starts; the messages name
/// the bad option and value.
/// </remarks>
public sealed class IncidentOptions
{
    /// <summary>Gets or sets the prefix of new incident ids (<c>INC-20261204-7KQ2MD</c>).</summary>
    /// <value>The default is <c>INC</c>. 1 to 10 ASCII upper-case letters or digits, starting with a letter.</value>
    public string IdPrefix { get; set; } = "INC";

    /// <summary>
    /// Gets or sets how many times a change is re-applied to a fresh copy when another writer saved the incident first
    /// (<see cref="IncidentConflictException"/>), before the conflict is thrown to the caller.
    /// </summary>
    /// <value>The default is 5. From 0 to 100.</value>
    public int ConflictRetries { get; set; } = 5;

    /// <summary>Gets or sets whether the in-process SLO burn-rate alerts open and resolve incidents.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool OpenFromSloAlerts { get; set; } = true;

    /// <summary>Gets or sets the severity of an incident opened by an SLO page alert.</summary>
    /// <value>The default is <see cref="Severity.Sev2"/>.</value>
    public Severity SloPageSeverity { get; set; } = Severity.Sev2;

    /// <summary>Gets or sets the severity of an incident opened by an SLO ticket alert.</summary>
    /// <value>The default is <see cref="Severity.Sev4"/>.</value>
    public Severity SloTicketSeverity { get; set; } = Severity.Sev4;

    /// <summary>Gets or sets the period over which the exported MTTA, time to mitigate and MTTR are computed (incidents detected in it).</summary>
    /// <value>The default is 30 days. From 1 hour to 366 days.</value>
    public TimeSpan StatisticsWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Gets or sets how often the exported incident metrics are recomputed from the store (they are also recomputed
    /// after every change made through this service).
    /// </summary>
    /// <value>The default is 1 minute. From 1 second to 1 hour.</value>
    public TimeSpan StatisticsRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how Alertmanager notifications become incidents.</summary>
    public AlertmanagerIngestionOptions Alertmanager { get; } = new();

    /// <summary>Gets the severity for an SLO alert severity.</summary>
    internal Severity SeverityOf(AlertSeverity severity) => severity == AlertSeverity.Page ? SloPageSeverity : SloTicketSeverity;
}

/// <summary>How an Alertmanager notification (webhook payload version 4) becomes incidents.</summary>
public sealed class AlertmanagerIngestionOptions
{
    /// <summary>Gets or sets whether each alert gets its own incident or each alert group shares one.</summary>
    /// <value>The default is <see cref="AlertGrouping.PerAlert"/>.</value>
    public AlertGrouping Grouping { get; set; } = AlertGrouping.PerAlert;

    /// <summary>Gets or sets the alert label whose value picks the severity (looked up in <see cref="SeverityMap"/>).</summary>
    /// <value>The default is <c>severity</c>.</value>
    public string SeverityLabel { get; set; } = "severity";

    /// <summary>
    /// Gets the severity of each label value, compared ignoring case. Values <c>sev1</c>…<c>sev5</c> and
    /// <c>p1</c>…<c>p5</c> are understood without an entry.
    /// </summary>
    /// <value>The default maps <c>critical</c> and <c>page</c> to SEV1, <c>error</c> and <c>high</c> to SEV2,
    /// <c>warning</c> and <c>ticket</c> to SEV3, <c>info</c> to SEV4 and <c>none</c> to SEV5.</value>
    public IDictionary<string, Severity> SeverityMap { get; } = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = Severity.Sev1,
        ["page"] = Severity.Sev1,
        ["error"] = Severity.Sev2,
        ["high"] = Severity.Sev2,
        ["warning"] = Severity.Sev3,
        ["ticket"] = Severity.Sev3,
        ["info"] = Severity.Sev4,
        ["none"] = Severity.Sev5,
    };

    /// <summary>Gets or sets the severity when the label is missing or its value is not mapped.</summary>
    /// <value>The default is <see cref="Severity.Sev3"/>.</value>
    public Severity DefaultSeverity { get; set; } = Severity.Sev3;
}

/// <summary>How Alertmanager alerts map to incidents.</summary>
public enum AlertGrouping
{
    /// <summary>
    /// One incident per alert (its fingerprint and start time). Each alert of a notification is resolved by its own
    /// status, so a group that is firing overall can carry one resolved alert, which resolves that alert's incident only.
    /// </summary>
    PerAlert,

    /// <summary>
    /// One incident per alert group (Alertmanager's <c>groupKey</c>). Alerts joining or resolving are written to the
    /// incident's timeline; the incident resolves when the whole group has resolved.
    /// </summary>
    PerGroup,
}
