using System.Text;

namespace Musubi.Monitoring.Text;

/// <summary>
/// Escapes user text for the Markdown the domain packages write (post-mortems, release notes): the active characters
/// <c>\`*_[]&lt;&gt;#|~&amp;$</c> are backslash-escaped anywhere, list and heading markers at a line's start too, and
/// control characters become spaces, so text can neither start a new block nor inject HTML or table columns.
/// </summary>
/// <remarks>Thread-safe (stateless). Shared with the domain packages through InternalsVisibleTo.</remarks>
internal static class MarkdownText
{
    private const string Escaped = "\\`*_[]<>#|~&$";

    /// <summary>Escapes text for a heading: every line escaped, blank lines dropped, the rest joined by spaces.</summary>
    public static string Heading(string text) => string.Join(' ', Lines(text).Where(l => l.Length > 0).Select(EscapeLine));

    /// <summary>Escapes one line: the active characters anywhere, and block markers at its start.</summary>
    public static string EscapeLine(string line)
    {
        var escaped = new StringBuilder(line.Length + 8);
        foreach (char c in line)
        {
            if (Escaped.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        if (escaped.Length > 0 && escaped[0] is '-' or '+' or '=')
        {
            escaped.Insert(0, '\\');
        }
        else
        {
            // An ordered-list marker: up to nine digits, then '.' or ')'.
            int digits = 0;
            while (digits < escaped.Length && digits < 10 && char.IsAsciiDigit(escaped[digits]))
            {
                digits++;
            }

            if (digits is > 0 and < 10 && digits < escaped.Length && escaped[digits] is '.' or ')')
            {
                escaped.Insert(digits, '\\');
            }
        }

        return escaped.ToString();
    }

    /// <summary>Splits into lines (any line end), control characters as spaces, each line trimmed.</summary>
    public static IEnumerable<string> Lines(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (char c in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            clean.Append(c != '\n' && char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString().Split('\n').Select(l => l.Trim());
    }

    /// <summary>Drops blank lines at the start and the end.</summary>
    public static List<string> Trimmed(IEnumerable<string> lines)
    {
        List<string> list = [.. lines];
        while (list.Count > 0 && list[0].Length == 0)
        {
            list.RemoveAt(0);
        }

        while (list.Count > 0 && list[^1].Length == 0)
        {
            list.RemoveAt(list.Count - 1);
        }

        return list;
    }
}
