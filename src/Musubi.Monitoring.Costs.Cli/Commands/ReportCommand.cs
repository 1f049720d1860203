using System.CommandLine;
using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary><c>report</c>: a <see cref="CostReport"/> of the ledger for the session, day, ISO week or month that contains now.</summary>
internal static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var period = new Option<string>("--period", "-p")
        {
            Description = "session (every record), daily, weekly (ISO, Monday first) or monthly: the period that contains now.",
            DefaultValueFactory = _ => "session",
        };
        period.AcceptOnlyFromAmong("session", "daily", "weekly", "monthly");
        Option<string> format = CommonOptions.Format("text", "json", "markdown", "csv");
        var timeZone = new Option<string>("--time-zone", "--tz")
        {
            Description = "The IANA time zone whose calendar defines days, weeks and months, for example Europe/Berlin.",
            DefaultValueFactory = _ => "UTC",
            HelpName = "zone",
        };
        var by = new Option<string>("--by") { Description = "Group rows by provider, model, operation, user or feature.", DefaultValueFactory = _ => "model" };
        by.AcceptOnlyFromAmong("provider", "model", "operation", "user", "feature");
        var command = new Command("report", "Report the ledger's costs for a period, grouped, as text, JSON, Markdown or CSV.") { period, format, timeZone, by };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TimeZoneInfo zone = FindTimeZone(parseResult.GetValue(timeZone)!);
            CostReportPeriod reportPeriod = Enum.Parse<CostReportPeriod>(parseResult.GetValue(period)!, ignoreCase: true);
            CostReportGrouping grouping = Enum.Parse<CostReportGrouping>(parseResult.GetValue(by)!, ignoreCase: true);
            ICostLedger ledger = context.ResolveLedger(parseResult).OpenExisting(context.TimeProvider);
            CostReport report = await CostReport.BuildAsync(ledger, reportPeriod, grouping, zone, context.TimeProvider.GetUtcNow(), cancellationToken);
            switch (parseResult.GetValue(format))
            {
                case "json":
                    context.Environment.Output.Write(report.ToJson());
                    break;
                case "markdown":
                    context.Environment.Output.Write(report.ToMarkdown());
                    break;
                case "csv":
                    context.Environment.Output.Write(report.ToCsv());
                    break;
                default:
                    WriteText(context, report);
                    break;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Finds an IANA (or Windows) time zone.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The zone.</returns>
    /// <exception cref="CliUsageException">The zone is unknown; the message names it.</exception>
    public static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new CliUsageException($"--time-zone '{id}' is not a time zone known to this system; use an IANA id such as Europe/Berlin or UTC.", e);
        }
    }

    private static void WriteText(CliContext context, CostReport report)
    {
        if (!context.Environment.IsRich)
        {
            // The library's own text writer, so the tool and the library print the same report.
            context.Environment.Output.Write(report.ToText());
            return;
        }

        string range = report.From is { } from && report.To is { } to
            ? $"{from.ToString("O", CultureInfo.InvariantCulture)} to {to.ToString("O", CultureInfo.InvariantCulture)}"
            : "every record";
        string title = $"LLM costs, {report.Period.ToString().ToLowerInvariant()} ({range}, {report.TimeZone.Id}), by {report.GroupBy.ToString().ToLowerInvariant()}";
        List<string[]> rows = [.. report.Rows.Select(Cells), Cells(report.Total)];
        TableOutput.Write(context.Environment, title, [report.GroupBy.ToString(), "Requests", "Unpriced", "Input tokens", "Output tokens", "Cost (USD)"], rows,
            [false, true, true, true, true, true]);

        static string[] Cells(CostReportRow row) =>
        [
            row.Key,
            row.Count.ToString(CultureInfo.InvariantCulture),
            row.UnpricedCount.ToString(CultureInfo.InvariantCulture),
            row.InputTokens.ToString(CultureInfo.InvariantCulture),
            row.OutputTokens.ToString(CultureInfo.InvariantCulture),
            row.IsUnpriced ? "unpriced" : Money.Usd(row.Total),
        ];
    }
}
