using Microsoft.Data.Sqlite;

namespace Musubi.Monitoring.Sqlite.Database;

/// <summary>
/// Opens connections to one SQLite database file with the settings every store relies on: <c>busy_timeout</c> so a
/// writer waits for another instead of failing at once, and <c>foreign_keys=ON</c>. <see cref="EnableWriteAheadLogAsync"/>
/// switches the file to WAL (a setting kept in the file, so it is done once when a store first opens it).
/// </summary>
/// <remarks>Thread-safe: it holds only the validated connection string; each call opens its own connection (pooled by
/// Microsoft.Data.Sqlite).</remarks>
internal sealed class SqliteConnectionFactory
{
    /// <summary>How long a statement waits for another connection's lock before it fails with SQLITE_BUSY.</summary>
    internal const int BusyTimeoutMilliseconds = 10_000;

    private readonly string _connectionString;

    internal SqliteConnectionFactory(string connectionString)
    {
        SqliteConnectionStringBuilder builder = Parse(connectionString, nameof(connectionString));
        string dataSource = builder.DataSource;
        const string DataDirectory = "|DataDirectory|";
        if (dataSource.StartsWith(DataDirectory, StringComparison.OrdinalIgnoreCase))
        {
            string root = AppContext.GetData("DataDirectory") as string ?? AppContext.BaseDirectory;
            dataSource = Path.Combine(root, dataSource[DataDirectory.Length..].TrimStart('/', '\\'));
        }

        // A full path, so the file does not move if the current directory changes.
        DataSource = Path.GetFullPath(dataSource);
        builder.DataSource = DataSource;
        _connectionString = builder.ToString();
    }

    /// <summary>Gets the full path of the database file.</summary>
    internal string DataSource { get; }

    /// <summary>Validates a connection string: it parses, and names a database file (not an in-memory or temporary database).</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="parameterName">The parameter to name in the exception.</param>
    /// <returns>The parsed connection string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">It is empty, does not parse, or names no file.</exception>
    internal static SqliteConnectionStringBuilder Parse(string connectionString, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(connectionString, parameterName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"The SQLite connection string '{connectionString}' is empty; pass one that names a database file, such as \"Data Source=musubi.db\".", parameterName);
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ArgumentException($"The SQLite connection string '{connectionString}' does not parse ({e.Message}); pass one such as \"Data Source=musubi.db\".", parameterName, e);
        }

        string dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource)
            || builder.Mode == SqliteOpenMode.Memory
            || string.Equals(dataSource, ":memory:", StringComparison.OrdinalIgnoreCase)
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The SQLite connection string '{connectionString}' must name a database file, such as \"Data Source=musubi.db\"; in-memory, temporary and file: URI databases are not supported (use the in-memory store instead of an in-memory database).",
                parameterName);
        }

        return builder;
    }

    /// <summary>Opens a connection with <c>busy_timeout</c> and <c>foreign_keys</c> set, creating the file's directory if it is missing.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        string? directory = Path.GetDirectoryName(DataSource);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand pragmas = connection.CreateCommand();
            pragmas.CommandText = FormattableString.Invariant($"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Switches the database to write-ahead logging (kept in the file).</summary>
    /// <param name="connection">An open connection, outside any transaction.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">SQLite kept another journal mode (the message names it).</exception>
    internal async Task EnableWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        string? mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The SQLite database '{DataSource}' did not switch to WAL journal mode; it is in '{mode}' mode.");
        }
    }
}
