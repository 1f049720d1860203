using System.Globalization;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Sqlite.Database;
using Musubi.Monitoring.Sqlite.Incidents;

namespace Musubi.Monitoring.Sqlite;

/// <summary>
/// An <see cref="IIncidentStore"/> in a SQLite file: write-ahead logging, a versioned schema brought up to date on first
/// use, one transaction per change, and optimistic concurrency on a version column, so several store instances and
/// processes can share one file.
/// </summary>
/// <remarks>
/// <para>Thread-safe: each call opens its own (pooled) connection and runs in its own transaction; a change takes the
/// database's write lock (<c>BEGIN IMMEDIATE</c>) and waits up to 10 seconds for another writer to finish.</para>
/// <para>The schema is created or migrated on the first call. A database whose incident schema is newer than this
/// package knows is refused with an <see cref="InvalidOperationException"/> that names both versions. Errors of the
/// database itself (a lock held past the wait, a full disk, a corrupt file) surface as <see cref="SqliteException"/>, and a
/// stored document that is no longer a valid incident as <see cref="InvalidDataException"/> naming the incident.</para>
/// <para>An incident is stored as a JSON document, with its id, status, severity, detection time, open flag, alert key
/// and version in columns for filtering; a unique index keeps one open incident per alert key, on update as well as on
/// add.</para>
/// </remarks>
public sealed class SqliteIncidentStore : IIncidentStore
{
    private const string Columns = "id, version, document";

