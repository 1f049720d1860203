using System.Runtime.CompilerServices;
using System.Text;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.PostMortems;

/// <summary>
/// Markdown output. The golden file <c>Golden/published.md</c> is compared byte for byte; to accept a deliberate
/// change, run the tests once with <c>MUSUBI_UPDATE_GOLDEN=1</c>, then read the diff of the file before committing it.
/// </summary>
public sealed class PostMortemMarkdownTests
{
    [Fact]
    public void ToMarkdown_PublishedWithHostileText_MatchesGoldenFileByteForByte()
    {
        byte[] actual = Encoding.UTF8.GetBytes(PostMortemSamples.Published().ToMarkdown());
        const string file = "published.md";

        if (Environment.GetEnvironmentVariable("MUSUBI_UPDATE_GOLDEN") == "1")
        {
            string path = Path.Combine(SourceDirectory(), "Golden", file);
            File.WriteAllBytes(path, actual);
            Assert.Fail($"Wrote {path}; review its diff, then run the tests again without MUSUBI_UPDATE_GOLDEN.");
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "PostMortems", "Golden", file));
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Fail($"The bytes of {file} differ although the text is equal (encoding or BOM).");
        }
    }

    [Fact]
    public void ToMarkdown_HostileText_CannotAddTableColumns()
    {
        string markdown = PostMortemSamples.Published().ToMarkdown();
        string[] lines = markdown.Split('\n');
        int tables = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|') || (i > 0 && lines[i - 1].StartsWith('|')))
            {
                continue;
            }

            tables++;
            int columns = UnescapedPipes(lines[i]);
            for (int j = i; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                Assert.True(UnescapedPipes(lines[j]) == columns, $"Row '{lines[j]}' does not have the {columns - 1} columns of its header.");
                Assert.EndsWith("|", lines[j], StringComparison.Ordinal);
            }
        }

        Assert.Equal(3, tables);
    }

    [Fact]
    public void ToMarkdown_HostileText_AddsNoHeadingsListsOrHtml()
    {
        string markdown = PostMortemSamples.Published().ToMarkdown();
        string[] headings = [.. markdown.Split('\n').Where(l => l.StartsWith('#'))];

        Assert.Equal(
            [
                "# Post-mortem: Checkout \\| 5xx \\# after \\`deploy\\` \\<script\\>alert(1)\\</script\\> — Zahlungsausfall für Kunden ✓",
                "## Summary", "## Impact", "## Root causes", "## Trigger", "## Resolution", "## Detection", "## Key times",
                "## Action items", "## Lessons learned", "### What went well", "### What went wrong", "### Where we got lucky", "## Timeline",
            ],
            headings);
        Assert.DoesNotContain("<script", markdown.Replace("\\<script", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n    ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n==", markdown, StringComparison.Ordinal);
        Assert.Contains("- Config flag \\`retry\\_budget\\` set to 0 \\| rolled out<br>\\- to all regions<br>1\\. without a canary", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("# title", "\\# title")]
    [InlineData("*a* _b_ `c` ~d~", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~")]
    [InlineData("[x](http://y)", "\\[x\\](http://y)")]
    [InlineData("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>")]
    [InlineData("&lt; $x$", "\\&lt; \\$x\\$")]
    [InlineData("- item", "\\- item")]
    [InlineData("+ item", "\\+ item")]
    [InlineData("=== ", "\\===")]
    [InlineData("12. item", "12\\. item")]
    [InlineData("3) item", "3\\) item")]
    [InlineData("2026-12-03 is a date", "2026-12-03 is a date")]
    [InlineData("a - b + c = d 1. e", "a - b + c = d 1. e")]
    [InlineData("Zahlungsausfall für Kunden ✓ 決済", "Zahlungsausfall für Kunden ✓ 決済")]
    public void Inline_MarkdownActiveText_IsEscaped(string text, string expected) =>
        Assert.Equal(expected, PostMortemMarkdown.Inline(text));

    [Fact]
    public void Inline_LineBreaksAndControlCharacters_BecomeBrAndSpaces() =>
        Assert.Equal("a<br>b<br><br>c d", PostMortemMarkdown.Inline("\r\n  a\r\nb\r\rc\u0007d  \n\n"));

    [Fact]
    public void Block_BlankLines_SeparateParagraphsOnce() =>
        Assert.Equal("one\ntwo\n\n\\# three", PostMortemMarkdown.Block("one\n  two\n\n\n\t\n# three\n"));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(3600, "1h")]
    [InlineData(5430, "1h 30m 30s")]
    [InlineData(90061, "1d 1h 1m 1s")]
    [InlineData(-240, "-4m")]
    public void Duration_Seconds_FormatsLargestUnitFirst(double seconds, string expected) =>
        Assert.Equal(expected, PostMortemMarkdown.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void ToMarkdownAndToJson_UnderGermanAndArabicCultures_AreIdentical()
    {
        PostMortem postMortem = PostMortemSamples.Published();
        string invariant = postMortem.ToMarkdown() + postMortem.ToJson();
        foreach (string culture in new[] { "de-DE", "ar-SA" })
        {
            using var scope = new CultureScope(culture);
            Assert.NotEqual("1.5", 1.5.ToString(System.Globalization.CultureInfo.CurrentCulture)); // the culture is really active
            Assert.Equal(invariant, PostMortemSamples.Published().ToMarkdown() + PostMortemSamples.Published().ToJson());
        }
    }

    [Fact]
    public void ToMarkdown_Draft_ShowsEmptySectionsAsNotWritten()
    {
        string markdown = PostMortemSamples.Draft().ToMarkdown();

        Assert.Contains("## Trigger\n\n_Not written yet._\n", markdown, StringComparison.Ordinal);
        Assert.Contains("## Action items\n\n_Not written yet._\n", markdown, StringComparison.Ordinal);
        Assert.Contains("### What went well\n\n_Not written yet._\n", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Status:** Draft\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**Published:**", markdown, StringComparison.Ordinal);
    }

    private static int UnescapedPipes(string row)
    {
        int pipes = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\')
            {
                i++;
            }
            else if (row[i] == '|')
            {
                pipes++;
            }
        }

        return pipes;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
