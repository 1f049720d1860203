using Musubi.Monitoring.Releases;
using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Sqlite.Tests.Releases;

/// <summary>The <see cref="IReleaseStore"/> contract, run against every implementation.</summary>
public abstract class ReleaseStoreContractTests : IDisposable
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IReleaseStore Store { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AddAsync_FullyPopulatedRelease_GetReturnsEveryField()
    {
        Release full = Full("REL-100");

        Release stored = await Store.AddAsync(full, Token);
        Release? read = await Store.GetAsync("REL-100", Token);

        Assert.NotNull(read);
        AssertSame(full with { Revision = 1 }, stored);
        AssertSame(full with { Revision = 1 }, read);
        Assert.Equal("2.0.0-rc.1+build.7", read.Version.ToString());
        Assert.Null(read.History[0].From);
        Assert.Equal(4, read.Changes.Length);
    }

    [Fact]
    public async Task UpdateAsync_ReleaseWithNote_ReadsTheNoteBackWithSameFromAndTo()
    {
        Release stored = await Store.AddAsync(Planned("noted"), Token);
        Release noted = stored.WithNote("canary", stored.History[^1].At.AddMinutes(1), "canary WeightSet (Progressing), step 0: canary weight 10%");

        await Store.UpdateAsync(noted, Token);
        Release read = (await Store.GetAsync("noted", Token))!;

        ReleaseTransition note = read.History[^1];
        Assert.Equal(note.To, note.From);
        Assert.Equal("canary WeightSet (Progressing), step 0: canary weight 10%", note.Note);
        AssertSame(noted with { Revision = 2 }, read);
    }

    [Fact]
    public async Task AddAsync_NewRelease_StoresRevisionOne()
    {
        Release stored = await Store.AddAsync(Planned("a"), Token);

        Assert.Equal(1, stored.Revision);
        Assert.Equal(1, (await Store.GetAsync("a", Token))!.Revision);
    }

    [Fact]
    public async Task AddAsync_RevisionNotZero_ThrowsArgumentException()
    {
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Planned("a") with { Revision = 3 }, Token));

        Assert.Contains("revision 3", e.Message);
        Assert.Null(await Store.GetAsync("a", Token));
    }

    [Fact]
    public async Task AddAsync_Null_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.AddAsync(null!, Token));

    [Fact]
    public async Task AddAsync_DuplicateId_ThrowsConflictAndKeepsTheFirst()
    {
        await Store.AddAsync(Planned("a", "1.4.0"), Token);

        ReleaseConflictException e = await Assert.ThrowsAsync<ReleaseConflictException>(() => Store.AddAsync(Planned("a", "9.0.0", ReleaseType.Major), Token));

        Assert.Contains("a", e.Message);
        Assert.Equal("1.4.0", (await Store.GetAsync("a", Token))!.Version.ToString());
    }

    [Fact]
    public async Task UpdateAsync_CurrentRevision_StoresChangeAndIncrementsRevision()
    {
        Release v1 = await Store.AddAsync(Planned("a"), Token);

        Release v2 = await Store.UpdateAsync(v1.TransitionTo(ReleaseStatus.Development, "ana", T0.AddHours(1)), Token);
        Release v3 = await Store.UpdateAsync(v2.WithChanges(new ReleaseChange(ReleaseChangeKind.Feature, "x")), Token);
        Release? read = await Store.GetAsync("a", Token);

        Assert.Equal(2, v2.Revision);
        Assert.Equal(3, v3.Revision);
        Assert.NotNull(read);
        AssertSame(v3, read);
    }

    [Fact]
    public async Task UpdateAsync_StaleRevision_ThrowsConflictNamingBothRevisionsAndChangesNothing()
    {
        Release v1 = await Store.AddAsync(Planned("a"), Token);
        Release v2 = await Store.UpdateAsync(v1.TransitionTo(ReleaseStatus.Development, "ana", T0.AddHours(1)), Token);

        ReleaseConflictException e = await Assert.ThrowsAsync<ReleaseConflictException>(
            () => Store.UpdateAsync(v1.TransitionTo(ReleaseStatus.Cancelled, "bo", T0.AddHours(2)), Token));

        Assert.Equal("a", e.ReleaseId);
        Assert.Equal(1, e.ExpectedRevision);
        Assert.Equal(2, e.ActualRevision);
        Assert.Contains("revision 2", e.Message);
        AssertSame(v2, (await Store.GetAsync("a", Token))!);
    }

    [Fact]
    public async Task UpdateAsync_TwoWritersSaveTheSameRevisionAtOnce_ExactlyOneWins()
    {
        for (int round = 0; round < 10; round++)
        {
            Release read = await Store.AddAsync(Planned("r" + round.ToString(System.Globalization.CultureInfo.InvariantCulture)), Token);
            using var start = new Barrier(2);
            Task<Release>[] writers = [.. new[] { "one", "two" }.Select(flag => Task.Run(() =>
            {
                start.SignalAndWait(Token);
                return Store.UpdateAsync(read.WithFeatureFlags(flag), Token);
            }, Token))];

            try
            {
                await Task.WhenAll(writers);
            }
            catch (ReleaseConflictException)
            {
                // Expected for one of them; checked below.
            }

            Task<Release> winner = Assert.Single(writers, t => t.IsCompletedSuccessfully);
            Assert.IsType<ReleaseConflictException>(Assert.Single(writers, t => t.IsFaulted).Exception?.InnerException);
            Assert.Equal((await winner).FeatureFlags, (await Store.GetAsync(read.Id, Token))!.FeatureFlags);
        }
    }

    [Fact]
    public async Task UpdateAsync_MissingId_ThrowsKeyNotFoundException()
    {
        KeyNotFoundException e = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateAsync(Planned("nope") with { Revision = 1 }, Token));

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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AddAsync(Planned("a"), cancelled.Token));

        Assert.Null(await Store.GetAsync("a", Token));
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
    public async Task ListAsync_NoFilter_NewestCreatedFirstTiesById()
    {
        await Store.AddAsync(Planned("b", at: T0), Token);
        await Store.AddAsync(Planned("c", at: T0.AddHours(1)), Token);
        await Store.AddAsync(Planned("a", at: T0), Token);
        await Store.AddAsync(Planned("d", at: T0.AddHours(-1)), Token);
        await Store.AddAsync(Planned("e", at: T0.AddHours(1).ToOffset(TimeSpan.FromHours(-5))), Token);

        ReleasePage page = await Store.ListAsync(new ReleaseQuery(), Token);

        Assert.Equal(["c", "e", "a", "b", "d"], page.Items.Select(r => r.Id));
        Assert.Equal(5, page.Total);
    }

    [Fact]
    public async Task ListAsync_EachFilter_ReturnsOnlyMatchingWithTotal()
    {
        Release a = await Store.AddAsync(Planned("a", at: T0), Token);
        await Store.UpdateAsync(a.TransitionTo(ReleaseStatus.Development, "ana", T0.AddMinutes(1)), Token);
        await Store.AddAsync(Planned("b", "2.0.0", ReleaseType.Major, T0.AddHours(1)), Token);
        await Store.AddAsync(Deployed("c", T0.AddHours(2), ReleaseType.Major), Token);
        await Store.AddAsync(Deployed("d", T0.AddHours(3), ReleaseType.Hotfix), Token);

        Assert.Equal(["a"], await Ids(new ReleaseQuery { Status = ReleaseStatus.Development }));
        Assert.Equal(["c", "b"], await Ids(new ReleaseQuery { Type = ReleaseType.Major }));
        Assert.Equal(["d", "c"], await Ids(new ReleaseQuery { Status = ReleaseStatus.Production }));
        Assert.Equal(["d", "c", "b"], await Ids(new ReleaseQuery { Since = T0.AddHours(1) }));
        Assert.Equal(["c"], await Ids(new ReleaseQuery { Type = ReleaseType.Major, Status = ReleaseStatus.Production, Since = T0.AddMinutes(1) }));
        Assert.Empty(await Ids(new ReleaseQuery { Status = ReleaseStatus.Canary }));
        Assert.Equal(2, (await Store.ListAsync(new ReleaseQuery { Type = ReleaseType.Major, Take = 1 }, Token)).Total);
    }

    [Fact]
    public async Task ListAsync_SinceInAnotherOffset_ComparesInstants()
    {
        await Store.AddAsync(Planned("early", at: T0), Token);
        await Store.AddAsync(Planned("late", at: T0.AddMinutes(30)), Token);

        Assert.Equal(["late"], await Ids(new ReleaseQuery { Since = T0.AddMinutes(10).ToOffset(TimeSpan.FromHours(9)) }));
        Assert.Equal(["late", "early"], await Ids(new ReleaseQuery { Since = T0.ToOffset(TimeSpan.FromHours(-3)) }));
    }

    [Fact]
    public async Task ListAsync_SkipAndTake_ReturnsThatPageAndTheTotal()
    {
        for (int i = 0; i < 7; i++)
        {
            await Store.AddAsync(Planned($"r{i}", at: T0.AddMinutes(i)), Token);
        }

        ReleasePage first = await Store.ListAsync(new ReleaseQuery { Take = 3 }, Token);
        ReleasePage third = await Store.ListAsync(new ReleaseQuery { Skip = 6, Take = 3 }, Token);
        ReleasePage beyond = await Store.ListAsync(new ReleaseQuery { Skip = 10, Take = 3 }, Token);

        Assert.Equal(["r6", "r5", "r4"], first.Items.Select(r => r.Id));
        Assert.Equal(["r0"], third.Items.Select(r => r.Id));
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, third, beyond }, p => Assert.Equal(7, p.Total));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1001)]
    [InlineData(-1, 10)]
    public async Task ListAsync_PageOutOfRange_ThrowsArgumentOutOfRangeException(int skip, int take) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAsync(new ReleaseQuery { Skip = skip, Take = take }, Token));

    [Fact]
    public async Task ListAsync_Null_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.ListAsync(null!, Token));

    [Fact]
    public async Task ListAsync_FullyPopulatedRelease_ReturnsEveryField()
    {
        Release stored = await Store.AddAsync(Full("REL-1"), Token);

        ReleasePage page = await Store.ListAsync(new ReleaseQuery(), Token);

        AssertSame(stored, Assert.Single(page.Items));
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private async Task<string[]> Ids(ReleaseQuery query) =>
        [.. (await Store.ListAsync(query, Token)).Items.Select(r => r.Id)];
}

public sealed class InMemoryReleaseStoreContractTests : ReleaseStoreContractTests
{
    protected override IReleaseStore Store { get; } = new InMemoryReleaseStore();
}

public sealed class SqliteReleaseStoreContractTests : ReleaseStoreContractTests
{
    private readonly TestDatabase _database = new();

    public SqliteReleaseStoreContractTests() => Store = new SqliteReleaseStore(_database.ConnectionString);

    protected override IReleaseStore Store { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _database.Dispose();
        }

        base.Dispose(disposing);
    }
}
