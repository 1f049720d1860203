using System.Globalization;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Releases;
using Musubi.Monitoring.Sqlite.Database;
using Musubi.Monitoring.Sqlite.Releases;

namespace Musubi.Monitoring.Sqlite;

/// <summary>
/// An <see cref="IReleaseStore"/> in a SQLite file: write-ahead logging, a versioned schema (scope <c>releases</c>)
/// brought up to date on first use, one transaction per change, and optimistic concurrency on a revision column, so
/// several store instances and processes can share one file, and the file can also hold the incident store.
/// </summary>
/// <remarks>
/// <para>Thread-safe: each call opens its own (pooled) connection and runs in its own transaction; a change takes the
/// database's write lock (<c>BEGIN IMMEDIATE</c>) and waits up to 10 seconds for another writer to finish.</para>
/// <para>The schema is created or migrated on the first call. A database whose release schema is newer than this
/// package knows is refused with an <see cref="InvalidOperationException"/> that names both versions. Errors of the
/// database itself (a lock held past the wait, a full disk, a corrupt file) surface as <see cref="SqliteException"/>, and
/// a stored document that is no longer a valid release as <see cref="InvalidDataException"/> naming the release.</para>
/// <para>A release is stored as a JSON document, with its id, status, type, version text, creation time and revision in
/// columns for filtering.</para>
/// </remarks>
public sealed class SqliteReleaseStore : IReleaseStore
{
    private const string Columns = "id, revision, document";

    private const string ListSql = """
        FROM releases
        WHERE ($status IS NULL OR status = $status)
          AND ($type IS NULL OR type = $type)
          AND ($since IS NULL OR created_at >= $since)
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Initializes a new instance of the <see cref="SqliteReleaseStore"/> class.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a database file, such as
    /// <c>Data Source=musubi.db</c>; the file and its directory are created when missing.</param>
    /// <param name="timeProvider">The clock for the migration records; <see cref="TimeProvider.System"/> when
    /// <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, does not parse, or names an
    /// in-memory or temporary database rather than a file.</exception>
    public SqliteReleaseStore(string connectionString, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(connectionString, ReleaseMigrations.Scope, ReleaseMigrations.All, timeProvider);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    public async Task<Release> AddAsync(Release release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.Revision != 0)
        {
            throw new ArgumentException($"Release {release.Id} is at revision {release.Revision.ToString(CultureInfo.InvariantCulture)}; only a new release (revision 0) can be added.", nameof(release));
        }

        cancellationToken.ThrowIfCancellationRequested();
        Release stored = release with { Revision = 1 };
        string document = ReleaseDocument.Serialize(stored);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            if (await ReadRevisionAsync(connection, transaction, release.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ReleaseConflictException($"A release with id {release.Id} already exists.");
            }

            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO releases (id, status, type, version, created_at, revision, document)
                VALUES ($id, $status, $type, $version, $createdAt, 1, $document);
                """);
            AddRowParameters(insert, stored, document);
            await ExecuteChangeAsync(insert, stored, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return stored;
        }
    }

    /// <inheritdoc/>
    public async Task<Release> UpdateAsync(Release release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        cancellationToken.ThrowIfCancellationRequested();
        long expected = release.Revision;
        Release stored = release with { Revision = expected + 1 };
        string document = ReleaseDocument.Serialize(stored);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            long actual = await ReadRevisionAsync(connection, transaction, release.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"No release has id {release.Id}.");
            if (actual != expected)
            {
                throw new ReleaseConflictException(release.Id, expected, actual);
            }

            using SqliteCommand update = SqliteDatabase.Command(connection, transaction, """
                UPDATE releases
                SET status = $status, type = $type, version = $version, created_at = $createdAt, document = $document,
                    revision = revision + 1
                WHERE id = $id AND revision = $expected;
                """);
            AddRowParameters(update, stored, document);
            update.Parameters.AddWithValue("$expected", expected);
            if (await ExecuteChangeAsync(update, stored, cancellationToken).ConfigureAwait(false) != 1)
            {
                // Not reachable while this transaction holds the write lock; kept so a changed locking scheme fails safe.
                throw new ReleaseConflictException(release.Id, expected, await ReadRevisionAsync(connection, transaction, release.Id, cancellationToken).ConfigureAwait(false) ?? 0);
            }

            transaction.Commit();
            return stored;
        }
    }

    /// <inheritdoc/>
    public Task<Release?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _database.ReadOneAsync($"SELECT {Columns} FROM releases WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), Read, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ReleasePage> ListAsync(ReleaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        (List<Release> items, int total) = await _database.ReadPageAsync(
            ListSql, Columns, "created_at DESC, id", c => AddFilterParameters(c, query), query.Skip, query.Take, Read, cancellationToken).ConfigureAwait(false);
        return new ReleasePage(items, total);
    }

    private static void AddRowParameters(SqliteCommand command, Release release, string document)
    {
        command.Parameters.AddWithValue("$id", release.Id);
        command.Parameters.AddWithValue("$status", release.Status.ToString());
        command.Parameters.AddWithValue("$type", release.Type.ToString());
        command.Parameters.AddWithValue("$version", release.Version.ToString());
        command.Parameters.AddWithValue("$createdAt", release.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$document", document);
    }

    private static void AddFilterParameters(SqliteCommand command, ReleaseQuery query)
    {
        command.Parameters.AddWithValue("$status", (object?)query.Status?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)query.Type?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", query.Since is { } since ? since.UtcTicks : DBNull.Value);
    }

    private static Task<long?> ReadRevisionAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken) =>
        SqliteDatabase.ReadVersionAsync(connection, transaction, "SELECT revision FROM releases WHERE id = $id;", id, cancellationToken);

    private static async Task<int> ExecuteChangeAsync(SqliteCommand command, Release release, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the check above should have caught it; the primary key is the last word.
            throw new ReleaseConflictException($"Release {release.Id} conflicts with a stored release (same id): {e.Message}", e);
        }
    }

    private static Release Read(SqliteDataReader reader) => ReleaseDocument.Deserialize(reader.GetString(0), reader.GetString(2), reader.GetInt64(1));
}
