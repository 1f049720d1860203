using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Writes release notes for a <see cref="Release"/> as Markdown or JSON: breaking changes first, then features, then bug
/// fixes, each in the order they were added.
/// </summary>
/// <remarks>
/// Thread-safe (stateless). The output does not depend on the thread's culture: times are UTC ISO 8601 (<c>O</c>
/// format), line ends are <c>\n</c>. In Markdown, user text (title, descriptions, references, authors, flag names) is
/// escaped so it cannot start a heading, list or table or inject HTML; a multi-line description stays in its list item,
/// its lines joined by <c>&lt;br&gt;</c>. Empty sections are left out.
/// </remarks>
public static class ReleaseNotes
{
    /// <summary>Writes the release notes as Markdown.</summary>
    /// <param name="release">The release.</param>
    /// <returns>The Markdown, ending with a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is <see langword="null"/>.</exception>
    public static string ToMarkdown(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var md = new StringBuilder();
        // A version holds only ASCII letters, digits, '.', '-' and '+', never first: nothing to escape.
        md.Append("# ").Append(release.Version.ToString()).Append(" — ").Append(MarkdownText.Heading(release.Title)).Append("\n\n");
        md.Append("- **Version:** ").Append(release.Version.ToString()).Append('\n');
        md.Append("- **Type:** ").Append(release.Type.ToString()).Append('\n');
        md.Append("- **Status:** ").Append(release.Status.ToString()).Append('\n');
        md.Append("- **Planned:** ").Append(Time(release.CreatedAt)).Append('\n');
        if (release.DeployedAt is { } deployed)
        {
            md.Append("- **Deployed:** ").Append(Time(deployed)).Append('\n');
        }

        if (release.CompletedAt is { } completed)
        {
            md.Append("- **Completed:** ").Append(Time(completed)).Append('\n');
        }

        if (release.RolledBackAt is { } rolledBack)
        {
            md.Append("- **Rolled back:** ").Append(Time(rolledBack)).Append('\n');
        }

        if (release.CancelledAt is { } cancelled)
        {
            md.Append("- **Cancelled:** ").Append(Time(cancelled)).Append('\n');
        }

        if (release.Changes.IsEmpty)
        {
            md.Append("\n_No changes recorded._\n");
        }

        Section(md, "Breaking changes", release, ReleaseChangeKind.BreakingChange);
        Section(md, "Features", release, ReleaseChangeKind.Feature);
        Section(md, "Bug fixes", release, ReleaseChangeKind.BugFix);
        if (!release.FeatureFlags.IsEmpty)
        {
            md.Append("\n## Feature flags\n\n");
            foreach (string flag in release.FeatureFlags)
            {
                md.Append("- ").Append(MarkdownText.Inline(flag)).Append('\n');
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// Writes the release notes as indented JSON: <c>id</c>, <c>title</c>, <c>version</c>, <c>type</c>, <c>status</c>,
    /// the times that are set (<c>createdAt</c>, <c>deployedAt</c>, <c>completedAt</c>, <c>rolledBackAt</c>,
    /// <c>cancelledAt</c>), then <c>breakingChanges</c>, <c>features</c> and <c>bugFixes</c> (arrays of objects with
    /// <c>description</c> and, when set, <c>reference</c> and <c>author</c>) and <c>featureFlags</c>. Text is escaped only
    /// where JSON requires it (quotes, backslashes, control characters), so it stays readable; escape it again before
    /// putting it inside an HTML <c>&lt;script&gt;</c>.
    /// </summary>
    /// <param name="release">The release.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is <see langword="null"/>.</exception>
    public static string ToJson(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", release.Id);
            json.WriteString("title", release.Title);
            json.WriteString("version", release.Version.ToString());
            json.WriteString("type", release.Type.ToString());
            json.WriteString("status", release.Status.ToString());
            json.WriteString("createdAt", Time(release.CreatedAt));
            WriteTime(json, "deployedAt", release.DeployedAt);
            WriteTime(json, "completedAt", release.CompletedAt);
            WriteTime(json, "rolledBackAt", release.RolledBackAt);
            WriteTime(json, "cancelledAt", release.CancelledAt);
            WriteChanges(json, "breakingChanges", release, ReleaseChangeKind.BreakingChange);
            WriteChanges(json, "features", release, ReleaseChangeKind.Feature);
            WriteChanges(json, "bugFixes", release, ReleaseChangeKind.BugFix);
            json.WriteStartArray("featureFlags");
            foreach (string flag in release.FeatureFlags)
            {
                json.WriteStringValue(flag);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Section(StringBuilder md, string heading, Release release, ReleaseChangeKind kind)
    {
        ReleaseChange[] changes = [.. release.Changes.Where(c => c.Kind == kind)];
        if (changes.Length == 0)
        {
            return;
        }

        md.Append("\n## ").Append(heading).Append("\n\n");
        foreach (ReleaseChange change in changes)
        {
            md.Append("- ").Append(MarkdownText.Inline(change.Description));
            var credits = new List<string>(2);
            if (!string.IsNullOrWhiteSpace(change.Reference))
            {
                credits.Add(MarkdownText.Inline(change.Reference));
            }

            if (!string.IsNullOrWhiteSpace(change.Author))
            {
                credits.Add("by " + MarkdownText.Inline(change.Author));
            }

            if (credits.Count > 0)
            {
                md.Append(" (").Append(string.Join(", ", credits)).Append(')');
            }

            md.Append('\n');
        }
    }

    private static void WriteChanges(Utf8JsonWriter json, string name, Release release, ReleaseChangeKind kind)
    {
        json.WriteStartArray(name);
        foreach (ReleaseChange change in release.Changes.Where(c => c.Kind == kind))
        {
            json.WriteStartObject();
            json.WriteString("description", change.Description);
            if (!string.IsNullOrWhiteSpace(change.Reference))
            {
                json.WriteString("reference", change.Reference);
            }

            if (!string.IsNullOrWhiteSpace(change.Author))
            {
                json.WriteString("author", change.Author);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } time)
        {
            json.WriteString(name, Time(time));
        }
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