    private const string ListSql = """
        FROM incidents
        WHERE ($status IS NULL OR status = $status)
          AND ($severity IS NULL OR severity = $severity)
          AND ($open IS NULL OR is_open = $open)
          AND ($since IS NULL OR detected_at >= $since)
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Initializes a new instance of the <see cref="SqliteIncidentStore"/> class.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a database file, such as
    /// <c>Data Source=musubi.db</c>; the file and its directory are created when missing.</param>
    /// <param name="timeProvider">The clock for the migration records; <see cref="TimeProvider.System"/> when
    /// <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, does not parse, or names an
    /// in-memory or temporary database rather than a file.</exception>
    public SqliteIncidentStore(string connectionString, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(connectionString, IncidentMigrations.Scope, IncidentMigrations.All, timeProvider);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    public async Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (incident.Version != 0)
        {
            throw new ArgumentException($"Incident {incident.Id} is at version {incident.Version.ToString(CultureInfo.InvariantCulture)}; only a new incident (version 0) can be added.", nameof(incident));
        }

        cancellationToken.ThrowIfCancellationRequested();
        Incident stored = incident with { Version = 1 };
        string document = IncidentDocument.Serialize(stored);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            if (await ReadVersionAsync(connection, transaction, incident.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new IncidentConflictException($"An incident with id {incident.Id} already exists.");
            }

            await CheckAlertKeyFreeAsync(connection, transaction, stored, cancellationToken).ConfigureAwait(false);
            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO incidents (id, status, severity, detected_at, is_open, alert_key, version, document)
                VALUES ($id, $status, $severity, $detectedAt, $isOpen, $alertKey, 1, $document);
                """);
            AddRowParameters(insert, stored, document);
            await ExecuteChangeAsync(insert, stored, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return stored;
        }
    }

    /// <inheritdoc/>
    public async Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        cancellationToken.ThrowIfCancellationRequested();
        long expected = incident.Version;
        Incident stored = incident with { Version = expected + 1 };
        string document = IncidentDocument.Serialize(stored);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            long actual = await ReadVersionAsync(connection, transaction, incident.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"No incident has id {incident.Id}.");
            if (actual != expected)
            {
                throw new IncidentConflictException(incident.Id, expected, actual);
            }

            await CheckAlertKeyFreeAsync(connection, transaction, stored, cancellationToken).ConfigureAwait(false);
            using SqliteCommand update = SqliteDatabase.Command(connection, transaction, """
                UPDATE incidents
                SET status = $status, severity = $severity, detected_at = $detectedAt, is_open = $isOpen,
                    alert_key = $alertKey, document = $document, version = version + 1
                WHERE id = $id AND version = $expected;
                """);
            AddRowParameters(update, stored, document);
            update.Parameters.AddWithValue("$expected", expected);
            if (await ExecuteChangeAsync(update, stored, cancellationToken).ConfigureAwait(false) != 1)
            {
                // Not reachable while this transaction holds the write lock; kept so a changed locking scheme fails safe.
                throw new IncidentConflictException(incident.Id, expected, await ReadVersionAsync(connection, transaction, incident.Id, cancellationToken).ConfigureAwait(false) ?? 0);
            }

            transaction.Commit();
            return stored;
        }
    }

    /// <inheritdoc/>
    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _database.ReadOneAsync($"SELECT {Columns} FROM incidents WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), Read, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alertKey);
        return _database.ReadOneAsync(
            $"SELECT {Columns} FROM incidents WHERE alert_key = $alertKey ORDER BY detected_at DESC, id LIMIT 1;",
            c => c.Parameters.AddWithValue("$alertKey", alertKey), Read, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        (List<Incident> items, int total) = await _database.ReadPageAsync(
            ListSql, Columns, "detected_at DESC, id", c => AddFilterParameters(c, query), query.Skip, query.Take, Read, cancellationToken).ConfigureAwait(false);
        return new IncidentPage(items, total);
    }

    private static void AddRowParameters(SqliteCommand command, Incident incident, string document)
    {
        command.Parameters.AddWithValue("$id", incident.Id);
        command.Parameters.AddWithValue("$status", incident.Status.ToString());
        command.Parameters.AddWithValue("$severity", (int)incident.Severity);
        command.Parameters.AddWithValue("$detectedAt", incident.DetectedAt.UtcTicks);
        command.Parameters.AddWithValue("$isOpen", incident.IsOpen ? 1 : 0);
        command.Parameters.AddWithValue("$alertKey", (object?)incident.AlertKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$document", document);
    }

    private static void AddFilterParameters(SqliteCommand command, IncidentQuery query)
    {
        command.Parameters.AddWithValue("$status", (object?)query.Status?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$severity", query.Severity is { } severity ? (int)severity : DBNull.Value);
        command.Parameters.AddWithValue("$open", query.Open is { } open ? (open ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$since", query.Since is { } since ? since.UtcTicks : DBNull.Value);
    }

    private static Task<long?> ReadVersionAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken) =>
        SqliteDatabase.ReadVersionAsync(connection, transaction, "SELECT version FROM incidents WHERE id = $id;", id, cancellationToken);

    private static async Task CheckAlertKeyFreeAsync(SqliteConnection connection, SqliteTransaction transaction, Incident incident, CancellationToken cancellationToken)
    {
        if (incident.AlertKey is not { } key || !incident.IsOpen)
        {
            return;
        }

        using SqliteCommand select = SqliteDatabase.Command(connection, transaction,
            "SELECT id FROM incidents WHERE alert_key = $alertKey AND is_open = 1 AND id <> $id LIMIT 1;");
        select.Parameters.AddWithValue("$alertKey", key);
        select.Parameters.AddWithValue("$id", incident.Id);
        if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string holder)
        {
            throw new IncidentConflictException($"Open incident {holder} already holds alert key '{key}'.");
        }
    }

    private static async Task<int> ExecuteChangeAsync(SqliteCommand command, Incident incident, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the checks above should have caught it; the indexes are the last word.
            throw new IncidentConflictException($"Incident {incident.Id} conflicts with a stored incident (same id, or an open incident holding alert key '{incident.AlertKey}'): {e.Message}", e);
        }
    }

    private static Incident Read(SqliteDataReader reader) => IncidentDocument.Deserialize(reader.GetString(0), reader.GetString(2), reader.GetInt64(1));
}
