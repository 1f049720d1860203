using System.Text;
using Spectre.Console;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>Writes a table: a Spectre.Console table on a terminal, aligned plain text (two spaces between columns) otherwise.</summary>
internal static class TableOutput
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="headers"/>.</summary>
    /// <param name="environment">Where to write, and how.</param>
    /// <param name="title">A line written above the table.</param>
    /// <param name="headers">The column headers.</param>
    /// <param name="rows">The cells, one array per row, as wide as <paramref name="headers"/>.</param>
    /// <param name="rightAligned">Which columns are numbers, aligned right.</param>
    public static void Write(CliEnvironment environment, string title, string[] headers, IReadOnlyList<string[]> rows, bool[] rightAligned)
    {
        if (environment.IsRich)
        {
            IAnsiConsole console = environment.CreateAnsiConsole();
            // The title on its own line: as a table title it would wrap to the table's width.
            console.MarkupLine("[bold]" + Markup.Escape(title) + "[/]");
            var table = new Table();
            for (int c = 0; c < headers.Length; c++)
            {
                table.AddColumn(new TableColumn(new Markup("[bold]" + Markup.Escape(headers[c]) + "[/]")) { Alignment = rightAligned[c] ? Justify.Right : Justify.Left });
            }

            foreach (string[] row in rows)
            {
                table.AddRow(row.Select(Cell));
            }

            console.Write(table);
            return;
        }

        environment.Output.Write(title + "\n");
        WritePlain(environment, headers, rows, rightAligned);
    }

    // States and unpriced cells stand out in colour; everything else is escaped text.
    private static Markup Cell(string text) => text switch
    {
        "unpriced" or "UNPRICED" or "WARNING" => new Markup("[yellow]" + text + "[/]"),
        "EXCEEDED" => new Markup("[red bold]" + text + "[/]"),
        "OK" => new Markup("[green]" + text + "[/]"),
        _ => new Markup(Markup.Escape(text)),
    };

    private static void WritePlain(CliEnvironment environment, string[] headers, IReadOnlyList<string[]> rows, bool[] rightAligned)
    {
        List<string[]> all = [headers, .. rows];
        int[] widths = Enumerable.Range(0, headers.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in all)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                line.Append(c == 0 ? string.Empty : "  ").Append(rightAligned[c] ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }

            environment.Output.Write(line.ToString().TrimEnd() + "\n");
        }
    }
}
