using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Sqlite.Tests.Flags;

/// <summary>The <see cref="IFeatureFlagStore"/> contract, run against every implementation.</summary>
public abstract class FeatureFlagStoreContractTests : IDisposable
{
    protected const string OneFlag = """{"version":2,"features":[{"name":"a","enabled":true,"strategies":[]}]}""";
    protected const string TwoFlags = """{"version":2,"features":[{"name":"a","enabled":false,"strategies":[]},{"name":"b","enabled":true,"strategies":[]}]}""";
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2));

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IFeatureFlagStore Store { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task LoadAsync_EmptyStore_ReturnsNull() => Assert.Null(await Store.LoadAsync(Token));

    [Fact]
    public async Task SaveAsync_ToRevisionZero_StoresRevisionOneAndLoadReadsItBack()
    {
        long revision = await Store.SaveAsync(OneFlag, 0, Change("ana", "first"), Token);

        Assert.Equal(1, revision);
        Assert.Equal(new StoredFeatureFlags(OneFlag, 1), await Store.LoadAsync(Token));
    }

    [Fact]
    public async Task SaveAsync_Twice_KeepsTheLatestDocumentAndAuditsBothNewestFirst()
    {
        await Store.SaveAsync(OneFlag, 0, Change("ana", "first"), Token);
        long revision = await Store.SaveAsync(TwoFlags, 1, Change("bo", "second", T0.AddMinutes(5)), Token);

        Assert.Equal(2, revision);
        Assert.Equal(new StoredFeatureFlags(TwoFlags, 2), await Store.LoadAsync(Token));
        IReadOnlyList<FeatureFlagChange> changes = await Store.GetChangesAsync(cancellationToken: Token);
        Assert.Equal(
            [new FeatureFlagChange(2, T0.AddMinutes(5).ToUniversalTime(), "bo", "second"), new FeatureFlagChange(1, T0.ToUniversalTime(), "ana", "first")],
            changes);
        Assert.Equal(TimeSpan.Zero, changes[0].At.Offset);
        Assert.Single(await Store.GetChangesAsync(1, Token));
    }

    [Fact]
    public async Task SaveAsync_StaleRevision_ThrowsConflictAndChangesNothing()
    {
        await Store.SaveAsync(OneFlag, 0, Change("ana", "first"), Token);

        FeatureFlagConflictException e = await Assert.ThrowsAsync<FeatureFlagConflictException>(() => Store.SaveAsync(TwoFlags, 0, Change("bo", "stale"), Token));

        Assert.Equal(0, e.ExpectedRevision);
        Assert.Equal(1, e.ActualRevision);
        Assert.Contains("revision 1", e.Message);
        Assert.Equal(new StoredFeatureFlags(OneFlag, 1), await Store.LoadAsync(Token));
        Assert.Single(await Store.GetChangesAsync(cancellationToken: Token));
    }

    [Fact]
    public async Task SaveAsync_RevisionAheadOfTheStore_ThrowsConflict() =>
        await Assert.ThrowsAsync<FeatureFlagConflictException>(() => Store.SaveAsync(OneFlag, 3, Change("ana", "x"), Token));

    [Fact]
    public async Task SaveAsync_ConcurrentSavesToTheSameRevision_ExactlyOneWins()
    {
        Task<long>[] saves = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.SaveAsync(i % 2 == 0 ? OneFlag : TwoFlags, 0, Change($"user{i}", "race"), Token)))];

        int wins = 0;
        int conflicts = 0;
        foreach (Task<long> save in saves)
        {
            try
            {
                Assert.Equal(1, await save);
                wins++;
            }
            catch (FeatureFlagConflictException)
            {
                conflicts++;
            }
        }

        Assert.Equal(1, wins);
        Assert.Equal(7, conflicts);
        Assert.Equal(1, (await Store.LoadAsync(Token))!.Revision);
        Assert.Single(await Store.GetChangesAsync(cancellationToken: Token));
    }

    [Fact]
    public async Task SaveAsync_BadArguments_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.SaveAsync(null!, 0, Change("a", "b"), Token));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.SaveAsync(OneFlag, 0, null!, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SaveAsync(OneFlag, -1, Change("a", "b"), Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task GetChangesAsync_TakeOutOfRange_Throws(int take) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetChangesAsync(take, Token));

    [Fact]
    public async Task FeatureFlagService_OnTheStore_ChangesSurviveANewService()
    {
        var time = new FakeTimeProvider(T0);
        var first = new FeatureFlagService(new FeatureFlags(), Store, time);
        await first.UpsertAsync(FlagDefinition.Percentage("checkout", 10), "ana", Token);
        await first.SetRolloutAsync("checkout", 40, "ana", Token);
        ReopenIfDurable();

        var flags = new FeatureFlags();
        var second = new FeatureFlagService(flags, Store, time);
        Assert.True(await second.LoadAsync(Token));

        Assert.Equal(2, second.Revision);
        int on = Enumerable.Range(0, 1000).Count(i => flags.IsEnabled("checkout", new FeatureFlagContext { UserId = "u" + i }));
        Assert.InRange(on, 340, 460);
    }

    protected static FeatureFlagChange Change(string actor, string description, DateTimeOffset? at = null) => new(0, at ?? T0, actor, description);

    protected virtual void ReopenIfDurable()
    {
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

public sealed class InMemoryFeatureFlagStoreContractTests : FeatureFlagStoreContractTests
{
    protected override IFeatureFlagStore Store { get; } = new InMemoryFeatureFlagStore();
}

public sealed class SqliteFeatureFlagStoreContractTests : FeatureFlagStoreContractTests
{
    private readonly TestDatabase _database = new();
    private IFeatureFlagStore _store;

    public SqliteFeatureFlagStoreContractTests() => _store = new SqliteFeatureFlagStore(_database.ConnectionString);

    protected override IFeatureFlagStore Store => _store;

    [Fact]
    public async Task LoadAsync_NewStoreOnTheSameFile_ReadsDocumentRevisionAndAuditBack()
    {
        await Store.SaveAsync(OneFlag, 0, Change("ana", "first"), Token);
        await Store.SaveAsync(TwoFlags, 1, Change("bo", "second"), Token);
        ReopenIfDurable();

        Assert.Equal(new StoredFeatureFlags(TwoFlags, 2), await Store.LoadAsync(Token));
        Assert.Equal(["second", "first"], (await Store.GetChangesAsync(cancellationToken: Token)).Select(c => c.Description));
        Assert.Equal(3, await Store.SaveAsync(OneFlag, 2, Change("cy", "third"), Token));
        Assert.Equal(1L, _database.Scalar("SELECT MAX(id) FROM schema_migrations WHERE scope = 'flags';"));
    }

    [Fact]
    public async Task SaveAsync_TwoStoresOnOneFileSaveTheSameRevision_OneWinsTheOtherConflicts()
    {
        var other = new SqliteFeatureFlagStore(_database.ConnectionString);
        await Store.SaveAsync(OneFlag, 0, Change("ana", "first"), Token);

        await other.SaveAsync(TwoFlags, 1, Change("bo", "other"), Token);
        FeatureFlagConflictException e = await Assert.ThrowsAsync<FeatureFlagConflictException>(() => Store.SaveAsync(OneFlag, 1, Change("ana", "stale"), Token));

        Assert.Equal(2, e.ActualRevision);
        Assert.Equal(new StoredFeatureFlags(TwoFlags, 2), await Store.LoadAsync(Token));
    }

    protected override void ReopenIfDurable()
    {
        SqliteConnection.ClearAllPools();
        _store = new SqliteFeatureFlagStore(_database.ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _database.Dispose();
        }

        base.Dispose(disposing);
    }
}
