using System.Globalization;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.PostMortems;

/// <summary>A resolved incident with hostile text everywhere, and the post-mortem written from it.</summary>
internal static class PostMortemSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    public const string NastyTitle = "Checkout | 5xx\n# after `deploy` <script>alert(1)</script> — Zahlungsausfall für Kunden ✓";

    public const string NastyRootCause =
        "Config flag `retry_budget` set to 0 | rolled out\n- to all regions\n1. without a canary <b>bold</b> & &amp; \\ [link](http://x) *em* _em_ ~~del~~ $x$";

    public static Incident ResolvedIncident() =>
        Incident.Open("INC-42", NastyTitle, Severity.Sev2, T0, "alertmanager", alertKey: "fp:9f2c")
            .Acknowledge("ana", T0.AddMinutes(4))
            .TransitionTo(IncidentStatus.Investigating, "ana", T0.AddMinutes(5))
            .WithNote("ben", T0.AddMinutes(6), "Error rate | 5xx at 40 %\n<script>alert('x')</script>")
            .TransitionTo(IncidentStatus.Identified, "ben", T0.AddMinutes(20), "bad flag")
            .TransitionTo(IncidentStatus.Mitigating, "ben", T0.AddMinutes(21))
            .TransitionTo(IncidentStatus.Monitoring, "ben", T0.AddMinutes(30))
            .WithDetails("ana", T0.AddMinutes(40),
                rootCause: NastyRootCause,
                resolution: "Rolled back to v1.2.3; set `retry_budget` = 10.",
                customerImpact: "12 % of EU checkouts failed (≈ 3 400 €).\n\n== not a heading\n    not code",
                affectedServices: ["checkout", "payments|eu"])
            .TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(60))
            .Reopen("ana", T0.AddMinutes(75), "5xx returned")
            .TransitionTo(IncidentStatus.Mitigating, "ben", T0.AddMinutes(80))
            .TransitionTo(IncidentStatus.Monitoring, "ben", T0.AddMinutes(85))
            .TransitionTo(IncidentStatus.Resolved, "ana", T0.AddSeconds(5430));

    public static PostMortem Draft() => PostMortem.FromIncident(ResolvedIncident(), T0.AddDays(1), "ana");

    public static PostMortem Published()
    {
        DateTimeOffset t = T0.AddDays(1);
        return Draft()
            .Edit("chen", t.AddHours(1),
                trigger: "Deploy #4521 of `checkout-api` at 09:58.",
                actionItems:
                [
                    new ActionItem("Add a | canary\nstage for config flags", ActionItemType.Prevent, "team-payments", new DateOnly(2026, 12, 18)),
                    new ActionItem("Alert on retry budget = 0", ActionItemType.Mitigate, "Søren <sre@example.com>", new DateOnly(2026, 12, 11), ActionItemStatus.InProgress),
                    new ActionItem("Review the rollback runbook", ActionItemType.Process, "chen", new DateOnly(2027, 1, 8), ActionItemStatus.WontDo),
                ],
                lessonsLearned: new LessonsLearned
                {
                    WentWell = ["The alert fired within 2 minutes.", "Rollback took 9 minutes."],
                    WentWrong = ["The first resolution did not hold: the flag was cached | twice."],
                    GotLucky = ["It happened outside the peak hour *and* before the sale."],
                })
            .TransitionTo(PostMortemStatus.InReview, "chen", t.AddHours(2))
            .TransitionTo(PostMortemStatus.Published, "dana", t.AddHours(3), "approved");
    }
}

/// <summary>Sets the current culture and UI culture until disposed.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public CultureScope(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
