using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sqlite.Tests.Incidents;

internal static class IncidentSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static Incident Simple(string id, DateTimeOffset detectedAt, Severity severity = Severity.Sev3, string? alertKey = null) =>
        Incident.Open(id, $"Incident {id}", severity, detectedAt, "alertmanager", alertKey);

    public static Incident Resolved(string id, DateTimeOffset detectedAt, Severity severity = Severity.Sev3, string? alertKey = null) =>
        Simple(id, detectedAt, severity, alertKey).TransitionTo(IncidentStatus.Resolved, "ana", detectedAt.AddMinutes(5));

    /// <summary>An incident with every field set, a reopening, times in another offset, and a long timeline.</summary>
    public static Incident Full(string id)
    {
        var offset = TimeSpan.FromHours(9);
        DateTimeOffset t = T0.ToOffset(offset).AddTicks(1234567);
        return Incident.Open(id, "Checkout — 500s on pay « ünïcode » \"quoted\"", Severity.Sev2, t, "alertmanager", "fp:abc123@2026-03-14T09:26:53Z")
            .Acknowledge("ana", t.AddMinutes(1))
            .TransitionTo(IncidentStatus.Investigating, "ana", t.AddMinutes(2), "looking at the payment gateway")
            .WithCommander("bo", "ana", t.AddMinutes(3))
            .WithAssignee("chen", "bo", t.AddMinutes(3))
            .WithResponder("dee", "bo", t.AddMinutes(4))
            .WithResponder("eli", "bo", t.AddMinutes(4))
            .WithDetails("bo", t.AddMinutes(5), rootCause: "expired certificate", customerImpact: "12% of payments failed",
                affectedServices: ["checkout", "payments"], tags: ["tls", "gateway"], relatedIncidents: ["INC-1", "INC-2"])
            .WithNote("chen", t.AddMinutes(6), "line one\nline two")
            .WithTimelineEntry("runbook-bot", t.AddMinutes(7), "runbook", "Ran rotate-certs: ok")
            .TransitionTo(IncidentStatus.Mitigating, "chen", t.AddMinutes(8))
            .TransitionTo(IncidentStatus.Monitoring, "chen", t.AddMinutes(9))
            .TransitionTo(IncidentStatus.Resolved, "bo", t.AddMinutes(10))
            .Reopen("dee", t.AddMinutes(11), "errors are back")
            .WithSeverity(Severity.Sev1, "bo", t.AddMinutes(12))
            .TransitionTo(IncidentStatus.Mitigating, "chen", t.AddMinutes(13))
            .TransitionTo(IncidentStatus.Resolved, "bo", t.AddMinutes(14))
            .WithDetails("bo", t.AddMinutes(15), resolution: "certificate renewed; expiry alert added")
            .TransitionTo(IncidentStatus.Closed, "bo", t.AddMinutes(16));
    }

    /// <summary>Asserts two incidents are equal field by field (records compare lists by reference).</summary>
    public static void AssertSame(Incident expected, Incident actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Severity, actual.Severity);
        Assert.Equal(expected.Status, actual.Status);
        AssertTime(expected.DetectedAt, actual.DetectedAt);
        AssertTime(expected.AcknowledgedAt, actual.AcknowledgedAt);
        Assert.Equal(expected.AcknowledgedBy, actual.AcknowledgedBy);
        AssertTime(expected.MitigatedAt, actual.MitigatedAt);
        AssertTime(expected.ResolvedAt, actual.ResolvedAt);
        AssertTime(expected.ClosedAt, actual.ClosedAt);
        Assert.Equal(expected.Commander, actual.Commander);
        Assert.Equal(expected.Assignee, actual.Assignee);
        Assert.Equal(expected.Responders, actual.Responders);
        Assert.Equal(expected.AffectedServices, actual.AffectedServices);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.RelatedIncidents, actual.RelatedIncidents);
        Assert.Equal(expected.RootCause, actual.RootCause);
        Assert.Equal(expected.Resolution, actual.Resolution);
        Assert.Equal(expected.CustomerImpact, actual.CustomerImpact);
        Assert.Equal(expected.ReopenCount, actual.ReopenCount);
        Assert.Equal(expected.AlertKey, actual.AlertKey);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.IsOpen, actual.IsOpen);
        Assert.Equal(expected.Timeline.Length, actual.Timeline.Length);
        for (int i = 0; i < expected.Timeline.Length; i++)
        {
            Assert.Equal(expected.Timeline[i], actual.Timeline[i]);
            Assert.Equal(expected.Timeline[i].At.Offset, actual.Timeline[i].At.Offset);
        }
    }

    private static void AssertTime(DateTimeOffset? expected, DateTimeOffset? actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(expected?.Offset, actual?.Offset);
        Assert.Equal(expected?.Ticks, actual?.Ticks);
    }
}
