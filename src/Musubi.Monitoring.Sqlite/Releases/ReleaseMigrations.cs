using Musubi.Monitoring.Sqlite.Database;

namespace Musubi.Monitoring.Sqlite.Releases;

/// <summary>The release store's schema, one migration per change. Never edit a shipped migration: add one.</summary>
internal static class ReleaseMigrations
{
    /// <summary>The scope under which the release migrations are recorded in <c>schema_migrations</c>.</summary>
    internal const string Scope = "releases";

    /// <summary>Gets the migrations, in order.</summary>
    internal static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "create releases", """
            CREATE TABLE releases (
                id         TEXT    NOT NULL PRIMARY KEY,
                status     TEXT    NOT NULL,
                type       TEXT    NOT NULL,
                version    TEXT    NOT NULL, -- the semantic version, as text (for reading; precedence is not text order)
                created_at INTEGER NOT NULL, -- UTC ticks, so it sorts and compares as the instant
                revision   INTEGER NOT NULL CHECK (revision >= 1),
                document   TEXT    NOT NULL  -- the whole release as JSON (ReleaseDocument)
            );
            CREATE INDEX ix_releases_created_at ON releases (created_at DESC, id);
            """),
    ];
}
