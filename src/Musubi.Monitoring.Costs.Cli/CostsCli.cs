using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Microsoft.Data.Sqlite;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// The <c>musubi-costs</c> command line: <c>estimate</c>, <c>report</c>, <c>pricing</c>, <c>export</c>, <c>reset</c> and <c>budget</c>, all on the
/// SQLite cost ledger the library writes. Exit codes are in <see cref="ExitCodes"/>.
/// </summary>
internal static class CostsCli
{
    /// <summary>Builds the command tree.</summary>
    /// <param name="context">The environment, clock and global options the commands use.</param>
    /// <returns>The root command.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static RootCommand Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand(
            "musubi-costs: LLM costs from the Musubi.Monitoring SQLite ledger. Estimate a call, report and export what was recorded, "
            + "list prices, manage budgets. Exit codes: 0 ok, 1 usage or input error, 2 over budget (budget status --check).");
        root.Options.Add(context.Db);
        root.Subcommands.Add(EstimateCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(PricingCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(ResetCommand.Create(context));
        root.Subcommands.Add(BudgetCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">The streams and variables.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(environment, timeProvider);
        ParseResult parseResult = Build(context).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = environment.Output,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
        };
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // The errors name the bad value; a pointer to the help reads better than the whole help after them.
            parseError.ShowHelp = false;
            int code = await parseResult.InvokeAsync(invocation, cancellationToken);
            var names = new Stack<string>();
            for (CommandResult? c = parseResult.CommandResult; c is not null && c.Command is not RootCommand; c = c.Parent as CommandResult)
            {
                names.Push(c.Command.Name);
            }

            string command = string.Join(' ', ["musubi-costs", .. names]);
            environment.Error.Write($"Run '{command} --help' for usage.\n");
            return code;
        }

        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (CliUsageException e)
        {
            environment.Error.Write("error: " + e.Message + "\n");
            return ExitCodes.UsageError;
        }
        catch (InvalidDataException e)
        {
            // A stored row this version cannot read (for example a budget written by a newer version); the message names it.
            environment.Error.Write("error: " + e.Message + "\n");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // SQLite's own errors, and the file system's when the ledger's folder cannot be created (a file in the way, no
            // permission). Files the commands read or write themselves (--prices, --output) report their own errors.
            string file = context.Ledger is { } ledger ? $" '{ledger.Path}' (from {ledger.Source})" : string.Empty;
            environment.Error.Write($"error: the SQLite ledger{file} could not be used: {e.Message}\n");
            return ExitCodes.UsageError;
        }
    }
}
