using Microsoft.Extensions.Time.Testing;
using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Releases.Tests.Service;

public sealed class ReleaseServiceTests
{
    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryReleaseStore _store = new();

    private ReleaseService Service(ReleaseOptions? options = null) => new(_store, _time, options);

    [Fact]
    public async Task PlanAsync_NewRelease_StoresItWithAnIdAndTheClockTime()
    {
        Release r = await Service().PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana", V("1.3.9"));

        Assert.Matches("^REL-20260302-[2-9A-HJ-NP-Z]{6}$", r.Id);
        Assert.Equal(T0, r.CreatedAt);
        Assert.Equal(1, r.Revision);
        Assert.Same(r, await _store.GetAsync(r.Id));
    }

    [Fact]
    public async Task PlanAsync_TypeDoesNotFit_ThrowsAndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Service().PlanAsync("Checkout", V("2.0.0"), ReleaseType.Minor, "ana", V("1.3.9")));

        Assert.Equal(0, (await _store.ListAsync(new ReleaseQuery())).Total);
    }

    [Fact]
    public async Task TransitionAsync_Allowed_SavesWithTheClockTime()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");
        _time.Advance(TimeSpan.FromHours(2));

        Release moved = await service.TransitionAsync(r.Id, ReleaseStatus.Development, "bo", "go");

        Assert.Equal(ReleaseStatus.Development, moved.Status);
        Assert.Equal(new ReleaseTransition(T0.AddHours(2), "bo", ReleaseStatus.Planning, ReleaseStatus.Development, "go"), moved.History[^1]);
        Assert.Equal(2, moved.Revision);
    }

    [Fact]
    public async Task TransitionAsync_NotAllowed_ThrowsInvalidOperationException()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.TransitionAsync(r.Id, ReleaseStatus.Production, "bo"));
    }

    [Fact]
    public async Task TransitionAsync_UnknownId_ThrowsKeyNotFoundException() =>
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Service().TransitionAsync("nope", ReleaseStatus.Development, "bo"));

    [Fact]
    public async Task ChangeAsync_AnotherWriterSavesFirst_ReappliesToTheFreshCopy()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");
        int calls = 0;

        Release saved = await service.ChangeAsync(r.Id, (current, now) =>
        {
            if (++calls == 1)
            {
                // Someone else saves between our read and our write.
                _store.UpdateAsync(current.WithFeatureFlags("other")).GetAwaiter().GetResult();
            }

            return current.WithFeatureFlags("mine");
        });

        Assert.Equal(2, calls);
        Assert.Equal(["other", "mine"], saved.FeatureFlags);
        Assert.Equal(3, saved.Revision);
    }

    [Fact]
    public async Task ChangeAsync_ConflictsBeyondRetries_ThrowsConflict()
    {
        ReleaseService service = Service(new ReleaseOptions { ConflictRetries = 1 });
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");
        int calls = 0;

        await Assert.ThrowsAsync<ReleaseConflictException>(() => service.ChangeAsync(r.Id, (current, _) =>
        {
            calls++;
            _store.UpdateAsync(current.WithFeatureFlags("x" + calls)).GetAwaiter().GetResult();
            return current.WithFeatureFlags("mine");
        }));

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ChangeAsync_ReturnsSameInstance_SavesNothing()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");

        Release same = await service.ChangeAsync(r.Id, (current, _) => current);

        Assert.Equal(1, same.Revision);
    }

    [Fact]
    public async Task AddChangesAsync_Valid_SavesThem()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");

        Release saved = await service.AddChangesAsync(r.Id, [new ReleaseChange(ReleaseChangeKind.BugFix, "fix")]);

        Assert.Equal(ReleaseChangeKind.BugFix, Assert.Single(saved.Changes).Kind);
    }

    [Fact]
    public async Task GetStatisticsAsync_Releases_CountsThoseCreatedInThePeriod()
    {
        await _store.AddAsync(Deployed("a", T0));
        await _store.AddAsync(Deployed("b", T0.AddDays(-30)));
        _time.Advance(TimeSpan.FromDays(7));

        ReleaseStatistics s = await Service().GetStatisticsAsync(T0);

        Assert.Equal(1, s.Total);
        Assert.Equal(1, s.Deployments);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEachOption()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Service(new ReleaseOptions { IdPrefix = "rel", ConflictRetries = -1 }));

        Assert.Contains("IdPrefix is 'rel'", e.Message);
        Assert.Contains("ConflictRetries is -1", e.Message);
    }

    [Fact]
    public void Constructor_NullStore_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => new ReleaseService(null!));

    [Fact]
    public void ReleaseOptions_Defaults_AreDocumentedValues()
    {
        var options = new ReleaseOptions();

        Assert.Equal("REL", options.IdPrefix);
        Assert.Equal(5, options.ConflictRetries);
    }

    [Fact]
    public async Task ChangeAsync_ReturnsAnotherRelease_ThrowsInvalidOperationException()
    {
        ReleaseService service = Service();
        Release r = await service.PlanAsync("Checkout", V("1.4.0"), ReleaseType.Minor, "ana");

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => service.ChangeAsync(r.Id, (current, _) => current with { Revision = 7 }));

        Assert.Contains("revision 7", e.Message);
        Assert.Equal(1, (await _store.GetAsync(r.Id))!.Revision);
    }

    [Fact]
    public async Task ChangeAsync_NullChange_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Service().ChangeAsync("R", null!));

    [Fact]
    public async Task GetStatisticsAsync_PeriodEndsBeforeStart_ThrowsArgumentException() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Service().GetStatisticsAsync(T0.AddDays(1)));
}
