using Microsoft.Data.Sqlite;

namespace Musubi.Monitoring.Sqlite.Tests;

/// <summary>A database file in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase(string fileName = "musubi.db")
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "musubi-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, fileName);
    }

    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using SqliteConnection connection = OpenRaw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using SqliteConnection connection = OpenRaw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; let them go before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a connection another test is closing; the temp folder is cleaned by the OS.
        }
    }
}
