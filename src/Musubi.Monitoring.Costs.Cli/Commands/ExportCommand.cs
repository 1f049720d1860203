using System.CommandLine;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary><c>export</c>: every ledger record, oldest first, as CSV or JSON, to standard output or a file.</summary>
internal static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        Option<string> format = CommonOptions.Format("csv", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (replaced if it exists) instead of standard output.", HelpName = "file" };
        var command = new Command("export", "Export every ledger record (all fields, exact money) as CSV or JSON.") { format, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            ICostLedger ledger = context.ResolveLedger(parseResult).OpenExisting(context.TimeProvider);
            string? file = parseResult.GetValue(output);
            if (file is not null && string.IsNullOrWhiteSpace(file))
            {
                throw new CliUsageException("--output is empty; give a file such as costs.csv, or leave --output out to write to standard output.");
            }

            bool json = parseResult.GetValue(format) == "json";
            if (file is null)
            {
                List<CostRecord> records = await ReadAllAsync(ledger, _ => { }, cancellationToken);
                context.Environment.Output.Write(Render(records, json));
                return ExitCodes.Ok;
            }

            string path = Path.GetFullPath(file);
            List<CostRecord> all;
            if (context.Environment.IsRich)
            {
                // Progress only on a terminal; redirected output stays plain.
                all = await context.Environment.CreateAnsiConsole().Progress().AutoClear(true).StartAsync(async progress =>
                {
                    ProgressTask task = progress.AddTask("Reading the ledger", autoStart: true);
                    return await ReadAllAsync(ledger, share => task.Value = share * 100, cancellationToken);
                });
            }
            else
            {
                all = await ReadAllAsync(ledger, _ => { }, cancellationToken);
            }

            try
            {
                string? directory = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                await File.WriteAllTextAsync(path, Render(all, json), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--output '{path}' could not be written: {e.Message}", e);
            }

            context.WriteLine($"Exported {all.Count} records to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<List<CostRecord>> ReadAllAsync(ICostLedger ledger, Action<double> progress, CancellationToken cancellationToken)
    {
        var records = new List<CostRecord>();
        var query = new CostQuery { Take = CostQuery.MaxTake };
        while (true)
        {
            CostPage page = await ledger.ListAsync(query with { Skip = records.Count }, cancellationToken);
            records.AddRange(page.Items);
            progress(page.Total == 0 ? 1 : (double)records.Count / page.Total);
            if (page.Items.Count == 0 || records.Count >= page.Total)
            {
                return records;
            }
        }
    }

    private static string Render(List<CostRecord> records, bool json)
    {
        if (json)
        {
            return JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (CostRecord record in records)
                {
                    RecordWriter.WriteJson(writer, record);
                }

                writer.WriteEndArray();
            });
        }

        var csv = new StringBuilder(RecordWriter.CsvHeader());
        foreach (CostRecord record in records)
        {
            csv.Append(RecordWriter.CsvLine(record));
        }

        return csv.ToString();
    }
}
