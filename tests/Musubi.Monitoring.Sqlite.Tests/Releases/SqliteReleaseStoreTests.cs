using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Releases;
using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Sqlite.Tests.Releases;

public sealed class SqliteReleaseStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetAsync_NewStoreOnTheSameFile_ReadsEverythingBack()
    {
        var first = new SqliteReleaseStore(_database.ConnectionString);
        Release full = await first.AddAsync(Full("REL-1"), Token);
        Release open = await first.AddAsync(Planned("REL-2", at: T0.AddHours(1)), Token);
        open = await first.UpdateAsync(open.TransitionTo(ReleaseStatus.Development, "ana", T0.AddHours(2), "started"), Token);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var reopened = new SqliteReleaseStore(_database.ConnectionString);
        ReleasePage all = await reopened.ListAsync(new ReleaseQuery(), Token);

        Assert.Equal(2, all.Total);
        AssertSame(open, all.Items[0]);
        AssertSame(full, all.Items[1]);
        AssertSame(full, (await reopened.GetAsync("REL-1", Token))!);
        Release v3 = await reopened.UpdateAsync(open.TransitionTo(ReleaseStatus.Testing, "ana", T0.AddHours(3)), Token);
        Assert.Equal(3, v3.Revision);
    }

    [Fact]
    public async Task UpdateAsync_TwoStoresSaveTheSameRevisionConcurrently_ExactlyOneWins()
    {
        var one = new SqliteReleaseStore(_database.ConnectionString);
        var two = new SqliteReleaseStore(_database.ConnectionString);
        const int Rounds = 20;
        for (int round = 0; round < Rounds; round++)
        {
            string id = "REL-" + round.ToString(CultureInfo.InvariantCulture);
            Release read = await one.AddAsync(Planned(id), Token);
            using var start = new Barrier(2);
            Task<Release> byOne = Task.Run(() =>
            {
                start.SignalAndWait(Token);
                return one.UpdateAsync(read.WithFeatureFlags("one"), Token);
            }, Token);
            Task<Release> byTwo = Task.Run(() =>
            {
                start.SignalAndWait(Token);
                return two.UpdateAsync(read.WithFeatureFlags("two"), Token);
            }, Token);

            try
            {
                await Task.WhenAll(byOne, byTwo);
            }
            catch (ReleaseConflictException)
            {
                // Expected for one of them; checked below.
            }

            Task<Release> winner = Assert.Single(new[] { byOne, byTwo }, t => t.IsCompletedSuccessfully);
            Task<Release> loser = winner == byOne ? byTwo : byOne;
            ReleaseConflictException conflict = Assert.IsType<ReleaseConflictException>(loser.Exception?.InnerException);
            Assert.Equal(1, conflict.ExpectedRevision);
            Assert.Equal(2, conflict.ActualRevision);
            Release? stored = await one.GetAsync(id, Token);
            Assert.Equal(2, stored!.Revision);
            Assert.Equal((await winner).FeatureFlags, stored.FeatureFlags);
        }
    }

    [Fact]
    public async Task GetAsync_FileSharedWithIncidents_EachScopeMigratesOnceAndBothWork()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var incidents = new SqliteIncidentStore(_database.ConnectionString, time);
        var releases = new SqliteReleaseStore(_database.ConnectionString, time);

        await incidents.AddAsync(Incident.Open("INC-1", "down", Severity.Sev2, T0, "ana"), Token);
        await releases.AddAsync(Planned("REL-1"), Token);
        await new SqliteReleaseStore(_database.ConnectionString, time).GetAsync("REL-1", Token);

        Assert.Equal(
            "incidents|1|create incidents|2026-05-01T12:00:00.0000000Z;releases|1|create releases|2026-05-01T12:00:00.0000000Z",
            _database.Scalar("SELECT group_concat(scope || '|' || id || '|' || name || '|' || applied_at, ';') FROM (SELECT * FROM schema_migrations ORDER BY scope);"));
        Assert.NotNull(await incidents.GetAsync("INC-1", Token));
        Assert.NotNull(await releases.GetAsync("REL-1", Token));
    }

    [Fact]
    public async Task GetAsync_DatabaseSchemaNewerThanTheCode_ThrowsNamingBothVersions()
    {
        await new SqliteReleaseStore(_database.ConnectionString).GetAsync("a", Token);
        _database.Execute("INSERT INTO schema_migrations (scope, id, name, applied_at) VALUES ('releases', 2, 'from the future', '2030-01-01T00:00:00.0000000Z');");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteReleaseStore(_database.ConnectionString).GetAsync("a", Token));

        Assert.Contains("schema version 2 for 'releases'", e.Message);
        Assert.Contains("version 1", e.Message);
    }

    [Fact]
    public async Task AddAsync_StoresColumnsForFiltering()
    {
        var store = new SqliteReleaseStore(_database.ConnectionString);

        await store.AddAsync(Planned("a", "2.0.0-rc.1", ReleaseType.Canary, T0.ToOffset(TimeSpan.FromHours(2))), Token);

        Assert.Equal(
            $"a|Planning|Canary|2.0.0-rc.1|{T0.UtcTicks}|1",
            _database.Scalar("SELECT id || '|' || status || '|' || type || '|' || version || '|' || created_at || '|' || revision FROM releases;"));
    }

    [Theory]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0"}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0","changes":[],"featureFlags":[],"history":[]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","changes":[null],"featureFlags":[],"history":[]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","changes":[],"featureFlags":[""],"history":[]}""")]
    [InlineData("""{"id":"b","title":"t","version":"1.0.0","changes":[],"featureFlags":[],"history":[]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","type":"Huge","changes":[],"featureFlags":[],"history":[]}""")]
    [InlineData("""{"id":"a","title":""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","changes":[],"featureFlags":[],"history":[]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","changes":[],"featureFlags":[],"history":[{"at":"2026-03-02T09:00:00+00:00","actor":"ana","to":42}]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","changes":[{"kind":7,"description":"x"}],"featureFlags":[],"history":[{"at":"2026-03-02T09:00:00+00:00","actor":"ana","to":"Planning"}]}""")]
    [InlineData("""{"id":"a","title":"t","version":"1.0.0","status":99,"changes":[],"featureFlags":[],"history":[{"at":"2026-03-02T09:00:00+00:00","actor":"ana","to":"Planning"}]}""")]
    public async Task GetAsync_StoredDocumentDamaged_ThrowsInvalidDataExceptionNamingTheRelease(string document)
    {
        var store = new SqliteReleaseStore(_database.ConnectionString);
        await store.AddAsync(Planned("a"), Token);
        _database.Execute("UPDATE releases SET document = '" + document.Replace("'", "''", StringComparison.Ordinal) + "' WHERE id = 'a';");

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync("a", Token));

        Assert.Contains("release a ", e.Message);
    }

    [Fact]
    public async Task GetAsync_MinimalHandWrittenDocument_ReadsIt()
    {
        var store = new SqliteReleaseStore(_database.ConnectionString);
        await store.AddAsync(Planned("a"), Token);
        _database.Execute("""UPDATE releases SET document = '{"id":"a","title":"t","version":"1.0.0","changes":[],"featureFlags":[],"history":[{"at":"2026-03-02T09:00:00+00:00","actor":"ana","to":"Planning"}]}' WHERE id = 'a';""");

        Release? read = await store.GetAsync("a", Token);

        Assert.Equal(("t", "1.0.0", ReleaseStatus.Planning, 1L), (read!.Title, read.Version.ToString(), read.Status, read.Revision));
    }

    [Fact]
    public async Task AddAsync_ManyConcurrentWriters_StoresEveryRelease()
    {
        var one = new SqliteReleaseStore(_database.ConnectionString);
        var two = new SqliteReleaseStore(_database.ConnectionString);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(
            () => (i % 2 == 0 ? one : two).AddAsync(Planned("r" + i.ToString(CultureInfo.InvariantCulture), at: T0.AddMinutes(i)), Token), Token)));

        Assert.Equal(40, (await one.ListAsync(new ReleaseQuery(), Token)).Total);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    public void Constructor_ConnectionStringNotAFile_ThrowsArgumentExceptionNamingIt(string connectionString)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SqliteReleaseStore(connectionString));

        Assert.Equal("connectionString", e.ParamName);
    }
}
