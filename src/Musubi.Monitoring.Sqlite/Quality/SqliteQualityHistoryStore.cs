using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Quality;
using Musubi.Monitoring.Sqlite.Database;
using Musubi.Monitoring.Sqlite.Quality;

namespace Musubi.Monitoring.Sqlite;

/// <summary>An <see cref="IQualityHistoryStore"/> kept in a SQLite file, so quality history survives restarts.</summary>
/// <remarks>
/// <para>
/// Thread-safe, and several instances (or processes) may append to the same file: each append is one
/// <c>BEGIN IMMEDIATE</c> transaction. The schema is created and migrated on first use (migration scope <c>quality</c>).
/// Reads return snapshots oldest first, by timestamp and then append order (see <see cref="IQualityHistoryStore"/>).
/// Nothing is ever deleted.
/// </para>
/// <para>
/// Measurements are stored exactly: a value as invariant decimal text (every digit and the scale: 79.999 stays 79.999),
/// an unknown value as NULL with its reason, a ratio with its numerator and denominator, and the unit by name; the
/// snapshot's sources and warnings as JSON arrays. Reading rebuilds each measurement with the factory that made it, so
/// a stored row that no longer makes a valid measurement (a value that is not a number, a ratio whose value does not
/// match its counts, an unknown unit) throws an <see cref="InvalidDataException"/> naming the snapshot and the metric.
/// Errors of the database itself surface as <see cref="SqliteException"/>.
/// </para>
/// </remarks>
public sealed class SqliteQualityHistoryStore : IQualityHistoryStore
{
    private const string SnapshotColumns = "sequence, timestamp, timestamp_offset, sources, warnings";

    private readonly SqliteDatabase _database;

    /// <summary>Initializes a store on the SQLite file named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file (<c>Data Source=quality.db</c>).</param>
    /// <param name="timeProvider">The clock for the migration records; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, malformed or names no file.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public SqliteQualityHistoryStore(string connectionString, TimeProvider? timeProvider = null) =>
        _database = new SqliteDatabase(connectionString, QualityMigrations.Scope, QualityMigrations.All, timeProvider);

