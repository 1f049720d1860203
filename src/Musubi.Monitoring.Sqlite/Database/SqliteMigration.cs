namespace Musubi.Monitoring.Sqlite.Database;

/// <summary>One step of a store's schema: applied once, in its own transaction, and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Id">The step's number: 1 for the first, then one more for each (the schema version once it is applied).</param>
/// <param name="Name">A short name, recorded with it.</param>
/// <param name="Sql">The statements to run. Never edit a shipped migration: add a new one.</param>
internal sealed record SqliteMigration(int Id, string Name, string Sql);
