using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Incidents;

/// <summary>The incident store's schema, one migration per change. Never edit a shipped migration: add one.</summary>
internal static class IncidentMigrations
{
    /// <summary>The scope under which the incident migrations are recorded in <c>schema_migrations</c>.</summary>
    internal const string Scope = "incidents";

    /// <summary>Gets the migrations, in order.</summary>
    internal static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "create incidents", """
            CREATE TABLE incidents (
                id          TEXT    NOT NULL PRIMARY KEY,
                status      TEXT    NOT NULL,
                severity    INTEGER NOT NULL,
                detected_at INTEGER NOT NULL, -- UTC ticks, so it sorts and compares as the instant
                is_open     INTEGER NOT NULL CHECK (is_open IN (0, 1)),
                alert_key   TEXT    NULL,
                version     INTEGER NOT NULL CHECK (version >= 1),
                document    TEXT    NOT NULL  -- the whole incident as JSON (IncidentDocument)
            );
            CREATE INDEX ix_incidents_detected_at ON incidents (detected_at DESC, id);
            CREATE INDEX ix_incidents_alert_key ON incidents (alert_key, detected_at DESC) WHERE alert_key IS NOT NULL;
            CREATE UNIQUE INDEX ux_incidents_open_alert_key ON incidents (alert_key) WHERE is_open = 1 AND alert_key IS NOT NULL;
            """),
    ];
}
