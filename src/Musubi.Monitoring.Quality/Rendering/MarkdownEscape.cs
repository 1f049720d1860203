using System.Text;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// Escapes user text (sources, warnings, unknown reasons) for one Markdown line or table cell: the active characters
/// <c>\`*_[]&lt;&gt;#|~&amp;$</c> are backslash-escaped, a list or heading marker at the start too, and line breaks
/// and other control characters become spaces, so the text can neither start a block nor add a table column or HTML.
/// </summary>
internal static class MarkdownEscape
{
    private const string Active = "\\`*_[]<>#|~&$";

    public static string Line(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append(' ');
                continue;
            }

            if (Active.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        string line = escaped.ToString().Trim();
        if (line.Length > 0 && line[0] is '-' or '+' or '=')
        {
            return "\\" + line;
        }

        int digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits > 0 && digits < line.Length && line[digits] is '.' or ')' ? line.Insert(digits, "\\") : line;
    }
}
