using System.Globalization;
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

    /// <summary>Reads the first row a query returns, or <see langword="null"/>.</summary>
    /// <param name="sql">A SELECT whose columns <paramref name="read"/> understands.</param>
    /// <param name="parameters">Sets the query's parameters.</param>
    /// <param name="read">Turns the row into the value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<T?> ReadOneAsync<T>(string sql, Action<SqliteCommand> parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteCommand select = Command(connection, null, sql);
            parameters(select);
            SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
            }
        }
    }

    /// <summary>
    /// Counts the rows a filter matches and reads one page of them, in one read transaction so the count and the page
    /// see the same snapshot.
    /// </summary>
    /// <param name="fromWhere">The <c>FROM … WHERE …</c> part shared by the count and the page.</param>
    /// <param name="columns">The page's columns.</param>
    /// <param name="orderBy">The page's order.</param>
    /// <param name="filters">Sets the filter's parameters (on both commands).</param>
    /// <param name="skip">How many rows to skip.</param>
    /// <param name="take">How many rows to read at most.</param>
    /// <param name="read">Turns a row into a value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the total.</returns>
    public async Task<(List<T> Items, int Total)> ReadPageAsync<T>(
        string fromWhere, string columns, string orderBy, Action<SqliteCommand> filters, int skip, int take,
        Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
            using SqliteCommand count = Command(connection, transaction, $"SELECT COUNT(*) {fromWhere};");
            filters(count);
            int total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

            using SqliteCommand page = Command(connection, transaction, $"SELECT {columns} {fromWhere} ORDER BY {orderBy} LIMIT $take OFFSET $skip;");
            filters(page);
            page.Parameters.AddWithValue("$take", take);
            page.Parameters.AddWithValue("$skip", skip);
            var items = new List<T>(Math.Min(take, Math.Max(total - skip, 0)));
            SqliteDataReader reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(read(reader));
                }
            }

            transaction.Commit();
            return (items, total);
        }
    }

    /// <summary>Reads the version (or revision) column of one row in a transaction, or <see langword="null"/> when there is no such row.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The change's transaction.</param>
    /// <param name="sql">A SELECT of one integer column with an <c>$id</c> parameter.</param>
    /// <param name="id">The row's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<long?> ReadVersionAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string id, CancellationToken cancellationToken)
    {
        using SqliteCommand select = Command(connection, transaction, sql);
        select.Parameters.AddWithValue("$id", id);
        object? version = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return version is null or DBNull ? null : Convert.ToInt64(version, CultureInfo.InvariantCulture);
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
