using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    public async Task ResumeAsync_PicksUpAtTheLevelDueNowAndKeepsTheLaterOnesOnTime()
    {
        var policy = new EscalationPolicy("p", "P", [
            new EscalationLevel([EscalationTarget.User("ana")], TimeSpan.FromMinutes(5)),
            new EscalationLevel([EscalationTarget.User("lead")], TimeSpan.FromMinutes(15)),
        ], repeatCount: 1);
        using var engine = new EscalationEngine(_notifier, _time);
        Incident incident = Incident.Open("INC-1", "t", Severity.Sev2, T0.AddMinutes(-7), "alertmanager");

        Assert.True(await engine.ResumeAsync(incident, policy));   // level 1 was due at -7, level 2 at -2: level 2 now
        _time.Advance(TimeSpan.FromMinutes(13));                    // round 2, level 1 due at -7 + 20 = +13

        Assert.Equal([(2, 1, T0), (1, 2, T0.AddMinutes(13))], _notifier.Received.Select(n => (n.Level, n.Round, n.At)));
        Assert.False(await engine.ResumeAsync(incident, policy));  // already escalating
    }

    [Fact]
    public async Task ResumeAsync_PastTheLastLevelOrAcknowledged_DoesNothing()
    {
        using var engine = new EscalationEngine(_notifier, _time);

        Assert.False(await engine.ResumeAsync(Incident.Open("INC-1", "t", Severity.Sev2, T0.AddHours(-2), "x"), Policy));
        Assert.False(await engine.ResumeAsync(Incident.Open("INC-2", "t", Severity.Sev2, T0, "x").Acknowledge("ana", T0), Policy));
        Assert.Empty(_notifier.Received);
    }

    [Fact]
    public async Task HostStart_ResumesOpenUnacknowledgedIncidentsFromTheStore()
    {
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Incident.Open("INC-open", "paging", Severity.Sev2, T0.AddMinutes(-2), "alertmanager"));
        await store.AddAsync(Incident.Open("INC-acked", "acked", Severity.Sev1, T0.AddMinutes(-2), "alertmanager").Acknowledge("ana", T0.AddMinutes(-1)));
        await store.AddAsync(Incident.Open("INC-minor", "minor", Severity.Sev4, T0.AddMinutes(-2), "alertmanager"));
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IIncidentStore>(store);
        builder.Services.AddSingleton<IIncidentNotifier>(_notifier);
        builder.Services.AddMusubiMonitoring().AddIncidents().AddEscalation(Policy);
        using IHost host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredService<EscalationIncidentObserver>().Resumed;
        _time.Advance(TimeSpan.FromMinutes(3));   // level 2 due at -2 + 5 = +3
        await host.StopAsync();

        Assert.Equal([("INC-open", 1, T0), ("INC-open", 2, T0.AddMinutes(3))],
            _notifier.Received.Select(n => (n.IncidentId, n.Level, n.At)));
    }

    [Fact]
    public async Task HostStart_PagerThatHangs_DoesNotHoldUpTheStart()
    {
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Incident.Open("INC-open", "paging", Severity.Sev2, T0, "alertmanager"));
        var hanging = new TaskCompletionSource<NotificationResult>();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IIncidentStore>(store);
        builder.Services.AddSingleton<IIncidentNotifier>(new HangingNotifier(hanging.Task));
        builder.Services.AddMusubiMonitoring().AddIncidents().AddEscalation(Policy);
        using IHost host = builder.Build();

        Task start = host.StartAsync();
        Task first = await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(start, first);
        Assert.False(host.Services.GetRequiredService<EscalationIncidentObserver>().Resumed.IsCompleted);
        hanging.SetResult(NotificationResult.Success(1));
        await host.Services.GetRequiredService<EscalationIncidentObserver>().Resumed;
        await host.StopAsync();
    }

    private sealed class HangingNotifier(Task<NotificationResult> result) : IIncidentNotifier
    {
        public Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => result;
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
