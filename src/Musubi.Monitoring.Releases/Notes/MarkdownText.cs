using Core = Musubi.Monitoring.Text.MarkdownText;

namespace Musubi.Monitoring.Releases;

/// <summary>The release notes' use of the shared Markdown escaping (<see cref="Core"/>).</summary>
internal static class MarkdownText
{
    /// <summary>Escapes text for a list item: every line escaped, blank lines dropped, line breaks as <c>&lt;br&gt;</c>.</summary>
    public static string Inline(string text) => string.Join("<br>", Core.Lines(text).Where(l => l.Length > 0).Select(Core.EscapeLine));

    /// <summary>Escapes text for a heading (one line).</summary>
    public static string Heading(string text) => Core.Heading(text);
}
