using System.CommandLine;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>What every command shares: the environment, the clock and the global <c>--db</c> option.</summary>
/// <remarks>Not thread-safe; one command runs at a time.</remarks>
internal sealed class CliContext
{
    /// <summary>Initializes a context.</summary>
    /// <param name="environment">The streams and variables.</param>
    /// <param name="timeProvider">The clock (reports' "now", record times).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CliContext(CliEnvironment environment, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Environment = environment;
        TimeProvider = timeProvider;
    }

    /// <summary>Gets the streams and variables.</summary>
    public CliEnvironment Environment { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the global <c>--db</c> option (recursive: every command accepts it).</summary>
    public Option<string?> Db { get; } = new("--db")
    {
        Description = $"The SQLite cost ledger file. Default: ${LedgerLocation.EnvironmentVariable}, else ./{LedgerLocation.DefaultFileName}.",
        Recursive = true,
        HelpName = "file",
    };

    /// <summary>Gets the ledger location last resolved, for error messages.</summary>
    public LedgerLocation? Ledger { get; private set; }

    /// <summary>Resolves the ledger location for a parsed command line.</summary>
    /// <param name="parseResult">The parse result.</param>
    /// <returns>The location.</returns>
    /// <exception cref="CliUsageException">The path is not valid.</exception>
    public LedgerLocation ResolveLedger(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        Ledger = LedgerLocation.Resolve(parseResult.GetValue(Db), Environment);
        return Ledger;
    }

    /// <summary>Writes one line to standard output (<c>\n</c> line end on every platform, so output is the same everywhere).</summary>
    /// <param name="text">The line.</param>
    public void WriteLine(string text) => Environment.Output.Write(text + "\n");

    /// <summary>Writes a warning line to standard error.</summary>
    /// <param name="text">The warning.</param>
    public void Warn(string text) => Environment.Error.Write("warning: " + text + "\n");
}
