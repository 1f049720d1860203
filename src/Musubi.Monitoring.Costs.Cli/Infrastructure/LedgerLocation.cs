using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// Where the SQLite cost ledger is: the <c>--db</c> option, else the <c>MUSUBI_COSTS_DB</c> environment variable, else
/// <c>musubi.db</c> in the current folder (the file the README's <c>UseSqlite("Data Source=musubi.db")</c> writes when the
/// host runs from that folder).
/// </summary>
/// <param name="Path">The full path of the file.</param>
/// <param name="Source">Where the path came from, for messages: <c>--db</c>, <c>MUSUBI_COSTS_DB</c> or <c>default</c>.</param>
internal sealed record LedgerLocation(string Path, string Source)
{
    /// <summary>The environment variable naming the ledger file.</summary>
    public const string EnvironmentVariable = "MUSUBI_COSTS_DB";

    /// <summary>The file used when neither the option nor the variable is set, relative to the current folder.</summary>
    public const string DefaultFileName = "musubi.db";

    /// <summary>Resolves the location.</summary>
    /// <param name="option">The <c>--db</c> value, or <see langword="null"/>.</param>
    /// <param name="environment">Reads <see cref="EnvironmentVariable"/>.</param>
    /// <returns>The location.</returns>
    /// <exception cref="CliUsageException">The path is empty or not a valid path; the message names it.</exception>
    public static LedgerLocation Resolve(string? option, CliEnvironment environment)
    {
        (string path, string source) = option is not null ? (option, "--db")
            : environment.GetVariable(EnvironmentVariable) is { Length: > 0 } variable ? (variable, EnvironmentVariable)
            : (DefaultFileName, "default");
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException($"The ledger path from {source} is empty; give a file such as --db ./musubi.db.");
        }

        try
        {
            return new LedgerLocation(System.IO.Path.GetFullPath(path), source);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliUsageException($"The ledger path '{path}' (from {source}) is not a valid file path: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens the ledger, which must exist and be one: a command that only reads never creates an empty file in the wrong
    /// folder, nor adds the ledger's tables to an empty file or to another application's SQLite database.
    /// </summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The ledger.</returns>
    /// <exception cref="CliUsageException">
    /// The file does not exist, is not a SQLite database, or has no cost ledger in it; the message names it and how to
    /// choose another.
    /// </exception>
    public SqliteCostLedger OpenExisting(TimeProvider timeProvider)
    {
        string choose = $"Pass --db <file> or set {EnvironmentVariable} to the SQLite file your host writes with UseSqlite.";
        if (!File.Exists(Path))
        {
            throw new CliUsageException($"There is no cost ledger at '{Path}' (from {Source}). {choose}");
        }

        if (!HasLedgerTable())
        {
            throw new CliUsageException(
                $"'{Path}' (from {Source}) is not a Musubi cost ledger: it has no cost_records table (a host writes it once it records usage with UseSqlite). {choose}");
        }

        return OpenOrCreate(timeProvider);
    }

    /// <summary>Looks for the ledger's table without writing anything: read-only, no migrations, no WAL switch.</summary>
    private bool HasLedgerTable()
    {
        var readOnly = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(readOnly.ToString());
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'cost_records'";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 /* SQLITE_NOTADB */)
        {
            throw new CliUsageException($"'{Path}' (from {Source}) is not a SQLite database: {e.Message}", e);
        }
        catch (SqliteException e)
        {
            throw new CliUsageException($"The cost ledger '{Path}' (from {Source}) cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Opens the ledger, creating the file (and its schema) when it is missing.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The ledger.</returns>
    public SqliteCostLedger OpenOrCreate(TimeProvider timeProvider) => new(ConnectionString, timeProvider);

    /// <summary>Gets the Microsoft.Data.Sqlite connection string for the file.</summary>
    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path }.ToString();
}
