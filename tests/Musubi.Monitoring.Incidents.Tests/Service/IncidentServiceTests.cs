using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Service;

public sealed class IncidentServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryIncidentStore _store = new();

    [Fact]
    public async Task OpenAsync_StoresAnIncidentWithAPrefixedDatedIdDetectedNow()
    {
        IncidentService service = Service(new IncidentOptions { IdPrefix = "OPS" });

        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");

        Assert.Matches(new Regex("^OPS-20261204-[2-9A-HJ-NP-Z]{6}$"), incident.Id);
        Assert.Equal(T0, incident.DetectedAt);
        Assert.Equal(1, incident.Version);
        Assert.Equal(incident, await _store.GetAsync(incident.Id));
    }

    [Fact]
    public async Task ChangeAsync_StepsUseTheClockAndSaveEachChange()
    {
        IncidentService service = Service();
        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");

        _time.Advance(TimeSpan.FromMinutes(4));
        await service.AcknowledgeAsync(incident.Id, "ben");
        _time.Advance(TimeSpan.FromMinutes(10));
        await service.TransitionAsync(incident.Id, IncidentStatus.Investigating, "ben");
        _time.Advance(TimeSpan.FromMinutes(10));
        Incident resolved = await service.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ben", "rolled back");

        Assert.Equal(T0.AddMinutes(4), resolved.AcknowledgedAt);
        Assert.Equal(T0.AddMinutes(24), resolved.ResolvedAt);
        Assert.Equal(4, resolved.Version);
        Assert.Equal(resolved, await _store.GetAsync(incident.Id));
    }

    [Fact]
    public async Task AcknowledgeAsync_Twice_ThrowsAndKeepsTheFirst()
    {
        IncidentService service = Service();
        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");
        await service.AcknowledgeAsync(incident.Id, "ben");

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.AcknowledgeAsync(incident.Id, "cy"));

        Assert.Equal("ben", (await _store.GetAsync(incident.Id))!.AcknowledgedBy);
    }

    [Fact]
    public async Task ChangeAsync_AnotherWriterSavedFirst_AppliesTheChangeAgainToTheFreshCopy()
    {
        var racing = new RacingStore(_store);
        IncidentService service = Service(store: racing);
        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");
        racing.BeforeNextUpdate = async () =>
            await _store.UpdateAsync((await _store.GetAsync(incident.Id))!.WithNote("cy", T0, "racing note"));

        Incident saved = await service.AcknowledgeAsync(incident.Id, "ben");

        Assert.Equal(3, saved.Version);
        Assert.Equal(["opened", "note", "acknowledged"], saved.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public async Task ChangeAsync_OtherWritersWinEveryRetry_ThrowsTheConflict()
    {
        var racing = new RacingStore(_store) { Always = true };
        IncidentService service = Service(new IncidentOptions { ConflictRetries = 2 }, racing);
        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");
        racing.BeforeNextUpdate = async () =>
            await _store.UpdateAsync((await _store.GetAsync(incident.Id))!.WithNote("cy", T0, "racing note"));

        await Assert.ThrowsAsync<IncidentConflictException>(() => service.AcknowledgeAsync(incident.Id, "ben"));

        Assert.Equal(3, racing.Updates);
        Assert.Null((await _store.GetAsync(incident.Id))!.AcknowledgedAt);
    }

    [Fact]
    public async Task ChangeAsync_NoDifference_SavesNothing()
    {
        IncidentService service = Service();
        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");

        Incident same = await service.ChangeAsync(incident.Id, (i, _) => i);

        Assert.Equal(1, same.Version);
    }

    [Fact]
    public async Task ChangeAsync_ReturnsAnotherIncidentOrNull_ThrowsAndSavesNothing()
    {
        IncidentService service = Service();
        Incident a = await service.OpenAsync("a", Severity.Sev2, "ana");
        Incident b = await service.OpenAsync("b", Severity.Sev2, "ana");

        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => service.ChangeAsync(a.Id, (_, now) => b.WithNote("ana", now, "wrong one")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.ChangeAsync(a.Id, (_, _) => null!));

        Assert.Contains(b.Id, other.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _store.GetAsync(b.Id))!.Version);
    }

    [Fact]
    public async Task AcknowledgeAsync_ResolvedIncident_ThrowsAndLeavesMttaAlone()
    {
        IncidentService service = Service();
        Incident incident = await service.OpenAsync("a", Severity.Sev2, "ana");
        await service.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ana");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => service.AcknowledgeAsync(incident.Id, "ben"));

        Assert.Contains("Resolved", ex.Message, StringComparison.Ordinal);
        Assert.Null((await _store.GetAsync(incident.Id))!.AcknowledgedAt);
    }

    [Fact]
    public async Task HandleAlertAsync_NullAffectedServices_ThrowsArgumentNull() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Service().HandleAlertAsync(
            new IncidentAlert("k", IncidentAlertState.Firing, "t", Severity.Sev1, "s") { AffectedServices = null! }));

    [Fact]
    public void Incident_DefaultListsFromAWith_ReadAsEmpty()
    {
        Incident incident = Incident.Open("INC-1", "t", Severity.Sev2, T0, "ana") with { Timeline = default, Responders = default };

        Assert.Empty(incident.Timeline);
        Assert.Equal(["ben"], incident.WithNote("ana", T0, "n").WithResponder("ben", "ana", T0).Responders);
    }

    [Fact]
    public async Task ChangeAsync_UnknownId_ThrowsKeyNotFoundNamingIt()
    {
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => Service().AcknowledgeAsync("INC-404", "ana"));

        Assert.Contains("INC-404", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicMethods_BadArguments_Throw()
    {
        IncidentService service = Service();

        await Assert.ThrowsAsync<ArgumentException>(() => service.OpenAsync(" ", Severity.Sev1, "ana"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.OpenAsync("x", (Severity)9, "ana"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => service.HandleAlertAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => service.HandleAlertAsync(new IncidentAlert("", IncidentAlertState.Firing, "t", Severity.Sev1, "s")));
        await Assert.ThrowsAsync<ArgumentNullException>(() => service.ChangeAsync("INC-1", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => service.GetFiguresAsync(T0, T0));
        Assert.Throws<ArgumentNullException>(() => new IncidentService(null!));
        var options = Assert.Throws<ArgumentException>(() => new IncidentService(_store, _time, new IncidentOptions { IdPrefix = "inc-" }));
        Assert.Contains("IdPrefix is 'inc-'", options.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAlertAsync_FiringThenResendThenResolvedThenResend_OneIncidentResolvedOnce()
    {
        IncidentService service = Service();
        IncidentAlert firing = Alert("am:abc@2026-12-04T10:00:00Z", IncidentAlertState.Firing) with { KeyIsOccurrence = true };

        AlertResult opened = await service.HandleAlertAsync(firing);
        AlertResult resent = await service.HandleAlertAsync(firing);
        _time.Advance(TimeSpan.FromMinutes(20));
        AlertResult resolved = await service.HandleAlertAsync(firing with { State = IncidentAlertState.Resolved });
        AlertResult resolvedAgain = await service.HandleAlertAsync(firing with { State = IncidentAlertState.Resolved });
        AlertResult lateFiringResend = await service.HandleAlertAsync(firing);

        Assert.Equal(AlertOutcome.Opened, opened.Outcome);
        Assert.Equal((AlertOutcome.AlreadyOpen, opened.IncidentId), (resent.Outcome, resent.IncidentId));
        Assert.Equal((AlertOutcome.Resolved, opened.IncidentId), (resolved.Outcome, resolved.IncidentId));
        Assert.Equal(AlertOutcome.AlreadyResolved, resolvedAgain.Outcome);
        Assert.Equal((AlertOutcome.AlreadyResolved, opened.IncidentId), (lateFiringResend.Outcome, lateFiringResend.IncidentId));
        IncidentPage all = await _store.ListAsync(new IncidentQuery());
        Incident incident = Assert.Single(all.Items);
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(T0.AddMinutes(20), incident.ResolvedAt);
        Assert.Equal("am:abc@2026-12-04T10:00:00Z", incident.AlertKey);
        Assert.Equal(["opened", "alert", "details", "status"], incident.Timeline.Select(e => e.Kind));
        Assert.Equal(["checkout"], incident.AffectedServices);
    }

    [Fact]
    public async Task HandleAlertAsync_AlertStartedEarlier_DetectedAtItsStartAndResolvedAtItsEnd()
    {
        IncidentService service = Service();
        IncidentAlert alert = Alert("am:late", IncidentAlertState.Firing) with { At = T0.AddMinutes(-7) };

        AlertResult opened = await service.HandleAlertAsync(alert);
        _time.Advance(TimeSpan.FromMinutes(30));
        await service.HandleAlertAsync(alert with { State = IncidentAlertState.Resolved, At = T0.AddMinutes(20) });

        Incident incident = (await _store.GetAsync(opened.IncidentId!))!;
        Assert.Equal(T0.AddMinutes(-7), incident.DetectedAt);
        Assert.Equal(T0.AddMinutes(20), incident.ResolvedAt);
    }

    [Fact]
    public async Task HandleAlertAsync_TimesInTheFutureOrBeforeTheLastChange_AreClamped()
    {
        IncidentService service = Service();
        IncidentAlert alert = Alert("am:skewed", IncidentAlertState.Firing) with { At = T0.AddHours(1) };

        AlertResult opened = await service.HandleAlertAsync(alert);
        _time.Advance(TimeSpan.FromMinutes(10));
        await service.AcknowledgeAsync(opened.IncidentId!, "ana");
        _time.Advance(TimeSpan.FromMinutes(10));
        await service.HandleAlertAsync(alert with { State = IncidentAlertState.Resolved, At = T0.AddMinutes(1) });

        Incident incident = (await _store.GetAsync(opened.IncidentId!))!;
        Assert.Equal(T0, incident.DetectedAt);                    // not an hour ahead
        Assert.Equal(T0.AddMinutes(10), incident.ResolvedAt);     // not before the acknowledgement
    }

    [Fact]
    public async Task HandleAlertAsync_ResolvedWithoutIncident_OpensNothing()
    {
        IncidentService service = Service();

        AlertResult result = await service.HandleAlertAsync(Alert("am:zzz", IncidentAlertState.Resolved));

        Assert.Equal(new AlertResult(AlertOutcome.NoIncident, null), result);
        Assert.Equal(0, (await _store.ListAsync(new IncidentQuery())).Total);
    }

    [Fact]
    public async Task HandleAlertAsync_AlertKeyFiresAgainAfterResolution_OpensASecondIncident()
    {
        IncidentService service = Service();
        IncidentAlert alert = Alert("disk-full:db-1", IncidentAlertState.Firing);   // a key that names the alert
        AlertResult first = await service.HandleAlertAsync(alert);
        await service.HandleAlertAsync(alert with { State = IncidentAlertState.Resolved });
        _time.Advance(TimeSpan.FromHours(1));

        AlertResult second = await service.HandleAlertAsync(alert);

        Assert.Equal(AlertOutcome.Opened, second.Outcome);
        Assert.NotEqual(first.IncidentId, second.IncidentId);
        Assert.Equal(second.IncidentId, (await _store.FindByAlertKeyAsync(alert.Key))!.Id);
    }

    [Fact]
    public async Task HandleAlertAsync_TwoCopiesAtOnce_OpenOneIncident()
    {
        IncidentService service = Service();
        IncidentAlert alert = Alert("am:dup", IncidentAlertState.Firing);

        AlertResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => service.HandleAlertAsync(alert))));

        Assert.Single(results, r => r.Outcome == AlertOutcome.Opened);
        Assert.Single(results.Select(r => r.IncidentId).Distinct());
        Assert.Equal(1, (await _store.ListAsync(new IncidentQuery())).Total);
    }

    [Fact]
    public async Task Observers_SeeEveryChangeAndAThrowingOneDoesNotLoseIt()
    {
        var seen = new RecordingObserver();
        IncidentService service = new(_store, _time, null, [new ThrowingObserver(), seen], NullLogger<IncidentService>.Instance);

        Incident incident = await service.OpenAsync("Checkout 5xx", Severity.Sev2, "ana");
        await service.AcknowledgeAsync(incident.Id, "ben");
        await service.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ben");

        Assert.Equal([(true, false, false), (false, true, false), (false, false, true)],
            seen.Changes.Select(c => (c.Opened, c.Acknowledged, c.Ended)));
        Assert.Equal(3, (await _store.GetAsync(incident.Id))!.Version);
    }

    [Fact]
    public async Task GetFiguresAsync_ComputesMttaAndMttrOverThePeriod()
    {
        IncidentService service = Service();
        Incident a = await service.OpenAsync("a", Severity.Sev1, "x");
        _time.Advance(TimeSpan.FromMinutes(2));
        await service.AcknowledgeAsync(a.Id, "x");
        _time.Advance(TimeSpan.FromMinutes(8));
        await service.TransitionAsync(a.Id, IncidentStatus.Resolved, "x");
        Incident b = await service.OpenAsync("b", Severity.Sev1, "x");
        _time.Advance(TimeSpan.FromMinutes(6));
        await service.AcknowledgeAsync(b.Id, "x");

        (IncidentFigures overall, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) = await service.GetFiguresAsync(T0);

        Assert.Equal(2, overall.Incidents);
        Assert.Equal(1, overall.Open);
        Assert.Equal(TimeSpan.FromMinutes(4), overall.TimeToAcknowledge.Mean);
        Assert.Equal(TimeSpan.FromMinutes(10), overall.TimeToResolve.Mean);
        Assert.Equal(2, bySeverity[Severity.Sev1].Incidents);
    }

    private static IncidentAlert Alert(string key, IncidentAlertState state) =>
        new(key, state, "Checkout answers 5xx", Severity.Sev2, "alertmanager") { AffectedServices = ["checkout"], Description = "12% failing" };

    private IncidentService Service(IncidentOptions? options = null, IIncidentStore? store = null) =>
        new(store ?? _store, _time, options);

    /// <summary>Lets a test save a competing change just before the service's next update.</summary>
    private sealed class RacingStore(IIncidentStore inner) : IIncidentStore
    {
        public Func<Task>? BeforeNextUpdate { get; set; }

        public bool Always { get; init; }

        public int Updates { get; private set; }

        public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default) => inner.AddAsync(incident, cancellationToken);

        public async Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default)
        {
            Updates++;
            if (BeforeNextUpdate is { } race)
            {
                BeforeNextUpdate = Always ? race : null;
                await race();
            }

            return await inner.UpdateAsync(incident, cancellationToken);
        }

        public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default) => inner.FindByAlertKeyAsync(alertKey, cancellationToken);

        public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);
    }

    private sealed class RecordingObserver : IIncidentObserver
    {
        public List<IncidentChange> Changes { get; } = [];

        public Task OnIncidentChangedAsync(IncidentChange change, CancellationToken cancellationToken)
        {
            Changes.Add(change);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingObserver : IIncidentObserver
    {
        public Task OnIncidentChangedAsync(IncidentChange change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("chat is down");
    }
}
