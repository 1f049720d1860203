using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Quality;

internal static class QualityMigrations
{
    internal const string Scope = "quality";

    internal static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "create quality_snapshots and quality_measurements", """
            CREATE TABLE quality_snapshots (
                sequence         INTEGER PRIMARY KEY AUTOINCREMENT, -- append order, never reused
                timestamp        INTEGER NOT NULL, -- UTC ticks (filters and sorts as the instant)
                timestamp_offset INTEGER NOT NULL, -- offset minutes, to give back the same DateTimeOffset
                sources          TEXT    NOT NULL, -- JSON array of strings
                warnings         TEXT    NOT NULL  -- JSON array of strings
            );
            CREATE INDEX ix_quality_snapshots_timestamp ON quality_snapshots (timestamp, sequence);
            CREATE TABLE quality_measurements (
                snapshot       INTEGER NOT NULL REFERENCES quality_snapshots (sequence) ON DELETE CASCADE,
                position       INTEGER NOT NULL, -- order in the snapshot
                metric         TEXT    NOT NULL,
                unit           TEXT    NOT NULL, -- QualityUnit name
                -- The value as invariant decimal text: exact, scale kept (79.999 stays 79.999); NULL = unknown.
                value          TEXT,
                numerator      INTEGER, -- for a ratio
                denominator    INTEGER, -- for a ratio
                unknown_reason TEXT,    -- NULL when known
                PRIMARY KEY (snapshot, position)
            );
            """),
    ];
}
