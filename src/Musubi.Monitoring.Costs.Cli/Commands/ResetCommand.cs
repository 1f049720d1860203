using System.CommandLine;
using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// <c>reset</c>: deletes every record from the ledger. Without <c>--yes</c> it asks on a terminal and refuses (exit 1) when
/// not interactive; a person who does not answer <c>y</c> or <c>yes</c> keeps every record (exit 1).
/// </summary>
internal static class ResetCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking (required when not on a terminal)." };
        var command = new Command("reset", "Delete every record from the ledger (asks first; --yes to skip the question).") { yes };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            LedgerLocation location = context.ResolveLedger(parseResult);
            Sqlite.SqliteCostLedger ledger = location.OpenExisting(context.TimeProvider);
            if (!parseResult.GetValue(yes))
            {
                if (!context.Environment.IsInteractive)
                {
                    throw new CliUsageException($"reset deletes every record in '{location.Path}'; not on a terminal, so nothing is asked: pass --yes to confirm.");
                }

                CostTotal total = await ledger.GetTotalAsync(new CostQuery(), cancellationToken);
                context.Environment.Output.Write(string.Create(CultureInfo.InvariantCulture, $"Delete all {total.Count} records from '{location.Path}'? [y/N] "));
                string? answer = (await context.Environment.Input.ReadLineAsync(cancellationToken))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    context.WriteLine("Nothing deleted.");
                    return ExitCodes.UsageError;
                }
            }

            long deleted = await ledger.ClearAsync(cancellationToken);
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} records from '{location.Path}'."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
