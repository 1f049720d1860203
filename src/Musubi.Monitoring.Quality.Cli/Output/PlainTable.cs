namespace Musubi.Monitoring.Quality.Cli.Output;

/// <summary>A table of plain text columns separated by two spaces, for redirected output and logs (no wrapping, no colour).</summary>
internal sealed class PlainTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table.</summary>
    /// <param name="headers">The column headers.</param>
    public PlainTable(params string[] headers) => _headers = headers;

    /// <summary>Adds a row; missing cells are empty.</summary>
    /// <param name="cells">The cells.</param>
    public void Add(params string?[] cells)
    {
        var row = new string[_headers.Length];
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length ? (cells[i] ?? string.Empty).ReplaceLineEndings(" ") : string.Empty;
        }

        _rows.Add(row);
    }

    /// <summary>Writes the header and the rows.</summary>
    /// <param name="writer">Where to write.</param>
    public void Write(TextWriter writer)
    {
        int[] widths = new int[_headers.Length];
        foreach (string[] row in _rows.Prepend(_headers))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in _rows.Prepend(_headers))
        {
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
