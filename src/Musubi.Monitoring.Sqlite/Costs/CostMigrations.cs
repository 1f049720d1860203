using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Costs;

internal static class CostMigrations
{
    internal const string Scope = "costs";

    internal static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "create cost_records", """
            CREATE TABLE cost_records (
                sequence              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so sequences only grow
                recorded_at           INTEGER NOT NULL, -- UTC ticks
                recorded_offset       INTEGER NOT NULL, -- offset minutes, to give back the same DateTimeOffset
                timestamp             INTEGER NOT NULL, -- usage timestamp, UTC ticks (filters and sorts as the instant)
                timestamp_offset      INTEGER NOT NULL,
                provider              TEXT    NOT NULL,
                request_model         TEXT    NOT NULL,
                response_model        TEXT,
                base_model            TEXT,
                model                 TEXT    NOT NULL, -- response_model, else request_model (what queries filter on)
                operation             TEXT    NOT NULL,
                input_tokens          INTEGER NOT NULL,
                cached_read_tokens    INTEGER NOT NULL,
                cache_write_5m_tokens INTEGER NOT NULL,
                cache_write_1h_tokens INTEGER NOT NULL,
                output_tokens         INTEGER NOT NULL,
                reasoning_tokens      INTEGER NOT NULL,
                user_id               TEXT,
                feature               TEXT,
                tenant                TEXT,
                tags                  TEXT,             -- JSON object, or NULL when there is no attribution
                has_attribution       INTEGER NOT NULL,
                -- Money is decimal text (invariant, exact, scale kept) and is summed in C# with System.Decimal:
                -- SQLite's SUM over text or REAL would round.
                total                 TEXT,             -- NULL = unpriced
                input_cost            TEXT    NOT NULL,
                cached_read_cost      TEXT    NOT NULL,
                cache_write_5m_cost   TEXT    NOT NULL,
                cache_write_1h_cost   TEXT    NOT NULL,
                output_cost           TEXT    NOT NULL,
                reasoning_cost        TEXT    NOT NULL,
                resolution_rule       TEXT    NOT NULL,
                resolution_key        TEXT
            );
            CREATE INDEX ix_cost_records_timestamp ON cost_records (timestamp);
            """),
        new(2, "create budgets and budget_alerts", """
            CREATE TABLE budgets (
                name                 TEXT    NOT NULL PRIMARY KEY, -- compared ordinally (BINARY), as Budget names are
                limit_usd            TEXT    NOT NULL, -- invariant decimal text, exact with its scale
                period               TEXT    NOT NULL, -- daily, weekly, monthly or custom
                first_day_of_week    TEXT    NOT NULL, -- Sunday … Saturday (weekly; Monday otherwise)
                period_length        INTEGER NOT NULL, -- ticks (custom; 0 otherwise)
                period_anchor        INTEGER NOT NULL, -- UTC ticks (custom; 0 otherwise)
                period_anchor_offset INTEGER NOT NULL, -- offset minutes, to give back the same DateTimeOffset
                time_zone_id         TEXT    NOT NULL,
                scope                TEXT    NOT NULL, -- global, user, feature or model
                scope_value          TEXT,             -- NULL for global
                warning_share        TEXT    NOT NULL, -- invariant decimal text
                enforce              INTEGER NOT NULL,
                updated_at           INTEGER NOT NULL  -- UTC ticks
            );
            -- Alert state is kept by budget name, also for budgets configured in code (not in the budgets table).
            CREATE TABLE budget_alerts (
                budget_name         TEXT    NOT NULL PRIMARY KEY,
                period_start        INTEGER NOT NULL, -- UTC ticks
                period_start_offset INTEGER NOT NULL, -- offset minutes
                warning_raised      INTEGER NOT NULL,
                exceeded_raised     INTEGER NOT NULL,
                updated_at          INTEGER NOT NULL  -- UTC ticks
            );
            """),
    ];
}
