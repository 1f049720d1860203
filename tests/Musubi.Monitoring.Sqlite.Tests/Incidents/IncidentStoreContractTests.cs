using Musubi.Monitoring.Incidents;
using static Musubi.Monitoring.Sqlite.Tests.Incidents.IncidentSamples;

namespace Musubi.Monitoring.Sqlite.Tests.Incidents;

/// <summary>The <see cref="IIncidentStore"/> contract, run against every implementation.</summary>
public abstract class IncidentStoreContractTests : IDisposable
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IIncidentStore Store { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AddAsync_FullyPopulatedIncident_GetReturnsEveryField()
    {
        Incident full = Full("INC-100");

        Incident stored = await Store.AddAsync(full, Token);
        Incident? read = await Store.GetAsync("INC-100", Token);

        Assert.NotNull(read);
        AssertSame(full with { Version = 1 }, stored);
        AssertSame(full with { Version = 1 }, read);
        Assert.Equal(1, read.ReopenCount);
        Assert.Equal("fp:abc123@2026-03-14T09:26:53Z", read.AlertKey);
        Assert.Equal(IncidentStatus.Closed, read.Status);
    }

    [Fact]
    public async Task AddAsync_NewIncident_StoresVersionOne()
    {
        Incident stored = await Store.AddAsync(Simple("a", T0), Token);

        Assert.Equal(1, stored.Version);
        Assert.Equal(1, (await Store.GetAsync("a", Token))!.Version);
    }

    [Fact]
    public async Task AddAsync_VersionNotZero_ThrowsArgumentException()
    {
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Simple("a", T0) with { Version = 3 }, Token));

        Assert.Contains("version 3", e.Message);
        Assert.Null(await Store.GetAsync("a", Token));
    }

    [Fact]
    public async Task AddAsync_Null_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.AddAsync(null!, Token));

    [Fact]
    public async Task AddAsync_DuplicateId_ThrowsConflictAndKeepsTheFirst()
    {
        await Store.AddAsync(Simple("a", T0, Severity.Sev3), Token);

        IncidentConflictException e = await Assert.ThrowsAsync<IncidentConflictException>(() => Store.AddAsync(Simple("a", T0, Severity.Sev1), Token));

        Assert.Contains("a", e.Message);
        Assert.Equal(Severity.Sev3, (await Store.GetAsync("a", Token))!.Severity);
    }

    [Fact]
    public async Task AddAsync_OpenIncidentHoldsAlertKey_ThrowsConflict()
    {
        await Store.AddAsync(Simple("a", T0, alertKey: "key-1"), Token);

        IncidentConflictException e = await Assert.ThrowsAsync<IncidentConflictException>(() => Store.AddAsync(Simple("b", T0.AddMinutes(1), alertKey: "key-1"), Token));

        Assert.Contains("key-1", e.Message);
        Assert.Null(await Store.GetAsync("b", Token));
    }

    [Fact]
    public async Task AddAsync_HolderOfAlertKeyResolved_AddsSecondIncident()
    {
        Incident first = await Store.AddAsync(Simple("a", T0, alertKey: "key-1"), Token);
        await Store.UpdateAsync(first.TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(5)), Token);

        Incident second = await Store.AddAsync(Simple("b", T0.AddMinutes(10), alertKey: "key-1"), Token);

        Assert.Equal(1, second.Version);
    }

    [Fact]
    public async Task AddAsync_ResolvedIncidentWithKeyHeldByOpenOne_Adds()
    {
        await Store.AddAsync(Simple("a", T0, alertKey: "key-1"), Token);

        Incident stored = await Store.AddAsync(Resolved("b", T0.AddMinutes(1), alertKey: "key-1"), Token);

        Assert.False(stored.IsOpen);
    }

    [Fact]
    public async Task AddAsync_DifferentAlertKeys_BothOpen()
    {
        await Store.AddAsync(Simple("a", T0, alertKey: "key-1"), Token);
        await Store.AddAsync(Simple("b", T0, alertKey: "key-2"), Token);
        await Store.AddAsync(Simple("c", T0), Token);
        await Store.AddAsync(Simple("d", T0), Token);

        Assert.Equal(4, (await Store.ListAsync(new IncidentQuery { Open = true }, Token)).Total);
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_StoresChangeAndIncrementsVersion()
    {
        Incident v1 = await Store.AddAsync(Simple("a", T0), Token);

        Incident v2 = await Store.UpdateAsync(v1.Acknowledge("ana", T0.AddMinutes(1)), Token);
        Incident v3 = await Store.UpdateAsync(v2.TransitionTo(IncidentStatus.Investigating, "ana", T0.AddMinutes(2)), Token);
        Incident? read = await Store.GetAsync("a", Token);

        Assert.Equal(2, v2.Version);
        Assert.Equal(3, v3.Version);
        Assert.NotNull(read);
        AssertSame(v3, read);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsConflictNamingBothVersionsAndChangesNothing()
    {
        Incident v1 = await Store.AddAsync(Simple("a", T0), Token);
        Incident v2 = await Store.UpdateAsync(v1.Acknowledge("ana", T0.AddMinutes(1)), Token);

        IncidentConflictException e = await Assert.ThrowsAsync<IncidentConflictException>(
            () => Store.UpdateAsync(v1.WithSeverity(Severity.Sev1, "bo", T0.AddMinutes(2)), Token));

        Assert.Equal("a", e.IncidentId);
        Assert.Equal(1, e.ExpectedVersion);
        Assert.Equal(2, e.ActualVersion);
        Assert.Contains("version 2", e.Message);
        AssertSame(v2, (await Store.GetAsync("a", Token))!);
    }

    [Fact]
    public async Task UpdateAsync_ReopenWhileAnotherOpenIncidentHoldsTheKey_ThrowsConflict()
    {
        Incident first = await Store.AddAsync(Resolved("a", T0, alertKey: "key-1"), Token);
        await Store.AddAsync(Simple("b", T0.AddHours(1), alertKey: "key-1"), Token);

        IncidentConflictException e = await Assert.ThrowsAsync<IncidentConflictException>(
            () => Store.UpdateAsync(first.Reopen("ana", T0.AddHours(2), "it is back"), Token));

        Assert.Contains("b", e.Message);
        Assert.Contains("key-1", e.Message);
        Assert.False((await Store.GetAsync("a", Token))!.IsOpen);
    }

    [Fact]
    public async Task UpdateAsync_MissingId_ThrowsKeyNotFoundException()
    {
        KeyNotFoundException e = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateAsync(Simple("nope", T0) with { Version = 1 }, Token));

        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public async Task UpdateAsync_Null_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.UpdateAsync(null!, Token));

    [Fact]
    public async Task AddAsync_CancelledToken_ThrowsAndStoresNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AddAsync(Simple("a", T0), cancelled.Token));

        Assert.Null(await Store.GetAsync("a", Token));
    }

    [Fact]
    public async Task UpdateAsync_CancelledToken_ThrowsAndChangesNothing()
    {
        Incident v1 = await Store.AddAsync(Simple("a", T0), Token);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpdateAsync(v1.Acknowledge("ana", T0.AddMinutes(1)), cancelled.Token));

        AssertSame(v1, (await Store.GetAsync("a", Token))!);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull() =>
        Assert.Null(await Store.GetAsync("unknown", Token));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task GetAsync_BlankId_ThrowsArgumentException(string? id) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetAsync(id!, Token));

    [Fact]
    public async Task FindByAlertKeyAsync_SeveralIncidents_ReturnsNewestDetected()
    {
        await Store.AddAsync(Resolved("old", T0, alertKey: "key-1"), Token);
        await Store.AddAsync(Resolved("newest", T0.AddHours(2), alertKey: "key-1"), Token);
        await Store.AddAsync(Simple("middle", T0.AddHours(1), alertKey: "key-1"), Token);
        await Store.AddAsync(Simple("other", T0.AddHours(3), alertKey: "key-2"), Token);

        Incident? found = await Store.FindByAlertKeyAsync("key-1", Token);

        Assert.Equal("newest", found?.Id);
    }

    [Fact]
    public async Task FindByAlertKeyAsync_UnknownKey_ReturnsNull()
    {
        await Store.AddAsync(Simple("a", T0, alertKey: "key-1"), Token);

        Assert.Null(await Store.FindByAlertKeyAsync("key-2", Token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task FindByAlertKeyAsync_BlankKey_ThrowsArgumentException(string? key) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.FindByAlertKeyAsync(key!, Token));

    [Fact]
    public async Task ListAsync_NoFilter_NewestDetectedFirstTiesById()
    {
        await Store.AddAsync(Simple("b", T0), Token);
        await Store.AddAsync(Simple("c", T0.AddHours(1)), Token);
        await Store.AddAsync(Simple("a", T0), Token);
        await Store.AddAsync(Simple("d", T0.AddHours(-1)), Token);
        await Store.AddAsync(Simple("e", T0.AddHours(1).ToOffset(TimeSpan.FromHours(-5))), Token);

        IncidentPage page = await Store.ListAsync(new IncidentQuery(), Token);

        Assert.Equal(["c", "e", "a", "b", "d"], page.Items.Select(i => i.Id));
        Assert.Equal(5, page.Total);
    }

    [Fact]
    public async Task ListAsync_EachFilter_ReturnsOnlyMatchingWithTotal()
    {
        Incident a = await Store.AddAsync(Simple("a", T0, Severity.Sev1), Token);
        await Store.UpdateAsync(a.TransitionTo(IncidentStatus.Investigating, "ana", T0.AddMinutes(1)), Token);
        await Store.AddAsync(Simple("b", T0.AddHours(1), Severity.Sev2), Token);
        await Store.AddAsync(Resolved("c", T0.AddHours(2), Severity.Sev1), Token);
        await Store.AddAsync(Resolved("d", T0.AddHours(3), Severity.Sev3).TransitionTo(IncidentStatus.Closed, "ana", T0.AddHours(4)), Token);

        Assert.Equal(["a"], await Ids(new IncidentQuery { Status = IncidentStatus.Investigating }));
        Assert.Equal(["c", "a"], await Ids(new IncidentQuery { Severity = Severity.Sev1 }));
        Assert.Equal(["b", "a"], await Ids(new IncidentQuery { Open = true }));
        Assert.Equal(["d", "c"], await Ids(new IncidentQuery { Open = false }));
        Assert.Equal(["d", "c", "b"], await Ids(new IncidentQuery { Since = T0.AddHours(1) }));
        Assert.Equal(["c"], await Ids(new IncidentQuery { Severity = Severity.Sev1, Open = false, Since = T0.AddMinutes(1) }));
        Assert.Empty(await Ids(new IncidentQuery { Status = IncidentStatus.Monitoring }));
        Assert.Equal(2, (await Store.ListAsync(new IncidentQuery { Open = true, Take = 1 }, Token)).Total);
    }

    [Fact]
    public async Task ListAsync_SinceInAnotherOffset_ComparesInstants()
    {
        await Store.AddAsync(Simple("early", T0), Token);
        await Store.AddAsync(Simple("late", T0.AddMinutes(30)), Token);

        // T0 + 10 minutes, written in UTC+9.
        Assert.Equal(["late"], await Ids(new IncidentQuery { Since = T0.AddMinutes(10).ToOffset(TimeSpan.FromHours(9)) }));
        Assert.Equal(["late", "early"], await Ids(new IncidentQuery { Since = T0.ToOffset(TimeSpan.FromHours(-3)) }));
    }

    [Fact]
    public async Task ListAsync_SkipAndTake_ReturnsThatPageAndTheTotal()
    {
        for (int i = 0; i < 7; i++)
        {
            await Store.AddAsync(Simple($"i{i}", T0.AddMinutes(i)), Token);
        }

        IncidentPage first = await Store.ListAsync(new IncidentQuery { Take = 3 }, Token);
        IncidentPage third = await Store.ListAsync(new IncidentQuery { Skip = 6, Take = 3 }, Token);
        IncidentPage beyond = await Store.ListAsync(new IncidentQuery { Skip = 10, Take = 3 }, Token);

        Assert.Equal(["i6", "i5", "i4"], first.Items.Select(i => i.Id));
        Assert.Equal(["i0"], third.Items.Select(i => i.Id));
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, third, beyond }, p => Assert.Equal(7, p.Total));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1001)]
    [InlineData(-1, 10)]
    public async Task ListAsync_PageOutOfRange_ThrowsArgumentOutOfRangeException(int skip, int take) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAsync(new IncidentQuery { Skip = skip, Take = take }, Token));

    [Fact]
    public async Task ListAsync_Null_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.ListAsync(null!, Token));

    [Fact]
    public async Task ListAsync_FullyPopulatedIncident_ReturnsEveryField()
    {
        Incident stored = await Store.AddAsync(Full("INC-1"), Token);

        IncidentPage page = await Store.ListAsync(new IncidentQuery(), Token);

        AssertSame(stored, Assert.Single(page.Items));
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private async Task<string[]> Ids(IncidentQuery query) =>
        [.. (await Store.ListAsync(query, Token)).Items.Select(i => i.Id)];
}

public sealed class InMemoryIncidentStoreContractTests : IncidentStoreContractTests
{
    protected override IIncidentStore Store { get; } = new InMemoryIncidentStore();
}

public sealed class SqliteIncidentStoreContractTests : IncidentStoreContractTests
{
    private readonly TestDatabase _database = new();

    public SqliteIncidentStoreContractTests() => Store = new SqliteIncidentStore(_database.ConnectionString);

    protected override IIncidentStore Store { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _database.Dispose();
        }

        base.Dispose(disposing);
    }
}
