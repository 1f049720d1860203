using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Flags;

/// <summary>The feature flag store's schema, one migration per change. Never edit a shipped migration: add one.</summary>
internal static class FeatureFlagMigrations
{
    /// <summary>The scope under which the flag migrations are recorded in <c>schema_migrations</c>.</summary>
    internal const string Scope = "flags";

    /// <summary>Gets the migrations, in order.</summary>
    internal static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "create feature flags", """
            CREATE TABLE feature_flags (
                id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), -- one flag set per database
                revision INTEGER NOT NULL CHECK (revision >= 1),
                document TEXT    NOT NULL                             -- Unleash client features JSON
            );
            CREATE TABLE feature_flag_changes (
                revision    INTEGER NOT NULL PRIMARY KEY,
                at          INTEGER NOT NULL, -- UTC ticks
                actor       TEXT    NOT NULL,
                description TEXT    NOT NULL
            );
            """),
    ];
}
