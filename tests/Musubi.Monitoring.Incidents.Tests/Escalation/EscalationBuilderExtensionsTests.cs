using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

public sealed class EscalationBuilderExtensionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);

    private static OnCallSchedule Ops() =>
        new("ops", "Ops", "America/New_York", [ScheduleLayer.Daily("primary", ["ben", "cleo"], new DateTime(2026, 10, 31, 9, 0, 0))]);

    [Fact]
    public async Task AddEscalation_WithScheduleStoreAndLoggingNotifier_BuildsAnEngineFromTheContainer()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryIncidentStore();
        var logger = new ListLogger<LoggingIncidentNotifier>();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IIncidentStore>(store);
        services.AddSingleton<ILogger<LoggingIncidentNotifier>>(logger);
        services.AddMusubiMonitoring().AddEscalation().AddOnCallSchedule(Ops()).AddLoggingIncidentNotifier();
        using ServiceProvider provider = services.BuildServiceProvider();
        var policy = new EscalationPolicy("p", "P", [new EscalationLevel([EscalationTarget.Schedule("ops")], TimeSpan.FromMinutes(5))]);
        Incident incident = await store.AddAsync(Incident.Open("INC-1", "Disk full", Severity.Sev3, T0, "alertmanager"), TestContext.Current.CancellationToken);

        EscalationEngine engine = provider.GetRequiredService<EscalationEngine>();
        await engine.StartAsync(incident, policy, TestContext.Current.CancellationToken);

        // 05:00Z on 1 November is 01:00 EDT: still Saturday's shift (ben).
        Assert.Contains("notifying ben", Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
        Assert.Contains((await store.GetAsync("INC-1", TestContext.Current.CancellationToken))!.Timeline, e => e.Kind == "escalation");
        Assert.Same(engine, provider.GetRequiredService<EscalationEngine>());
    }

    [Fact]
    public void AddEscalationAndNotifiers_CalledTwice_RegisterNothingTwice()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();

        builder.AddEscalation().AddEscalation()
            .AddLoggingIncidentNotifier().AddLoggingIncidentNotifier()
            .AddWebhookIncidentNotifier(o => o.Endpoint = new Uri("http://127.0.0.1:9/a"))
            .AddWebhookIncidentNotifier(o => o.MaxRetries = 1);

        Assert.Single(services, d => d.ServiceType == typeof(EscalationEngine));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IIncidentNotifier)));
        using ServiceProvider provider = services.BuildServiceProvider();
        WebhookNotifierOptions options = provider.GetRequiredService<IOptions<WebhookNotifierOptions>>().Value;
        Assert.Equal((new Uri("http://127.0.0.1:9/a"), 1), (options.Endpoint, options.MaxRetries));
        Assert.Equal(2, provider.GetServices<IIncidentNotifier>().Count());
    }

    [Fact]
    public void AddWebhookIncidentNotifier_InvalidOptions_FailsWhenResolvedNamingTheValue()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddEscalation().AddWebhookIncidentNotifier(o => o.Endpoint = new Uri("ftp://example.org/"));
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<EscalationEngine>());

        Assert.Contains("'ftp://example.org/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOnCallSchedule_SameIdTwice_Throws()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring().AddOnCallSchedule(Ops());

        Assert.Contains("'ops'", Assert.Throws<ArgumentException>(() => builder.AddOnCallSchedule(Ops())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_NullArguments_Throw()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();

        Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddEscalation());
        Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddLoggingIncidentNotifier());
        Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddOnCallSchedule(Ops()));
        Assert.Throws<ArgumentNullException>(() => builder.AddOnCallSchedule(null!));
        Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddWebhookIncidentNotifier(_ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddWebhookIncidentNotifier(null!));
    }

    [Fact]
    public async Task CompositeNotifier_OneFails_ReportsItsErrorAndStillNotifiesTheOthers()
    {
        var first = new RecordingNotifier();
        var second = new RecordingNotifier { Behavior = _ => throw new InvalidOperationException("boom") };
        var composite = new CompositeIncidentNotifier([first, second]);
        var notification = new IncidentNotification("INC-1", "t", Severity.Sev1, "p", 1, 1, ["ana"], T0);

        NotificationResult result = await composite.NotifyAsync(notification, TestContext.Current.CancellationToken);

        Assert.Single(first.Received);
        Assert.Equal(NotificationResult.Failure(1, "RecordingNotifier: InvalidOperationException: boom"), result);
    }
}
