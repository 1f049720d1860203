using Microsoft.Data.Sqlite;

namespace Musubi.Monitoring.Sqlite.Database;

/// <summary>
/// One store's view of a database file: connections from the factory, and the store's migrations run once, on first
/// use, before any connection is handed out (a failed or cancelled start is tried again by the next call).
/// </summary>
/// <remarks>Thread-safe. Every store of the package (incidents, releases, flags) holds one.</remarks>
internal sealed class SqliteDatabase
{
    private readonly SqliteConnectionFactory _connections;
    private readonly SqliteMigrator _migrator;
    private readonly Lock _initializeLock = new();
    private Task? _initialized;

    public SqliteDatabase(string connectionString, string scope, IReadOnlyList<SqliteMigration> migrations, TimeProvider? timeProvider)
    {
        _connections = new SqliteConnectionFactory(connectionString);
        _migrator = new SqliteMigrator(scope, migrations, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DataSource => _connections.DataSource;

    /// <summary>Creates a command on a connection, in a transaction if one is given.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Opens a connection, after bringing the schema up to date the first time.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        Task? initialized = Volatile.Read(ref _initialized);
        if (initialized is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_initializeLock)
        {
            // A failed or cancelled start is tried again by the next call (the file may have been fixed or freed).
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = InitializeAsync();
            }

            initialized = _initialized;
        }

        return initialized.WaitAsync(cancellationToken);
    }

    private async Task InitializeAsync()
    {
        SqliteConnection connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await _connections.EnableWriteAheadLogAsync(connection, CancellationToken.None).ConfigureAwait(false);
            await _migrator.MigrateAsync(connection, _connections.DataSource, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
