using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sample;

/// <summary>The sample's incident set-up: the store, the on-call schedule, the escalation policy and the webhook token.</summary>
internal static class SampleIncidents
{
    /// <summary>Where incidents are kept across runs.</summary>
    public static readonly string DatabasePath = Path.Combine("artifacts", "musubi.db");

    /// <summary>The path Alertmanager posts to.</summary>
    public const string WebhookPath = "/alerts/alertmanager";

    /// <summary>The key the in-process SLO page alert of /api/flaky opens its incident under.</summary>
    public const string FlakyPageAlertKey = "slo:flaky-availability:SLOErrorBudgetBurnPage";

    /// <summary>The bearer token Alertmanager must send (MUSUBI_ALERTMANAGER_TOKEN, or the sample's own).</summary>
    public static string WebhookToken =>
        Environment.GetEnvironmentVariable("MUSUBI_ALERTMANAGER_TOKEN") is { Length: > 0 } token ? token : "sample-alertmanager-token";

    /// <summary>Weekly day shifts handed off on Monday 09:00 Berlin time, and a night layer from 20:00 to 08:00.</summary>
    public static OnCallSchedule Schedule { get; } = new("sample-ops", "Sample ops", "Europe/Berlin",
    [
        ScheduleLayer.Weekly("primary", ["ana", "ben", "cleo"], new DateTime(2026, 1, 5, 9, 0, 0)),
        ScheduleLayer.Daily("nights", ["nina", "omar"], new DateTime(2026, 1, 5, 20, 0, 0),
            [TimeRestriction.Daily(new TimeOnly(20, 0), new TimeOnly(8, 0))]),
    ]);

    /// <summary>Page whoever is on call; the incident lead five minutes later if nobody acknowledges.</summary>
    public static EscalationPolicy Policy { get; } = new("sample-default", "Sample default",
    [
        new EscalationLevel([EscalationTarget.Schedule("sample-ops")], TimeSpan.FromMinutes(5)),
        new EscalationLevel([EscalationTarget.User("incident-lead")], TimeSpan.FromMinutes(15)),
    ]);
}
