using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

public sealed class EscalationIncidentObserverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly EscalationPolicy Policy = new("default", "Default", [
        new EscalationLevel([EscalationTarget.User("ana")], TimeSpan.FromMinutes(5)),
        new EscalationLevel([EscalationTarget.User("lead")], TimeSpan.FromMinutes(15)),
    ]);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingNotifier _notifier = new();

    private ServiceProvider Build(Severity pageUpTo = Severity.Sev3)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IIncidentNotifier>(_notifier);
        services.AddMusubiMonitoring().AddIncidents().AddEscalation(Policy, pageUpTo);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task OpenedThroughTheService_EscalatesUntilAcknowledgedThroughIt()
    {
        await using ServiceProvider provider = Build();
        IncidentService incidents = provider.GetRequiredService<IncidentService>();
        EscalationEngine engine = provider.GetRequiredService<EscalationEngine>();

        Incident incident = await incidents.OpenAsync("Checkout 5xx", Severity.Sev2, "alertmanager");
        _time.Advance(TimeSpan.FromMinutes(5));
        await incidents.AcknowledgeAsync(incident.Id, "lead");
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal([(1, "ana", T0), (2, "lead", T0.AddMinutes(5))],
            _notifier.Received.Select(n => (n.Level, n.Recipients.Single(), n.At)));
        Assert.False(engine.IsEscalating(incident.Id));
        Incident stored = (await incidents.GetAsync(incident.Id))!;
        Assert.Equal(2, stored.Timeline.Count(e => e.Kind == EscalationEngine.TimelineKind));
    }

    [Fact]
    public async Task ResolvedThroughTheService_StopsEscalation()
    {
        await using ServiceProvider provider = Build();
        IncidentService incidents = provider.GetRequiredService<IncidentService>();

        Incident incident = await incidents.OpenAsync("Checkout 5xx", Severity.Sev1, "alertmanager");
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ana", "false alarm");
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Single(_notifier.Received);
        Assert.False(provider.GetRequiredService<EscalationEngine>().IsEscalating(incident.Id));
    }

    [Fact]
    public async Task LessSevereThanPageUpTo_IsNotEscalated()
    {
        await using ServiceProvider provider = Build(pageUpTo: Severity.Sev2);
        IncidentService incidents = provider.GetRequiredService<IncidentService>();

        await incidents.OpenAsync("Disk at 80%", Severity.Sev3, "alertmanager");
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(_notifier.Received);
    }

    [Fact]
    public void AddEscalation_BadArguments_Throw()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();

        Assert.Throws<ArgumentNullException>(() => builder.AddEscalation(null!, Severity.Sev2));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddEscalation(Policy, (Severity)6));
        builder.AddEscalation(Policy);
        var twice = Assert.Throws<InvalidOperationException>(() => builder.AddEscalation(Policy));
        Assert.Contains("'default'", twice.Message, StringComparison.Ordinal);
    }
}
