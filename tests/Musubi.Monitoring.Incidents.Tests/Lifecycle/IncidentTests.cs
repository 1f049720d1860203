using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Lifecycle;

public sealed class IncidentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static Incident Opened() => Incident.Open("INC-1", "Checkout 5xx", Severity.Sev2, T0, "alertmanager");

    [Fact]
    public void WithNoteOrTimelineEntry_ClosedIncident_ThrowsLikeEveryOtherChange()
    {
        Incident closed = Reach(IncidentStatus.Closed);
        DateTimeOffset later = closed.Timeline[^1].At.AddMinutes(1);

        var note = Assert.Throws<InvalidOperationException>(() => closed.WithNote("ana", later, "late note"));
        Assert.Contains("closed", note.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => closed.WithTimelineEntry("runbook-runner", later, "runbook", "late step"));
    }

    [Fact]
    public void WithTimelineEntry_RecordsItsKindAndRefusesTheIncidentsOwnKinds()
    {
        Incident incident = Opened().WithTimelineEntry("runbook-runner", T0.AddMinutes(1), "runbook", "Started 'restart-api' v2");

        Assert.Equal(("runbook", "runbook-runner", "Started 'restart-api' v2"),
            (incident.Timeline[^1].Kind, incident.Timeline[^1].Actor, incident.Timeline[^1].Text));
        ArgumentException own = Assert.Throws<ArgumentException>(() => incident.WithTimelineEntry("x", T0.AddMinutes(2), "Status", "forged"));
        Assert.Contains("'Status'", own.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => incident.WithTimelineEntry("x", T0, "runbook", "too early"));
        Assert.Throws<ArgumentException>(() => incident.WithTimelineEntry("x", T0.AddMinutes(2), " ", "text"));
    }

    [Fact]
    public void FullLifecycle_SetsEveryTimestampAndRecordsEveryChange()
    {
        Incident incident = Opened()
            .Acknowledge("ana", T0.AddMinutes(3))
            .TransitionTo(IncidentStatus.Triaging, "ana", T0.AddMinutes(4))
            .WithCommander("ana", "ana", T0.AddMinutes(4))
            .WithResponder("ben", "ana", T0.AddMinutes(5))
            .TransitionTo(IncidentStatus.Investigating, "ben", T0.AddMinutes(6))
            .TransitionTo(IncidentStatus.Identified, "ben", T0.AddMinutes(20), "bad deploy")
            .TransitionTo(IncidentStatus.Mitigating, "ben", T0.AddMinutes(21))
            .TransitionTo(IncidentStatus.Monitoring, "ben", T0.AddMinutes(30))
            .WithDetails("ana", T0.AddMinutes(40), rootCause: "config flag", resolution: "rolled back", affectedServices: ["checkout"])
            .TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(60))
            .TransitionTo(IncidentStatus.Closed, "ana", T0.AddDays(2));

        Assert.Equal(T0, incident.DetectedAt);
        Assert.Equal(T0.AddMinutes(3), incident.AcknowledgedAt);
        Assert.Equal("ana", incident.AcknowledgedBy);
        Assert.Equal(T0.AddMinutes(30), incident.MitigatedAt);
        Assert.Equal(T0.AddMinutes(60), incident.ResolvedAt);
        Assert.Equal(T0.AddDays(2), incident.ClosedAt);
        Assert.Equal(["ben"], incident.Responders);
        Assert.Equal(12, incident.Timeline.Length);
        Assert.Equal(["opened", "acknowledged", "status", "commander", "responder", "status", "status", "status", "status", "details", "status", "status"],
            incident.Timeline.Select(e => e.Kind));
        Assert.Contains("Identified: bad deploy", incident.Timeline[6].Text, StringComparison.Ordinal);
        Assert.False(incident.IsOpen);
    }

    [Theory]
    [InlineData(IncidentStatus.Detected, IncidentStatus.Monitoring)]
    [InlineData(IncidentStatus.Detected, IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Triaging, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Detected)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Investigating)]
    public void TransitionTo_ImpossibleMove_ThrowsNamingBothStatuses(IncidentStatus from, IncidentStatus to)
    {
        Incident incident = Reach(from);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => incident.TransitionTo(to, "ana", T0.AddDays(3)));

        Assert.Contains(from.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(to.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(incident.Timeline.Length, Reach(from).Timeline.Length);
    }

    [Fact]
    public void Acknowledge_Twice_ThrowsNamingTheFirst()
    {
        Incident incident = Opened().Acknowledge("ana", T0.AddMinutes(1));

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => incident.Acknowledge("ben", T0.AddMinutes(2)));

        Assert.Contains("ana", error.Message, StringComparison.Ordinal);
        Assert.Equal("ana", incident.AcknowledgedBy);
    }

    [Fact]
    public void Reopen_Resolved_BackToInvestigatingWithTimesClearedAndRecorded()
    {
        Incident resolved = Opened().TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(5));
        Assert.Equal(T0.AddMinutes(5), resolved.MitigatedAt);

        Incident reopened = resolved.Reopen("ben", T0.AddMinutes(50), "errors are back");

        Assert.Equal(IncidentStatus.Investigating, reopened.Status);
        Assert.Null(reopened.ResolvedAt);
        Assert.Null(reopened.MitigatedAt);
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Equal("reopened", reopened.Timeline[^1].Kind);
        Assert.Contains("errors are back", reopened.Timeline[^1].Text, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Opened().Reopen("ben", T0, "not resolved"));
        Assert.Throws<InvalidOperationException>(() => Reach(IncidentStatus.Closed).Reopen("ben", T0.AddDays(3), "closed"));
    }

    [Fact]
    public void Changes_BackInTimeOrOnAClosedIncident_AreRefused()
    {
        Incident incident = Opened().Acknowledge("ana", T0.AddMinutes(5));

        Assert.Throws<ArgumentOutOfRangeException>(() => incident.TransitionTo(IncidentStatus.Triaging, "ana", T0.AddMinutes(4)));
        Assert.Throws<InvalidOperationException>(() => Reach(IncidentStatus.Closed).WithCommander("x", "ana", T0.AddDays(3)));
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Incident.Open(" ", "t", Severity.Sev1, T0, "a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Incident.Open("i", "t", (Severity)6, T0, "a"));
        Assert.Throws<ArgumentException>(() => Opened().Acknowledge("", T0));
        Assert.Throws<ArgumentException>(() => Opened().WithDetails("a", T0, tags: ["ok", " "]));
        Incident opened = Opened();
        Assert.Same(opened, opened.WithDetails("a", T0));   // nothing to change: no timeline entry
    }

    private static Incident Reach(IncidentStatus status)
    {
        Incident incident = Opened();
        IncidentStatus[] path = [IncidentStatus.Triaging, IncidentStatus.Investigating, IncidentStatus.Identified, IncidentStatus.Mitigating,
            IncidentStatus.Monitoring, IncidentStatus.Resolved, IncidentStatus.Closed];
        DateTimeOffset at = T0;
        foreach (IncidentStatus next in path.TakeWhile(_ => incident.Status != status))
        {
            at = at.AddMinutes(1);
            incident = incident.TransitionTo(next, "ana", at);
        }

        return incident;
    }
}
