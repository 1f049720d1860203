using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;
using static Musubi.Monitoring.Sqlite.Tests.Incidents.IncidentSamples;

namespace Musubi.Monitoring.Sqlite.Tests.Incidents;

public sealed class SqliteIncidentStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetAsync_NewStoreOnTheSameFile_ReadsEverythingBack()
    {
        var first = new SqliteIncidentStore(_database.ConnectionString);
        Incident full = await first.AddAsync(Full("INC-1"), Token);
        Incident open = await first.AddAsync(Simple("INC-2", T0.AddHours(1), Severity.Sev4, "key-9"), Token);
        open = await first.UpdateAsync(open.Acknowledge("ana", T0.AddHours(2)), Token);
        Incident resolved = await first.AddAsync(Resolved("INC-3", T0.AddHours(2), Severity.Sev5, "key-9"), Token);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var reopened = new SqliteIncidentStore(_database.ConnectionString);
        IncidentPage all = await reopened.ListAsync(new IncidentQuery(), Token);

        Assert.Equal(3, all.Total);
        AssertSame(resolved, all.Items[0]);
        AssertSame(open, all.Items[1]);
        AssertSame(full, all.Items[2]);
        AssertSame(full, (await reopened.GetAsync("INC-1", Token))!);
        AssertSame(resolved, (await reopened.FindByAlertKeyAsync("key-9", Token))!);
        Incident v3 = await reopened.UpdateAsync(open.TransitionTo(IncidentStatus.Resolved, "ana", T0.AddHours(3)), Token);
        Assert.Equal(3, v3.Version);
    }

    [Fact]
    public async Task UpdateAsync_TwoStoresSaveTheSameVersionConcurrently_ExactlyOneWins()
    {
        var one = new SqliteIncidentStore(_database.ConnectionString);
        var two = new SqliteIncidentStore(_database.ConnectionString);
        const int Rounds = 20;
        for (int round = 0; round < Rounds; round++)
        {
            string id = "INC-" + round.ToString(CultureInfo.InvariantCulture);
            Incident read = await one.AddAsync(Simple(id, T0), Token);
            using var start = new Barrier(2);
            Task<Incident> byOne = Task.Run(() =>
            {
                start.SignalAndWait(Token);
                return one.UpdateAsync(read.WithAssignee("one", "one", T0.AddMinutes(1)), Token);
            }, Token);
            Task<Incident> byTwo = Task.Run(() =>
            {
                start.SignalAndWait(Token);
                return two.UpdateAsync(read.WithAssignee("two", "two", T0.AddMinutes(1)), Token);
            }, Token);

            try
            {
                await Task.WhenAll(byOne, byTwo);
            }
            catch (IncidentConflictException)
            {
                // Expected for one of them; checked below.
            }

            Task<Incident>[] won = [.. new[] { byOne, byTwo }.Where(t => t.IsCompletedSuccessfully)];
            Task<Incident> winner = Assert.Single(won);
            Task<Incident> loser = winner == byOne ? byTwo : byOne;
            IncidentConflictException conflict = Assert.IsType<IncidentConflictException>(loser.Exception?.InnerException);
            Assert.Equal(1, conflict.ExpectedVersion);
            Assert.Equal(2, conflict.ActualVersion);
            Incident? stored = await one.GetAsync(id, Token);
            Assert.Equal(2, stored!.Version);
            Assert.Equal((await winner).Assignee, stored.Assignee);
        }
    }

    [Fact]
    public async Task AddAsync_FirstUse_TurnsOnWriteAheadLogging()
    {
        var store = new SqliteIncidentStore(_database.ConnectionString);

        await store.AddAsync(Simple("a", T0), Token);

        Assert.Equal("wal", _database.Scalar("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task GetAsync_FirstUse_RecordsEachMigrationOnceWithTheTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new SqliteIncidentStore(_database.ConnectionString, time);

        await store.GetAsync("a", Token);
        await new SqliteIncidentStore(_database.ConnectionString, time).GetAsync("a", Token);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await new SqliteIncidentStore(_database.ConnectionString, time).GetAsync("a", Token);

        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal("incidents|1|create incidents|2026-05-01T12:00:00.0000000Z",
            _database.Scalar("SELECT scope || '|' || id || '|' || name || '|' || applied_at FROM schema_migrations;"));
    }

    [Fact]
    public async Task GetAsync_DatabaseSchemaNewerThanTheCode_ThrowsNamingBothVersions()
    {
        await new SqliteIncidentStore(_database.ConnectionString).GetAsync("a", Token);
        _database.Execute("INSERT INTO schema_migrations (scope, id, name, applied_at) VALUES ('incidents', 2, 'from the future', '2030-01-01T00:00:00.0000000Z');");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var store = new SqliteIncidentStore(_database.ConnectionString);
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetAsync("a", Token));
        InvalidOperationException again = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListAsync(new IncidentQuery(), Token));

        Assert.Contains("schema version 2", e.Message);
        Assert.Contains("version 1", e.Message);
        Assert.Contains(_database.Path, e.Message);
        Assert.Equal(e.Message, again.Message);
    }

    [Fact]
    public async Task AddAsync_DirectoryMissing_CreatesItAndTheFile()
    {
        string path = Path.Combine(_database.Directory, "nested", "deeper", "incidents.db");
        var store = new SqliteIncidentStore($"Data Source={path}");

        await store.AddAsync(Simple("a", T0), Token);

        Assert.True(File.Exists(path));
        Assert.Equal(path, store.DataSource);
    }

    [Fact]
    public async Task AddAsync_StoresColumnsForFiltering()
    {
        var store = new SqliteIncidentStore(_database.ConnectionString);

        await store.AddAsync(Simple("a", T0.ToOffset(TimeSpan.FromHours(2)), Severity.Sev2, "key-1"), Token);

        Assert.Equal(
            $"a|Detected|2|{T0.UtcTicks}|1|key-1|1",
            _database.Scalar("SELECT id || '|' || status || '|' || severity || '|' || detected_at || '|' || is_open || '|' || alert_key || '|' || version FROM incidents;"));
    }

    [Fact]
    public async Task GetAsync_ConcurrentFirstCallsFromManyStores_MigrateOnce()
    {
        SqliteIncidentStore[] stores = [.. Enumerable.Range(0, 6).Select(_ => new SqliteIncidentStore(_database.ConnectionString))];

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.GetAsync("a", Token), Token)));

        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task AddAsync_ManyConcurrentWriters_StoresEveryIncident()
    {
        var one = new SqliteIncidentStore(_database.ConnectionString);
        var two = new SqliteIncidentStore(_database.ConnectionString);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(
            () => (i % 2 == 0 ? one : two).AddAsync(Simple("i" + i.ToString(CultureInfo.InvariantCulture), T0.AddMinutes(i)), Token), Token)));

        Assert.Equal(40, (await one.ListAsync(new IncidentQuery(), Token)).Total);
    }

    [Fact]
    public async Task GetAsync_StoredDocumentDamaged_ThrowsInvalidDataException()
    {
        var store = new SqliteIncidentStore(_database.ConnectionString);
        await store.AddAsync(Simple("a", T0), Token);
        _database.Execute("UPDATE incidents SET document = '{\"id\": \"a\", \"title\": ' WHERE id = 'a';");

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync("a", Token));

        Assert.Contains("incident a ", e.Message);
    }

    [Theory]
    [InlineData("""{"id":"a","title":"t"}""")]                                            // lists missing: null
    [InlineData("""{"id":"a","title":"t","timeline":[null],"responders":[],"affectedServices":[],"tags":[],"relatedIncidents":[]}""")]
    [InlineData("""{"id":"a","title":"t","timeline":[],"responders":[null],"affectedServices":[],"tags":[],"relatedIncidents":[]}""")]
    [InlineData("""{"id":"b","title":"t","timeline":[],"responders":[],"affectedServices":[],"tags":[],"relatedIncidents":[]}""")]   // another id
    [InlineData("""{"id":"a","title":"t","severity":9,"timeline":[],"responders":[],"affectedServices":[],"tags":[],"relatedIncidents":[]}""")]
    public async Task GetAsync_StoredDocumentIncomplete_ThrowsInvalidDataExceptionNamingTheIncident(string document)
    {
        var store = new SqliteIncidentStore(_database.ConnectionString);
        await store.AddAsync(Simple("a", T0), Token);
        _database.Execute("UPDATE incidents SET document = '" + document.Replace("'", "''", StringComparison.Ordinal) + "' WHERE id = 'a';");

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync("a", Token));

        Assert.Contains("incident a ", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    [InlineData("Mode=ReadWriteCreate")]
    [InlineData("Data Source=x.db;Colour=blue")]
    [InlineData("Data Source=x.db;Mode=Sideways")]
    public void Constructor_ConnectionStringNotAFile_ThrowsArgumentExceptionNamingIt(string connectionString)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SqliteIncidentStore(connectionString));

        Assert.Equal("connectionString", e.ParamName);
        Assert.Contains($"'{connectionString}'", e.Message);
        Assert.Contains("Data Source=musubi.db", e.Message);
    }

    [Fact]
    public void Constructor_NullConnectionString_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => new SqliteIncidentStore(null!));

    [Fact]
    public void DataSource_RelativePath_IsTheFullPath()
    {
        var store = new SqliteIncidentStore("Data Source=relative/musubi.db");

        Assert.Equal(Path.GetFullPath("relative/musubi.db"), store.DataSource);
    }
}
