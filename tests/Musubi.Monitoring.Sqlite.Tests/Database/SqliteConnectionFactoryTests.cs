using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Tests.Database;

public sealed class SqliteConnectionFactoryTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OpenAsync_AnyConnection_SetsBusyTimeoutAndForeignKeys()
    {
        var factory = new SqliteConnectionFactory(_database.ConnectionString);

        await using SqliteConnection connection = await factory.OpenAsync(TestContext.Current.CancellationToken);

        Assert.Equal((long)SqliteConnectionFactory.BusyTimeoutMilliseconds, Scalar(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys;"));
    }

    [Fact]
    public async Task EnableWriteAheadLogAsync_NewFile_SwitchesToWal()
    {
        var factory = new SqliteConnectionFactory(_database.ConnectionString);
        await using SqliteConnection connection = await factory.OpenAsync(TestContext.Current.CancellationToken);

        await factory.EnableWriteAheadLogAsync(connection, TestContext.Current.CancellationToken);

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Constructor_DataDirectory_ResolvesUnderIt()
    {
        var factory = new SqliteConnectionFactory("Data Source=|DataDirectory|/musubi.db");

        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.GetData("DataDirectory") as string ?? AppContext.BaseDirectory, "musubi.db")), factory.DataSource);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
