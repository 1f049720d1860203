using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Costs;
using Musubi.Monitoring.Sqlite.Costs;
using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite;

/// <summary>
/// An <see cref="IBudgetStore"/> kept in a SQLite file: budget definitions and raised-alert state survive restarts and
/// are shared by every process that opens the file (for example a host and the <c>musubi-costs</c> tool).
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe, and several instances (or processes) may use the same file: every write is one <c>BEGIN IMMEDIATE</c>
/// transaction, so <see cref="TryMarkAlertRaisedAsync"/> lets exactly one caller raise an alert per period. The tables
/// <c>budgets</c> and <c>budget_alerts</c> belong to the migration scope <c>costs</c> (version 2) and are created on first use.
/// </para>
/// <para>
/// Every field of a <see cref="Budget"/> is stored so it reads back equal: money and shares as invariant decimal text
/// (exact, scale kept), a custom period's length in ticks and its anchor as UTC ticks plus offset. A row this version
/// cannot read (for example a period text written by a newer version) gives an <see cref="InvalidDataException"/> naming
/// the budget, the column and the value.
/// </para>
/// </remarks>
public sealed class SqliteBudgetStore : IBudgetStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a store on the SQLite file named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file (<c>Data Source=musubi.db</c>).</param>
    /// <param name="timeProvider">The clock for the <c>updated_at</c> columns and migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, malformed or names no file.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public SqliteBudgetStore(string connectionString, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _database = new SqliteDatabase(connectionString, CostMigrations.Scope, CostMigrations.All, _timeProvider);
    }

    /// <summary>Gets the database file path.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Budget>> GetBudgetsAsync(CancellationToken cancellationToken = default)
    {
        var budgets = new List<Budget>();
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteCommand select = SqliteDatabase.Command(connection, null, $"SELECT {BudgetRows.Columns} FROM budgets ORDER BY name;");
            SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    budgets.Add(BudgetRows.Read(reader, DataSource));
                }
            }
        }

        return budgets;
    }

    /// <inheritdoc/>
    public Task<Budget?> GetBudgetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _database.ReadOneAsync(
            $"SELECT {BudgetRows.Columns} FROM budgets WHERE name = $name;",
            c => c.Parameters.AddWithValue("$name", name),
            r => BudgetRows.Read(r, DataSource),
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    public async Task<bool> UpsertBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            using SqliteCommand exists = SqliteDatabase.Command(connection, transaction, "SELECT COUNT(*) FROM budgets WHERE name = $name;");
            exists.Parameters.AddWithValue("$name", budget.Name);
            bool added = Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0;
            using SqliteCommand upsert = SqliteDatabase.Command(connection, transaction, $"""
                INSERT INTO budgets ({BudgetRows.Columns}, updated_at)
                VALUES ($name, $limit, $period, $firstDay, $length, $anchor, $anchorOffset, $timeZone, $scope, $scopeValue, $warningShare, $enforce, $updatedAt)
                ON CONFLICT (name) DO UPDATE SET
                    limit_usd = excluded.limit_usd, period = excluded.period, first_day_of_week = excluded.first_day_of_week,
                    period_length = excluded.period_length, period_anchor = excluded.period_anchor,
                    period_anchor_offset = excluded.period_anchor_offset, time_zone_id = excluded.time_zone_id, scope = excluded.scope,
                    scope_value = excluded.scope_value, warning_share = excluded.warning_share, enforce = excluded.enforce,
                    updated_at = excluded.updated_at;
                """);
            BudgetRows.AddParameters(upsert, budget);
            upsert.Parameters.AddWithValue("$updatedAt", _timeProvider.GetUtcNow().UtcTicks);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return added;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    public async Task<bool> DeleteBudgetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            using SqliteCommand delete = SqliteDatabase.Command(connection, transaction, """
                DELETE FROM budget_alerts WHERE budget_name = $name;
                DELETE FROM budgets WHERE name = $name;
                SELECT changes();
                """);
            delete.Parameters.AddWithValue("$name", name);
            long deleted = Convert.ToInt64(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            transaction.Commit();
            return deleted > 0;
        }
    }

    /// <inheritdoc/>
    public Task<BudgetAlertState?> GetAlertStateAsync(string budgetName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetName);
        return _database.ReadOneAsync(
            "SELECT budget_name, period_start, period_start_offset, warning_raised, exceeded_raised FROM budget_alerts WHERE budget_name = $name;",
            c => c.Parameters.AddWithValue("$name", budgetName),
            ReadAlertState,
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database could not be written (for example locked beyond the busy timeout).</exception>
    public async Task<bool> TryMarkAlertRaisedAsync(string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetName);
        BudgetStoreArguments.ThrowIfUndefined(kind);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // BEGIN IMMEDIATE: the read and the write are one step, so two processes cannot both raise the same alert.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            BudgetAlertState? current;
            using (SqliteCommand select = SqliteDatabase.Command(connection, transaction, """
                SELECT budget_name, period_start, period_start_offset, warning_raised, exceeded_raised FROM budget_alerts WHERE budget_name = $name;
                """))
            {
                select.Parameters.AddWithValue("$name", budgetName);
                SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAlertState(reader) : null;
                }
            }

            BudgetAlertState? next = BudgetAlertState.Mark(current, budgetName, periodStart, kind);
            if (next is null)
            {
                return false;
            }

            using SqliteCommand upsert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO budget_alerts (budget_name, period_start, period_start_offset, warning_raised, exceeded_raised, updated_at)
                VALUES ($name, $start, $startOffset, $warning, $exceeded, $updatedAt)
                ON CONFLICT (budget_name) DO UPDATE SET
                    period_start = excluded.period_start, period_start_offset = excluded.period_start_offset,
                    warning_raised = excluded.warning_raised, exceeded_raised = excluded.exceeded_raised, updated_at = excluded.updated_at;
                """);
            upsert.Parameters.AddWithValue("$name", budgetName);
            upsert.Parameters.AddWithValue("$start", next.PeriodStart.UtcTicks);
            upsert.Parameters.AddWithValue("$startOffset", (long)next.PeriodStart.Offset.TotalMinutes);
            upsert.Parameters.AddWithValue("$warning", next.WarningRaised ? 1 : 0);
            upsert.Parameters.AddWithValue("$exceeded", next.ExceededRaised ? 1 : 0);
            upsert.Parameters.AddWithValue("$updatedAt", _timeProvider.GetUtcNow().UtcTicks);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return true;
        }
    }

    private static BudgetAlertState ReadAlertState(SqliteDataReader r) => new()
    {
        BudgetName = r.GetString(0),
        PeriodStart = new DateTimeOffset(r.GetInt64(1), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(r.GetInt64(2))),
        WarningRaised = r.GetInt64(3) != 0,
        ExceededRaised = r.GetInt64(4) != 0,
    };
}
