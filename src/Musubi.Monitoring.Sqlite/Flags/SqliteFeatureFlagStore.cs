using System.Globalization;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Releases;
using Musubi.Monitoring.Sqlite.Database;
using Musubi.Monitoring.Sqlite.Flags;

namespace Musubi.Monitoring.Sqlite;

/// <summary>
/// An <see cref="IFeatureFlagStore"/> in a SQLite file: the flag set as one Unleash JSON document with a revision, and
/// an audit table, in a versioned schema (scope <c>flags</c>) brought up to date on first use. The file can also hold
/// the release and incident stores.
/// </summary>
/// <remarks>
/// <para>Thread-safe: each call opens its own (pooled) connection; a save runs in one transaction that takes the
/// database's write lock (<c>BEGIN IMMEDIATE</c>), checks the revision, and writes the document and its audit entry,
/// so several store instances and processes can share one file.</para>
/// <para>A database whose flag schema is newer than this package knows is refused with an
/// <see cref="InvalidOperationException"/>; errors of the database itself surface as <see cref="SqliteException"/>.</para>
/// </remarks>
public sealed class SqliteFeatureFlagStore : IFeatureFlagStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Initializes a new instance of the <see cref="SqliteFeatureFlagStore"/> class.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a database file, such as
    /// <c>Data Source=musubi.db</c>; the file and its directory are created when missing.</param>
    /// <param name="timeProvider">The clock for the migration records; <see cref="TimeProvider.System"/> when
    /// <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, does not parse, or names an
    /// in-memory or temporary database rather than a file.</exception>
    public SqliteFeatureFlagStore(string connectionString, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(connectionString, FeatureFlagMigrations.Scope, FeatureFlagMigrations.All, timeProvider);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    public async Task<StoredFeatureFlags?> LoadAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteCommand select = SqliteDatabase.Command(connection, null, "SELECT document, revision FROM feature_flags WHERE id = 1;");
            SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new StoredFeatureFlags(reader.GetString(0), reader.GetInt64(1))
                    : null;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<long> SaveAsync(string unleashJson, long expectedRevision, FeatureFlagChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unleashJson);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand read = SqliteDatabase.Command(connection, transaction, "SELECT revision FROM feature_flags WHERE id = 1;");
            object? current = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            long actual = current is null or DBNull ? 0 : Convert.ToInt64(current, CultureInfo.InvariantCulture);
            if (actual != expectedRevision)
            {
                throw new FeatureFlagConflictException(expectedRevision, actual);
            }

            long next = actual + 1;
            using SqliteCommand write = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO feature_flags (id, revision, document) VALUES (1, $revision, $document)
                ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, document = excluded.document;
                INSERT INTO feature_flag_changes (revision, at, actor, description) VALUES ($revision, $at, $actor, $description);
                """);
            write.Parameters.AddWithValue("$revision", next);
            write.Parameters.AddWithValue("$document", unleashJson);
            write.Parameters.AddWithValue("$at", change.At.UtcTicks);
            write.Parameters.AddWithValue("$actor", change.Actor);
            write.Parameters.AddWithValue("$description", change.Description);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return next;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FeatureFlagChange>> GetChangesAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, 1000);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteCommand select = SqliteDatabase.Command(connection, null, "SELECT revision, at, actor, description FROM feature_flag_changes ORDER BY revision DESC LIMIT $take;");
            select.Parameters.AddWithValue("$take", take);
            var changes = new List<FeatureFlagChange>();
            SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changes.Add(new FeatureFlagChange(reader.GetInt64(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetString(2), reader.GetString(3)));
                }
            }

            return changes;
        }
    }
}
