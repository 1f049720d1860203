using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Costs;
using Musubi.Monitoring.Sqlite.Costs;
using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite;

/// <summary>An <see cref="ICostLedger"/> kept in a SQLite file, so records and totals survive restarts.</summary>
/// <remarks>
/// <para>
/// Thread-safe, and several instances (or processes) may append to the same file: each append is one
/// <c>BEGIN IMMEDIATE</c> transaction and sequences come from <c>AUTOINCREMENT</c>. The schema is created
/// and migrated on first use (migration scope <c>costs</c>).
/// </para>
/// <para>
/// Money is stored as invariant decimal text, which keeps every digit and the scale of the
/// <see cref="decimal"/> it came from, and totals are summed in C# with <see cref="decimal"/>: SQLite's own
/// <c>SUM</c> would convert to a double and round. A price such as 3.75e-6 USD per token times a token count
/// needs about 12 fractional digits; <see cref="decimal"/> keeps 28 significant digits, so a record is exact
/// and a sum is exact until it passes about 10^16 dollars.
/// </para>
/// </remarks>
public sealed class SqliteCostLedger : ICostLedger
{
    private const string Columns = """
        sequence, recorded_at, recorded_offset, timestamp, timestamp_offset, provider, request_model, response_model, base_model,
        operation, input_tokens, cached_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
        user_id, feature, tenant, tags, has_attribution, total, input_cost, cached_read_cost, cache_write_5m_cost, cache_write_1h_cost,
        output_cost, reasoning_cost, resolution_rule, resolution_key
        """;