    /// <summary>Gets the database file path.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    public async Task AppendAsync(QualitySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO quality_snapshots (timestamp, timestamp_offset, sources, warnings)
                VALUES ($timestamp, $offset, $sources, $warnings);
                SELECT last_insert_rowid();
                """);
            insert.Parameters.AddWithValue("$timestamp", snapshot.Timestamp.UtcTicks);
            insert.Parameters.AddWithValue("$offset", (long)snapshot.Timestamp.Offset.TotalMinutes);
            insert.Parameters.AddWithValue("$sources", JsonSerializer.Serialize([.. snapshot.Sources], QualityJsonContext.Default.StringArray));
            insert.Parameters.AddWithValue("$warnings", JsonSerializer.Serialize([.. snapshot.Warnings], QualityJsonContext.Default.StringArray));
            long sequence = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

            using SqliteCommand measurement = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO quality_measurements (snapshot, position, metric, unit, value, numerator, denominator, unknown_reason)
                VALUES ($snapshot, $position, $metric, $unit, $value, $numerator, $denominator, $reason);
                """);
            SqliteParameterCollection p = measurement.Parameters;
            SqliteParameter position = p.Add("$position", SqliteType.Integer);
            SqliteParameter metric = p.Add("$metric", SqliteType.Text);
            SqliteParameter unit = p.Add("$unit", SqliteType.Text);
            SqliteParameter value = p.Add("$value", SqliteType.Text);
            SqliteParameter numerator = p.Add("$numerator", SqliteType.Integer);
            SqliteParameter denominator = p.Add("$denominator", SqliteType.Integer);
            SqliteParameter reason = p.Add("$reason", SqliteType.Text);
            p.AddWithValue("$snapshot", sequence);
            for (int i = 0; i < snapshot.Measurements.Count; i++)
            {
                QualityMeasurement m = snapshot.Measurements[i];
                position.Value = i;
                metric.Value = m.Metric;
                unit.Value = m.Unit.ToString();
                value.Value = m.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
                numerator.Value = m.Numerator is { } n ? n : DBNull.Value;
                denominator.Value = m.Denominator is { } d ? d : DBNull.Value;
                reason.Value = (object?)m.UnknownReason ?? DBNull.Value;
                await measurement.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A stored snapshot is no longer valid; the message names it.</exception>
    public Task<IReadOnlyList<QualitySnapshot>> GetLatestAsync(int count, CancellationToken cancellationToken = default)
    {
        QualityHistoryArguments.CheckCount(count);
        return ReadAsync(
            "SELECT sequence FROM quality_snapshots ORDER BY timestamp DESC, sequence DESC LIMIT $count",
            c => c.Parameters.AddWithValue("$count", count),
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A stored snapshot is no longer valid; the message names it.</exception>
    public Task<IReadOnlyList<QualitySnapshot>> GetRangeAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        QualityHistoryArguments.CheckRange(since, until);
        return ReadAsync(
            "SELECT sequence FROM quality_snapshots WHERE timestamp >= $since AND timestamp < $until",
            c =>
            {
                c.Parameters.AddWithValue("$since", since.UtcTicks);
                c.Parameters.AddWithValue("$until", until.UtcTicks);
            },
            cancellationToken);
    }

    /// <summary>Reads the snapshots whose sequences <paramref name="selection"/> selects, with their measurements, in two queries.</summary>
    /// <param name="selection">A SELECT of the <c>sequence</c> column of <c>quality_snapshots</c>.</param>
    /// <param name="parameters">Sets the selection's parameters (on both queries).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    private async Task<IReadOnlyList<QualitySnapshot>> ReadAsync(string selection, Action<SqliteCommand> parameters, CancellationToken cancellationToken)
    {
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One read transaction, so the snapshots and their measurements are the same state of the file.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
            var rows = new List<(long Sequence, DateTimeOffset Timestamp, string[] Sources, string[] Warnings)>();
            using (SqliteCommand select = SqliteDatabase.Command(connection, transaction, $"""
                SELECT {SnapshotColumns} FROM quality_snapshots WHERE sequence IN ({selection}) ORDER BY timestamp, sequence;
                """))
            {
                parameters(select);
                SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        long sequence = reader.GetInt64(0);
                        rows.Add((sequence, Instant(reader, sequence), Strings(reader, 3, sequence, "sources"), Strings(reader, 4, sequence, "warnings")));
                    }
                }
            }

            var measurements = new Dictionary<long, List<QualityMeasurement>>(rows.Count);
            foreach ((long sequence, _, _, _) in rows)
            {
                measurements[sequence] = [];
            }

            using (SqliteCommand select = SqliteDatabase.Command(connection, transaction, $"""
                SELECT snapshot, metric, unit, value, numerator, denominator, unknown_reason
                FROM quality_measurements WHERE snapshot IN ({selection}) ORDER BY snapshot, position;
                """))
            {
                parameters(select);
                SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        long sequence = reader.GetInt64(0);
                        if (measurements.TryGetValue(sequence, out List<QualityMeasurement>? list))
                        {
                            list.Add(ReadMeasurement(reader, sequence));
                        }
                    }
                }
            }

            transaction.Commit();
            var snapshots = new QualitySnapshot[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                (long sequence, DateTimeOffset timestamp, string[] sources, string[] warnings) = rows[i];
                try
                {
                    snapshots[i] = new QualitySnapshot(timestamp, measurements[sequence], sources, warnings);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException(FormattableString.Invariant($"Stored quality snapshot {sequence} is not valid: {e.Message}"), e);
                }
            }

            return snapshots;
        }
    }

    private static DateTimeOffset Instant(SqliteDataReader reader, long sequence)
    {
        long ticks = reader.GetInt64(1);
        long offsetMinutes = reader.GetInt64(2);
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(FormattableString.Invariant($"Stored quality snapshot {sequence} has timestamp {ticks} ticks at offset {offsetMinutes} minutes, which is not a valid instant."), e);
        }
    }

    private static string[] Strings(SqliteDataReader reader, int ordinal, long sequence, string column)
    {
        string text = reader.GetString(ordinal);
        string[]? values;
        try
        {
            values = JsonSerializer.Deserialize(text, QualityJsonContext.Default.StringArray);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(FormattableString.Invariant($"Stored quality snapshot {sequence} has {column} '{text}', which is not a JSON array of strings: {e.Message}"), e);
        }

        if (values is null || Array.IndexOf(values, null) >= 0)
        {
            throw new InvalidDataException(FormattableString.Invariant($"Stored quality snapshot {sequence} has {column} '{text}', which is not a JSON array of strings."));
        }

        return values;
    }

    private static QualityMeasurement ReadMeasurement(SqliteDataReader r, long sequence)
    {
        string metric = r.GetString(1);
        string unitText = r.GetString(2);
        string? valueText = r.IsDBNull(3) ? null : r.GetString(3);
        long? numerator = r.IsDBNull(4) ? null : r.GetInt64(4);
        long? denominator = r.IsDBNull(5) ? null : r.GetInt64(5);
        string? reason = r.IsDBNull(6) ? null : r.GetString(6);
        string where = FormattableString.Invariant($"Stored quality snapshot {sequence}, metric '{metric}'");

        // Enum.TryParse accepts numbers and undefined values; only the names written by AppendAsync are valid.
        if (!Enum.TryParse(unitText, ignoreCase: false, out QualityUnit unit) || !Enum.IsDefined(unit) || !string.Equals(unit.ToString(), unitText, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where} has unit '{unitText}'; expected Percent, Count or Number.");
        }

        decimal? value = null;
        if (valueText is not null)
        {
            if (!decimal.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed))
            {
                throw new InvalidDataException($"{where} has value '{valueText}', which is not an invariant decimal number.");
            }

            value = parsed;
        }

        QualityMeasurement measurement;
        try
        {
            if (numerator is not null || denominator is not null)
            {
                if (numerator is null || denominator is null || unit != QualityUnit.Percent)
                {
                    throw new InvalidDataException($"{where} has a ratio with only one of numerator and denominator, or a unit other than Percent.");
                }

                // The reason is only used when the denominator is 0; a known ratio keeps none.
                measurement = QualityMeasurement.Ratio(metric, numerator.Value, denominator.Value, reason ?? "no reason stored");
            }
            else
            {
                measurement = value is { } known
                    ? QualityMeasurement.Known(metric, known, unit)
                    : QualityMeasurement.Unknown(metric, unit, reason ?? throw new InvalidDataException($"{where} has neither a value nor a reason why it is unknown."));
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where} is not a valid measurement: {e.Message}", e);
        }

        // The stored value and reason must be what the measurement has: exactly, scale included.
        string? rebuilt = measurement.Value?.ToString(CultureInfo.InvariantCulture);
        if (!string.Equals(rebuilt, valueText, StringComparison.Ordinal) || !string.Equals(measurement.UnknownReason, reason, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where} has value '{valueText ?? "NULL"}' and reason '{reason ?? "NULL"}', which do not match its counts {numerator}/{denominator} (value '{rebuilt ?? "NULL"}').");
        }

        return measurement;
    }
}
