using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Tests.Database;

public sealed class SqliteMigratorTests : IDisposable
{
    private static readonly SqliteMigration s_one = new(1, "create a", "CREATE TABLE a (x INTEGER);");
    private static readonly SqliteMigration s_two = new(2, "create b", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);");

    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_TwoVersions_AppliesEachOnceInOrder()
    {
        Assert.Equal(1, await MigrateAsync("test", s_one));
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(1, await MigrateAsync("test", s_one, s_two));
        Assert.Equal(0, await MigrateAsync("test", s_one, s_two));

        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM b;"));
        Assert.Equal("1 create a 2026-02-03T04:05:06.0000000Z;2 create b 2026-02-04T04:05:06.0000000Z",
            _database.Scalar("SELECT group_concat(id || ' ' || name || ' ' || applied_at, ';') FROM (SELECT * FROM schema_migrations ORDER BY id);"));
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RollsBackOnlyThatOne()
    {
        var broken = new SqliteMigration(2, "broken", "CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);");

        await Assert.ThrowsAsync<SqliteException>(() => MigrateAsync("test", s_one, broken));

        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(0L, _database.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'c';"));
        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a';"));
    }

    [Fact]
    public async Task MigrateAsync_NewerSchemaInTheDatabase_ThrowsNamingBothVersions()
    {
        await MigrateAsync("test", s_one, s_two);

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync("test", s_one));

        Assert.Contains("schema version 2 for 'test'", e.Message);
        Assert.Contains("newer than version 1", e.Message);
    }

    [Fact]
    public async Task MigrateAsync_TwoScopes_KeepTheirOwnVersions()
    {
        await MigrateAsync("first", s_one, s_two);

        Assert.Equal(1, await MigrateAsync("second", new SqliteMigration(1, "create c", "CREATE TABLE c (z INTEGER);")));
        Assert.Equal(3L, _database.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public void Constructor_MigrationsOutOfOrder_ThrowsArgumentException()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SqliteMigrator("test", [s_two, s_one], _time));

        Assert.Contains("has id 2", e.Message);
    }

    private async Task<int> MigrateAsync(string scope, params SqliteMigration[] migrations)
    {
        var factory = new SqliteConnectionFactory(_database.ConnectionString);
        await using SqliteConnection connection = await factory.OpenAsync(Token);
        return await new SqliteMigrator(scope, migrations, _time).MigrateAsync(connection, factory.DataSource, Token);
    }
}