    private const string FromWhere = """
        FROM cost_records
        WHERE ($from IS NULL OR timestamp >= $from)
          AND ($to IS NULL OR timestamp < $to)
          AND ($provider IS NULL OR provider = $provider)
          AND ($model IS NULL OR model = $model)
          AND ($operation IS NULL OR operation = $operation)
          AND ($user IS NULL OR user_id = $user)
          AND ($feature IS NULL OR feature = $feature)
          AND ($tenant IS NULL OR tenant = $tenant)
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a ledger on the SQLite file named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file (<c>Data Source=costs.db</c>).</param>
    /// <param name="timeProvider">The clock for <see cref="CostRecord.RecordedAt"/> and migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, malformed or names no file.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public SqliteCostLedger(string connectionString, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _database = new SqliteDatabase(connectionString, CostMigrations.Scope, CostMigrations.All, _timeProvider);
    }

    /// <summary>Gets the database file path.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    public async Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(cost);
        cancellationToken.ThrowIfCancellationRequested();
        CostRecord record = CostRecord.Create(0, usage, cost, _timeProvider.GetUtcNow());
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO cost_records (
                    recorded_at, recorded_offset, timestamp, timestamp_offset, provider, request_model, response_model, base_model, model,
                    operation, input_tokens, cached_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
                    user_id, feature, tenant, tags, has_attribution, total, input_cost, cached_read_cost, cache_write_5m_cost, cache_write_1h_cost,
                    output_cost, reasoning_cost, resolution_rule, resolution_key)
                VALUES (
                    $recordedAt, $recordedOffset, $timestamp, $timestampOffset, $provider, $requestModel, $responseModel, $baseModel, $model,
                    $operation, $input, $cachedRead, $cacheWrite5m, $cacheWrite1h, $output, $reasoning,
                    $user, $feature, $tenant, $tags, $hasAttribution, $total, $inputCost, $cachedReadCost, $cacheWrite5mCost, $cacheWrite1hCost,
                    $outputCost, $reasoningCost, $rule, $key);
                SELECT last_insert_rowid();
                """);
            AddRowParameters(insert, record);
            long sequence = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            transaction.Commit();
            return record with { Sequence = sequence };
        }
    }

    /// <inheritdoc/>
    public async Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        decimal money = 0;
        long count = 0, unpriced = 0, input = 0, output = 0, cachedRead = 0, cacheWrite = 0, reasoning = 0;
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteCommand select = SqliteDatabase.Command(connection, null, $"""
                SELECT total, input_tokens, output_tokens, cached_read_tokens, cache_write_5m_tokens + cache_write_1h_tokens, reasoning_tokens
                {FromWhere};
                """);
            AddFilterParameters(select, query);
            SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    checked
                    {
                        count++;
                        if (reader.IsDBNull(0))
                        {
                            unpriced++;
                        }
                        else
                        {
                            money += ParseMoney(reader.GetString(0));
                        }

                        input += reader.GetInt64(1);
                        output += reader.GetInt64(2);
                        cachedRead += reader.GetInt64(3);
                        cacheWrite += reader.GetInt64(4);
                        reasoning += reader.GetInt64(5);
                    }
                }
            }
        }

        return new CostTotal
        {
            Total = money,
            Count = count,
            UnpricedCount = unpriced,
            InputTokens = input,
            OutputTokens = output,
            CachedReadTokens = cachedRead,
            CacheWriteTokens = cacheWrite,
            ReasoningTokens = reasoning,
        };
    }

    /// <inheritdoc/>
    public async Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        (List<CostRecord> items, int total) = await _database.ReadPageAsync(
            FromWhere, Columns, "sequence", c => AddFilterParameters(c, query), query.Skip, query.Take, Read, cancellationToken).ConfigureAwait(false);
        return new CostPage(items, total);
    }

    /// <summary>
    /// Deletes every record from the ledger, in one transaction; this is the <c>musubi-costs reset</c> command. It is not part
    /// of <see cref="ICostLedger"/>, which is append-only: only the owner of the file should call it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the deletion (before it commits).</param>
    /// <returns>How many records were deleted.</returns>
    /// <remarks>Sequence numbers are not reused: the next record appended after a reset gets the next number after the last one deleted.</remarks>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            using SqliteCommand delete = SqliteDatabase.Command(connection, transaction, "DELETE FROM cost_records;");
            long deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return deleted;
        }
    }

    private static void AddRowParameters(SqliteCommand command, CostRecord record)
    {
        LlmUsage usage = record.Usage;
        UsageAttribution? attribution = usage.Attribution;
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$recordedAt", record.RecordedAt.UtcTicks);
        p.AddWithValue("$recordedOffset", (long)record.RecordedAt.Offset.TotalMinutes);
        p.AddWithValue("$timestamp", usage.Timestamp.UtcTicks);
        p.AddWithValue("$timestampOffset", (long)usage.Timestamp.Offset.TotalMinutes);
        p.AddWithValue("$provider", usage.Provider);
        p.AddWithValue("$requestModel", usage.RequestModel);
        p.AddWithValue("$responseModel", (object?)usage.ResponseModel ?? DBNull.Value);
        p.AddWithValue("$baseModel", (object?)usage.BaseModel ?? DBNull.Value);
        p.AddWithValue("$model", record.Model);
        p.AddWithValue("$operation", usage.Operation);
        p.AddWithValue("$input", usage.InputTokens);
        p.AddWithValue("$cachedRead", usage.CachedReadTokens);
        p.AddWithValue("$cacheWrite5m", usage.CacheWrite5MinuteTokens);
        p.AddWithValue("$cacheWrite1h", usage.CacheWrite1HourTokens);
        p.AddWithValue("$output", usage.OutputTokens);
        p.AddWithValue("$reasoning", usage.ReasoningTokens);
        p.AddWithValue("$user", (object?)attribution?.User ?? DBNull.Value);
        p.AddWithValue("$feature", (object?)attribution?.Feature ?? DBNull.Value);
        p.AddWithValue("$tenant", (object?)attribution?.Tenant ?? DBNull.Value);
        p.AddWithValue("$tags", attribution is null ? DBNull.Value : JsonSerializer.Serialize(attribution.Tags.ToDictionary(), CostJsonContext.Default.DictionaryStringString));
        p.AddWithValue("$hasAttribution", attribution is null ? 0 : 1);
        p.AddWithValue("$total", record.Total is { } total ? Money(total) : DBNull.Value);
        p.AddWithValue("$inputCost", Money(record.Input));
        p.AddWithValue("$cachedReadCost", Money(record.CachedRead));
        p.AddWithValue("$cacheWrite5mCost", Money(record.CacheWrite5Minute));
        p.AddWithValue("$cacheWrite1hCost", Money(record.CacheWrite1Hour));
        p.AddWithValue("$outputCost", Money(record.Output));
        p.AddWithValue("$reasoningCost", Money(record.Reasoning));
        p.AddWithValue("$rule", record.ResolutionRule.ToString());
        p.AddWithValue("$key", (object?)record.ResolutionKey ?? DBNull.Value);
    }

    private static void AddFilterParameters(SqliteCommand command, CostQuery query)
    {
        SqliteParameterCollection p = command.Parameters;
        p.AddWithValue("$from", query.From is { } from ? from.UtcTicks : DBNull.Value);
        p.AddWithValue("$to", query.To is { } to ? to.UtcTicks : DBNull.Value);
        p.AddWithValue("$provider", (object?)query.Provider ?? DBNull.Value);
        p.AddWithValue("$model", (object?)query.Model ?? DBNull.Value);
        p.AddWithValue("$operation", (object?)query.Operation ?? DBNull.Value);
        p.AddWithValue("$user", (object?)query.User ?? DBNull.Value);
        p.AddWithValue("$feature", (object?)query.Feature ?? DBNull.Value);
        p.AddWithValue("$tenant", (object?)query.Tenant ?? DBNull.Value);
    }

    private static CostRecord Read(SqliteDataReader r)
    {
        UsageAttribution? attribution = r.GetInt64(20) == 0 ? null : new UsageAttribution
        {
            User = Text(r, 16),
            Feature = Text(r, 17),
            Tenant = Text(r, 18),
            Tags = Text(r, 19) is { } tags ? JsonSerializer.Deserialize(tags, CostJsonContext.Default.DictionaryStringString) ?? [] : [],
        };
        var usage = new LlmUsage(
            r.GetString(5), r.GetString(6), Instant(r, 3), r.GetInt64(10), r.GetInt64(14), r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(15))
        {
            ResponseModel = Text(r, 7),
            BaseModel = Text(r, 8),
            Operation = r.GetString(9),
            Attribution = attribution,
        };
        return new CostRecord
        {
            Sequence = r.GetInt64(0),
            RecordedAt = Instant(r, 1),
            Usage = usage,
            Total = Text(r, 21) is { } total ? ParseMoney(total) : null,
            Input = ParseMoney(r.GetString(22)),
            CachedRead = ParseMoney(r.GetString(23)),
            CacheWrite5Minute = ParseMoney(r.GetString(24)),
            CacheWrite1Hour = ParseMoney(r.GetString(25)),
            Output = ParseMoney(r.GetString(26)),
            Reasoning = ParseMoney(r.GetString(27)),
            ResolutionRule = Enum.Parse<ResolutionRule>(r.GetString(28)),
            ResolutionKey = Text(r, 29),
        };
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Instant(SqliteDataReader reader, int ticksOrdinal)
    {
        var offset = TimeSpan.FromMinutes(reader.GetInt64(ticksOrdinal + 1));
        return new DateTimeOffset(reader.GetInt64(ticksOrdinal), TimeSpan.Zero).ToOffset(offset);
    }

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseMoney(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
