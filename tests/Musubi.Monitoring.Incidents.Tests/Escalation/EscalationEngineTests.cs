using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

public sealed class EscalationEngineTests
{
    // 23:30Z on 28 March 2026 is 00:30 CET on the 29th in Berlin, the night the clocks go forward at 01:00Z.
    private static readonly DateTimeOffset T0 = new(2026, 3, 28, 23, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Ten = TimeSpan.FromMinutes(10);

    private static Incident Opened(string id = "INC-1") => Incident.Open(id, "Checkout 5xx", Severity.Sev2, T0, "alertmanager");

    /// <summary>L1: ana, 5 minutes; L2: whoever "ops" has on call, 10 minutes.</summary>
    private static EscalationPolicy Policy(int repeatCount = 0) => new("default", "Default", [
        new EscalationLevel([EscalationTarget.User("ana")], Five),
        new EscalationLevel([EscalationTarget.Schedule("ops")], Ten),
    ], repeatCount);

    /// <summary>Daily 09:00 Berlin rotation with ben on call around <see cref="T0"/>.</summary>
    private static OnCallSchedule Ops() =>
        new("ops", "Ops", "Europe/Berlin", [ScheduleLayer.Daily("primary", ["ben", "cleo"], new DateTime(2026, 3, 28, 9, 0, 0))]);

    [Fact]
    public async Task StartAsync_NobodyAcknowledges_NotifiesEachLevelAtItsInstantAndRepeats()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        using var engine = new EscalationEngine(notifier, time, [Ops()]);

        Assert.True(await engine.StartAsync(Opened(), Policy(repeatCount: 1), Ct));
        Assert.Single(notifier.Received);
        time.Advance(Five - TimeSpan.FromSeconds(1));
        Assert.Single(notifier.Received);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, notifier.Received.Count);
        time.Advance(Ten - TimeSpan.FromTicks(1));
        Assert.Equal(2, notifier.Received.Count);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(engine.IsEscalating("INC-1"));
        time.Advance(Five);
        time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(
            [(T0, 1, 1, "ana"), (T0 + Five, 2, 1, "ben"), (T0 + Five + Ten, 1, 2, "ana"), (T0 + Five + Ten + Five, 2, 2, "ben")],
            notifier.Received.Select(n => (n.At, n.Level, n.Round, string.Join(",", n.Recipients))));
        Assert.All(notifier.Received, n => Assert.Equal(("INC-1", "Checkout 5xx", Severity.Sev2, "default"), (n.IncidentId, n.Title, n.Severity, n.PolicyId)));
        Assert.False(engine.IsEscalating("INC-1"));
        Assert.Equal(0, engine.ActiveCount);
    }

    [Fact]
    public async Task Acknowledge_AfterFirstLevel_StopsEveryLaterLevel()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        using var engine = new EscalationEngine(notifier, time, [Ops()]);
        await engine.StartAsync(Opened(), Policy(repeatCount: 3), Ct);
        time.Advance(TimeSpan.FromMinutes(3));

        Assert.True(engine.Acknowledge("INC-1"));
        time.Advance(TimeSpan.FromHours(3));

        Assert.Single(notifier.Received);
        Assert.False(engine.IsEscalating("INC-1"));
        Assert.False(engine.Acknowledge("INC-1"));
    }

    [Fact]
    public async Task Stop_AfterSecondLevel_StopsTheRepeats()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        using var engine = new EscalationEngine(notifier, time, [Ops()]);
        await engine.StartAsync(Opened(), Policy(repeatCount: 2), Ct);
        time.Advance(Five);

        Assert.True(engine.Stop("INC-1"));
        time.Advance(TimeSpan.FromHours(3));

        Assert.Equal([1, 2], notifier.Received.Select(n => n.Level));
    }

    [Fact]
    public async Task Escalation_IncidentAcknowledgedInTheStore_StopsBeforeTheNextLevel()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Opened(), Ct);
        using var engine = new EscalationEngine(notifier, time, [Ops()], store);
        await engine.StartAsync(Opened(), Policy(), Ct);
        time.Advance(TimeSpan.FromMinutes(2));

        // Acknowledged elsewhere (another host, a chat button): nobody calls engine.Acknowledge.
        Incident stored = (await store.GetAsync("INC-1", Ct))!;
        await store.UpdateAsync(stored.Acknowledge("ana", time.GetUtcNow()), Ct);
        time.Advance(TimeSpan.FromHours(1));

        Assert.Single(notifier.Received);
        Assert.False(engine.IsEscalating("INC-1"));
        TimelineEntry entry = Assert.Single((await store.GetAsync("INC-1", Ct))!.Timeline, e => e.Kind == EscalationEngine.TimelineKind);
        Assert.Equal((T0, "escalation", "Level 1, round 1 of policy 'default': notified ana."), (entry.At, entry.Actor, entry.Text));
    }

    [Fact]
    public async Task Escalation_IncidentResolvedInTheStore_Stops()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Opened(), Ct);
        using var engine = new EscalationEngine(notifier, time, [Ops()], store);
        await engine.StartAsync(Opened(), Policy(), Ct);

        Incident stored = (await store.GetAsync("INC-1", Ct))!;
        await store.UpdateAsync(stored.TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(1), "flapped"), Ct);
        time.Advance(Five);

        Assert.Single(notifier.Received);
        Assert.False(engine.IsEscalating("INC-1"));
    }

    [Fact]
    public async Task Escalation_WithStore_RecordsEveryNotificationInTheTimeline()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Opened(), Ct);
        using var engine = new EscalationEngine(new RecordingNotifier(), time, [Ops()], store);
        await engine.StartAsync(Opened(), Policy(), Ct);

        time.Advance(Five);

        Assert.Equal(
            [(T0, "Level 1, round 1 of policy 'default': notified ana."), (T0 + Five, "Level 2, round 1 of policy 'default': notified ben.")],
            (await store.GetAsync("INC-1", Ct))!.Timeline.Where(e => e.Kind == "escalation").Select(e => (e.At, e.Text)));
    }

    [Fact]
    public async Task Escalation_StaleVersionWhenRecording_ReReadsAndRetries()
    {
        var time = new FakeTimeProvider(T0);
        var store = new ConflictingStore(conflicts: 2);
        await store.AddAsync(Opened(), Ct);
        using var engine = new EscalationEngine(new RecordingNotifier(), time, [Ops()], store);

        await engine.StartAsync(Opened(), Policy(), Ct);

        Incident stored = (await store.GetAsync("INC-1", Ct))!;
        Assert.Equal(2, stored.Timeline.Count(e => e.Kind == "note"));
        Assert.Single(stored.Timeline, e => e.Kind == "escalation");
    }

    [Fact]
    public async Task Escalation_NotifierThrowsOrFails_KeepsEscalatingAndLogsIt()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier
        {
            Behavior = n => n.Level == 1 ? throw new HttpRequestException("pager down") : NotificationResult.Failure(3, "HTTP 503"),
        };
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Opened(), Ct);
        var logger = new ListLogger<EscalationEngine>();
        using var engine = new EscalationEngine(notifier, time, [Ops()], store, logger);

        await engine.StartAsync(Opened(), Policy(repeatCount: 1), Ct);
        time.Advance(Five);
        time.Advance(Ten);

        Assert.Equal([1, 2, 1], notifier.Received.Select(n => n.Level));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Exception is HttpRequestException);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("HTTP 503", StringComparison.Ordinal));
        string[] texts = [.. (await store.GetAsync("INC-1", Ct))!.Timeline.Where(e => e.Kind == "escalation").Select(e => e.Text)];
        Assert.Contains("delivery failed after 1 attempt(s): HttpRequestException: pager down", texts[0], StringComparison.Ordinal);
        Assert.Contains("delivery failed after 3 attempt(s): HTTP 503", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalation_ScheduleTarget_ResolvesWhoIsOnCallAtEachLevelsInstant()
    {
        // Hand-off at 02:00 local, which 29 March skips: it happens when the clocks jump, at 01:00Z. Levels are due at
        // 23:30Z, 00:30Z (ben), 01:30Z (cleo) and 02:30Z (an override for olga by then).
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var ops = new OnCallSchedule("ops", "Ops", "Europe/Berlin", [ScheduleLayer.Daily("primary", ["ben", "cleo"], new DateTime(2026, 3, 28, 2, 0, 0))]);
        var policy = new EscalationPolicy("sched", "Schedule only", [new EscalationLevel([EscalationTarget.Schedule("ops"), EscalationTarget.User("ben")], TimeSpan.FromHours(1))], repeatCount: 3);
        using var engine = new EscalationEngine(notifier, time, [ops]);

        await engine.StartAsync(Opened(), policy, Ct);
        // One hour at a time: FakeTimeProvider runs the callbacks of a single Advance at its end time.
        time.Advance(TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(1));
        engine.SetSchedule(ops.WithOverride(new ScheduleOverride("olga", T0.AddHours(3), T0.AddHours(4))));
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["ben", "ben", "cleo,ben", "olga,ben"], notifier.Received.Select(n => string.Join(",", n.Recipients)));
    }

    [Fact]
    public async Task Escalation_LevelWithNobodyOnCall_NotifiesTheNextLevelAtOnce()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        // Office hours only: nobody at 00:30 local.
        var office = new OnCallSchedule("office", "Office", "Europe/Berlin",
            [ScheduleLayer.Weekly("office", ["ana"], new DateTime(2026, 3, 2, 9, 0, 0), [TimeRestriction.Weekdays(new TimeOnly(9, 0), new TimeOnly(17, 0))])]);
        var policy = new EscalationPolicy("p", "P", [
            new EscalationLevel([EscalationTarget.Schedule("office")], Five),
            new EscalationLevel([EscalationTarget.User("boss")], Ten),
        ]);
        var logger = new ListLogger<EscalationEngine>();
        using var engine = new EscalationEngine(notifier, time, [office], logger: logger);

        await engine.StartAsync(Opened(), policy, Ct);

        IncidentNotification only = Assert.Single(notifier.Received);
        Assert.Equal((2, T0, "boss"), (only.Level, only.At, only.Recipients[0]));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("nobody on call", StringComparison.Ordinal));
        time.Advance(Ten);
        Assert.False(engine.IsEscalating("INC-1"));
    }

    [Fact]
    public async Task StartAsync_AlreadyEscalatingOrAcknowledgedOrResolved_ReturnsFalseAndNotifiesNothingMore()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        using var engine = new EscalationEngine(notifier, time, [Ops()]);
        await engine.StartAsync(Opened(), Policy(), Ct);

        Assert.False(await engine.StartAsync(Opened(), Policy(), Ct));
        Assert.False(await engine.StartAsync(Opened("INC-2").Acknowledge("ana", T0), Policy(), Ct));
        Assert.False(await engine.StartAsync(Opened("INC-3").TransitionTo(IncidentStatus.Resolved, "ana", T0), Policy(), Ct));
        Assert.Single(notifier.Received);
    }

    [Fact]
    public async Task StartAsync_ById_ReadsTheIncidentFromTheStore()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Opened(), Ct);
        using var engine = new EscalationEngine(notifier, time, [Ops()], store);
        using var storeless = new EscalationEngine(notifier, time, [Ops()]);

        Assert.True(await engine.StartAsync("INC-1", Policy(), Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.StartAsync("INC-404", Policy(), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storeless.StartAsync("INC-1", Policy(), Ct));

        Assert.Equal("Checkout 5xx", Assert.Single(notifier.Received).Title);
    }

    [Fact]
    public async Task StartAsync_PolicyNamesUnknownSchedule_ThrowsNamingIt()
    {
        using var engine = new EscalationEngine(new RecordingNotifier(), new FakeTimeProvider(T0));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => engine.StartAsync(Opened(), Policy(), Ct));

        Assert.Contains("'ops'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.ActiveCount);
    }

    [Fact]
    public async Task Dispose_WhileEscalating_StopsTimersAndRefusesNewStarts()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var engine = new EscalationEngine(notifier, time, [Ops()]);
        await engine.StartAsync(Opened(), Policy(repeatCount: 5), Ct);

        engine.Dispose();
        engine.Dispose();
        time.Advance(TimeSpan.FromHours(5));

        Assert.Single(notifier.Received);
        Assert.Equal(0, engine.ActiveCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.StartAsync(Opened("INC-2"), Policy(), Ct));
    }

    [Fact]
    public async Task Escalation_ManyIncidentsStartedAndAcknowledgedConcurrently_EachStopsCleanly()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        using var engine = new EscalationEngine(notifier, time, [Ops()]);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => engine.StartAsync(Opened($"INC-{i}"), Policy(repeatCount: 1), Ct))));
        Parallel.For(0, 25, i => engine.Acknowledge($"INC-{i}"));
        time.Advance(Five);

        Assert.Equal(25, engine.ActiveCount);
        Assert.Equal(75, notifier.Received.Count);
        Assert.DoesNotContain(notifier.Received, n => n.Level == 2 && int.Parse(n.IncidentId[4..], System.Globalization.CultureInfo.InvariantCulture) < 25);
    }

    [Fact]
    public void Constructors_InvalidPolicies_ThrowWithClearMessages()
    {
        EscalationLevel level = new([EscalationTarget.User("ana")], Five);

        Assert.Contains("'p'", Assert.Throws<ArgumentException>(() => new EscalationPolicy("p", "P", [])).Message, StringComparison.Ordinal);
        Assert.Contains("10", Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationPolicy("p", "P", [level], repeatCount: 10)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationPolicy("p", "P", [level], repeatCount: -1));
        Assert.Contains("00:00:00", Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationLevel([EscalationTarget.User("ana")], TimeSpan.Zero)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationLevel([EscalationTarget.User("ana")], TimeSpan.FromDays(8)));
        Assert.Contains("at least one target", Assert.Throws<ArgumentException>(() => new EscalationLevel([], Five)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EscalationTarget.User(" "));
        Assert.Throws<ArgumentException>(() => EscalationTarget.Schedule(""));
        Assert.Throws<ArgumentException>(() => new EscalationEngine(new RecordingNotifier(), TimeProvider.System, [Ops(), Ops()]));
        Assert.Throws<ArgumentNullException>(() => new EscalationEngine(null!, TimeProvider.System));
    }
}
