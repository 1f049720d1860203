using System.Globalization;
using System.Text;
using Musubi.Monitoring.Text;

namespace Musubi.Monitoring.Incidents;

/// <summary>Writes a <see cref="PostMortem"/> as Markdown; see <see cref="PostMortem.ToMarkdown"/> for the escaping rule.</summary>
internal static class PostMortemMarkdown
{
    private const string NotWritten = "_Not written yet._";

    public static string Write(PostMortem postMortem)
    {
        var md = new StringBuilder();
        md.Append("# Post-mortem: ").Append(Heading(postMortem.Title)).Append("\n\n");

        md.Append("- **Incident:** ").Append(Inline(postMortem.IncidentId)).Append('\n');
        md.Append("- **Severity:** ").Append(PostMortem.SeverityName(postMortem.Severity)).Append('\n');
        md.Append("- **Status:** ").Append(Name(postMortem.Status)).Append('\n');
        md.Append("- **Authors:** ").Append(string.Join(", ", postMortem.Authors.Select(Inline))).Append('\n');
        md.Append("- **Created:** ").Append(Time(postMortem.CreatedAt)).Append('\n');
        md.Append("- **Updated:** ").Append(Time(postMortem.UpdatedAt))
            .Append(CultureInfo.InvariantCulture, $" (version {postMortem.Version})").Append('\n');
        if (postMortem.PublishedAt is { } published)
        {
            md.Append("- **Published:** ").Append(Time(published)).Append('\n');
        }

        Section(md, "Summary", postMortem.Summary);
        Section(md, "Impact", postMortem.Impact);
        md.Append("\n## Root causes\n\n");
        List(md, postMortem.RootCauses);
        Section(md, "Trigger", postMortem.Trigger);
        Section(md, "Resolution", postMortem.Resolution);
        Section(md, "Detection", postMortem.Detection);

        md.Append("\n## Key times\n\n");
        md.Append("| Milestone | Time (UTC) | After detection |\n| --- | --- | --- |\n");
        KeyTime(md, "Detected", postMortem.DetectedAt, postMortem.DetectedAt);
        KeyTime(md, "Acknowledged", postMortem.AcknowledgedAt, postMortem.DetectedAt);
        KeyTime(md, "Mitigated", postMortem.MitigatedAt, postMortem.DetectedAt);
        KeyTime(md, "Resolved", postMortem.ResolvedAt, postMortem.DetectedAt);

        md.Append("\n## Action items\n\n");
        if (postMortem.ActionItems.IsEmpty)
        {
            md.Append(NotWritten).Append('\n');
        }
        else
        {
            md.Append("| # | Action item | Type | Owner | Due | Status |\n| ---: | --- | --- | --- | --- | --- |\n");
            for (int i = 0; i < postMortem.ActionItems.Length; i++)
            {
                ActionItem item = postMortem.ActionItems[i];
                Row(md,
                    (i + 1).ToString(CultureInfo.InvariantCulture),
                    Inline(item.Description),
                    item.Type.ToString(),
                    Inline(item.Owner),
                    item.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Name(item.Status));
            }
        }

        md.Append("\n## Lessons learned\n\n### What went well\n\n");
        List(md, postMortem.LessonsLearned.WentWell);
        md.Append("\n### What went wrong\n\n");
        List(md, postMortem.LessonsLearned.WentWrong);
        md.Append("\n### Where we got lucky\n\n");
        List(md, postMortem.LessonsLearned.GotLucky);

        md.Append("\n## Timeline\n\n");
        if (postMortem.Timeline.IsEmpty)
        {
            md.Append("_No entries._\n");
        }
        else
        {
            md.Append("| Time (UTC) | Actor | Kind | What happened |\n| --- | --- | --- | --- |\n");
            foreach (TimelineEntry entry in postMortem.Timeline)
            {
                Row(md, Time(entry.At), Inline(entry.Actor), Inline(entry.Kind), Inline(entry.Text));
            }
        }

        return md.ToString();
    }

    /// <summary>Formats a time as ISO 8601 UTC to the second, such as <c>2026-12-03T10:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats a duration to the second, largest unit first, such as <c>1d 2h 5m</c>, <c>3m 20s</c> or <c>0s</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Duration(duration.Negate());
        }

        var parts = new List<string>(4);
        Part(duration.Days, "d");
        Part(duration.Hours, "h");
        Part(duration.Minutes, "m");
        Part(duration.Seconds, "s");
        return parts.Count == 0 ? "0s" : string.Join(' ', parts);

        void Part(int value, string unit)
        {
            if (value != 0)
            {
                parts.Add(value.ToString(CultureInfo.InvariantCulture) + unit);
            }
        }
    }

    /// <summary>Escapes text for a table cell or a list item: every line escaped, line breaks as <c>&lt;br&gt;</c>.</summary>
    public static string Inline(string text) => string.Join("<br>", MarkdownText.Trimmed(MarkdownText.Lines(text)).Select(MarkdownText.EscapeLine));

    /// <summary>Escapes text for a paragraph: every line escaped, one blank line between paragraphs.</summary>
    public static string Block(string text)
    {
        var lines = new List<string>();
        foreach (string line in MarkdownText.Trimmed(MarkdownText.Lines(text)))
        {
            if (line.Length > 0 || lines[^1].Length > 0)
            {
                lines.Add(MarkdownText.EscapeLine(line));
            }
        }

        return string.Join('\n', lines);
    }

    private static string Heading(string text) => MarkdownText.Heading(text);

    private static void Section(StringBuilder md, string heading, string text)
    {
        md.Append("\n## ").Append(heading).Append("\n\n");
        string block = Block(text);
        md.Append(block.Length == 0 ? NotWritten : block).Append('\n');
    }

    private static void List(StringBuilder md, IReadOnlyCollection<string> items)
    {
        if (items.Count == 0)
        {
            md.Append(NotWritten).Append('\n');
            return;
        }

        foreach (string item in items)
        {
            md.Append("- ").Append(Inline(item)).Append('\n');
        }
    }

    private static void KeyTime(StringBuilder md, string milestone, DateTimeOffset? at, DateTimeOffset detected)
    {
        if (at is { } time)
        {
            Row(md, milestone, Time(time), Duration(time - detected));
        }
        else
        {
            Row(md, milestone, "—", "—");
        }
    }

    private static void Row(StringBuilder md, params string[] cells) =>
        md.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");

    private static string Name(PostMortemStatus status) => status switch
    {
        PostMortemStatus.Draft => "Draft",
        PostMortemStatus.InReview => "In review",
        PostMortemStatus.Published => "Published",
        _ => status.ToString(),
    };

    private static string Name(ActionItemStatus status) => status switch
    {
        ActionItemStatus.Open => "Open",
        ActionItemStatus.InProgress => "In progress",
        ActionItemStatus.Done => "Done",
        ActionItemStatus.WontDo => "Won't do",
        _ => status.ToString(),
    };
}
