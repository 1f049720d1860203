using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Statistics;

public sealed class IncidentFiguresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static Incident Handled(string id, Severity severity, int ackMinutes, int mitigateMinutes, int resolveMinutes, int startDay = 0)
    {
        DateTimeOffset detected = T0.AddDays(startDay);
        return Incident.Open(id, "t", severity, detected, "alert")
            .Acknowledge("ana", detected.AddMinutes(ackMinutes))
            .TransitionTo(IncidentStatus.Investigating, "ana", detected.AddMinutes(ackMinutes))
            .TransitionTo(IncidentStatus.Mitigating, "ana", detected.AddMinutes(ackMinutes))
            .TransitionTo(IncidentStatus.Monitoring, "ana", detected.AddMinutes(mitigateMinutes))
            .TransitionTo(IncidentStatus.Resolved, "ana", detected.AddMinutes(resolveMinutes));
    }

    [Fact]
    public void Compute_MeanMedianP90_AndUnacknowledgedLeftOutOfMtta()
    {
        Incident[] incidents =
        [
            Handled("a", Severity.Sev1, 2, 10, 30),
            Handled("b", Severity.Sev1, 4, 20, 60),
            Handled("c", Severity.Sev2, 6, 30, 90),
            Handled("d", Severity.Sev2, 8, 40, 120),
            Incident.Open("e", "never acknowledged", Severity.Sev2, T0, "alert"),
        ];

        (IncidentFigures overall, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) = IncidentFigures.Compute(incidents);

        Assert.Equal(5, overall.Incidents);
        Assert.Equal(1, overall.Open);
        Assert.Equal(4, overall.TimeToAcknowledge.Count);
        Assert.Equal(TimeSpan.FromMinutes(5), overall.TimeToAcknowledge.Mean);
        Assert.Equal(TimeSpan.FromMinutes(5), overall.TimeToAcknowledge.Median);
        Assert.Equal(TimeSpan.FromMinutes(8), overall.TimeToAcknowledge.P90);
        Assert.Equal(TimeSpan.FromMinutes(25), overall.TimeToMitigate.Mean);
        Assert.Equal(TimeSpan.FromMinutes(75), overall.TimeToResolve.Mean);
        Assert.Equal(TimeSpan.FromMinutes(45), bySeverity[Severity.Sev1].TimeToResolve.Mean);
        Assert.Equal(1, bySeverity[Severity.Sev2].Open);
        Assert.False(bySeverity.ContainsKey(Severity.Sev3));
    }

    [Fact]
    public void Compute_Period_CountsIncidentsDetectedInside()
    {
        Incident[] incidents = [Handled("a", Severity.Sev1, 1, 2, 3, startDay: 0), Handled("b", Severity.Sev1, 1, 2, 3, startDay: 10)];

        (IncidentFigures overall, _) = IncidentFigures.Compute(incidents, T0.AddDays(5), T0.AddDays(15));

        Assert.Equal(1, overall.Incidents);
        Assert.Throws<ArgumentException>(() => IncidentFigures.Compute(incidents, T0.AddDays(5), T0.AddDays(5)));
    }

    [Fact]
    public void Compute_NoIncidents_NullFiguresNotZero()
    {
        (IncidentFigures overall, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) = IncidentFigures.Compute([]);

        Assert.Equal(0, overall.Incidents);
        Assert.Null(overall.TimeToAcknowledge.Mean);
        Assert.Null(overall.TimeToResolve.P90);
        Assert.Empty(bySeverity);
    }
}
