using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Musubi.Monitoring.Sqlite.Database;

/// <summary>
/// Brings one store's part of a database (its <em>scope</em>, such as <c>incidents</c>) to the schema the code knows:
/// each pending <see cref="SqliteMigration"/> runs in its own transaction, in order, and is recorded in
/// <c>schema_migrations</c> (scope, id, name, applied_at) so it never runs twice. Several stores can share one file; each
/// keeps its own numbering under its scope.
/// </summary>
/// <remarks>Safe against other processes migrating the same file at the same time: each step takes the write lock
/// (<c>BEGIN IMMEDIATE</c>) and checks again whether it is applied before it runs.</remarks>
internal sealed class SqliteMigrator
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            scope      TEXT    NOT NULL,
            id         INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL,
            PRIMARY KEY (scope, id)
        );
        """;

    private readonly string _scope;
    private readonly SqliteMigration[] _migrations;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="SqliteMigrator"/> class.</summary>
    /// <param name="scope">The store's scope name.</param>
    /// <param name="migrations">The migrations, numbered 1, 2, 3… in order.</param>
    /// <param name="timeProvider">The clock for <c>applied_at</c>.</param>
    /// <exception cref="ArgumentException">The migrations are not numbered 1, 2, 3… in order.</exception>
    internal SqliteMigrator(string scope, IReadOnlyList<SqliteMigration> migrations, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(timeProvider);
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Id != i + 1)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Migration {i + 1} of scope '{scope}' has id {migrations[i].Id}; migrations are numbered 1, 2, 3… in order."),
                    nameof(migrations));
            }
        }

        _scope = scope;
        _migrations = [.. migrations];
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the schema version the code knows (the last migration's id).</summary>
    internal int LatestVersion => _migrations.Length;

    /// <summary>Applies the pending migrations.</summary>
    /// <param name="connection">An open connection, outside any transaction.</param>
    /// <param name="dataSource">The database file, for messages.</param>
    /// <param name="cancellationToken">Cancels between migrations.</param>
    /// <returns>How many migrations were applied.</returns>
    /// <exception cref="InvalidOperationException">The database holds a newer schema for this scope than the code knows
    /// (the message names both versions).</exception>
    internal async Task<int> MigrateAsync(SqliteConnection connection, string dataSource, CancellationToken cancellationToken)
    {
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            await ExecuteAsync(connection, transaction, CreateTable, cancellationToken).ConfigureAwait(false);
            await CheckNotNewerAsync(connection, transaction, dataSource, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }

        int applied = 0;
        foreach (SqliteMigration migration in _migrations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using SqliteTransaction transaction = connection.BeginTransaction();
            int current = await CheckNotNewerAsync(connection, transaction, dataSource, cancellationToken).ConfigureAwait(false);
            if (await IsAppliedAsync(connection, transaction, migration.Id, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (current != migration.Id - 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The SQLite database '{dataSource}' has schema version {current} for '{_scope}' but lacks migration {migration.Id} ({migration.Name}); its schema_migrations table is inconsistent."));
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            using (SqliteCommand record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (scope, id, name, applied_at) VALUES ($scope, $id, $name, $appliedAt);";
                record.Parameters.AddWithValue("$scope", _scope);
                record.Parameters.AddWithValue("$id", migration.Id);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$appliedAt", _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            applied++;
        }

        return applied;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsAppliedAsync(SqliteConnection connection, SqliteTransaction transaction, int id, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE scope = $scope AND id = $id;";
        command.Parameters.AddWithValue("$scope", _scope);
        command.Parameters.AddWithValue("$id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    private async Task<int> CheckNotNewerAsync(SqliteConnection connection, SqliteTransaction transaction, string dataSource, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM schema_migrations WHERE scope = $scope;";
        command.Parameters.AddWithValue("$scope", _scope);
        int current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The SQLite database '{dataSource}' has schema version {current} for '{_scope}', newer than version {LatestVersion} that this version of Musubi.Monitoring.Sqlite knows. Upgrade the package; it will not open a newer database."));
        }

        return current;
    }
}
