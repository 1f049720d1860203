using System.Globalization;
using System.Text.Json;
using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Releases.Tests.Notes;

public sealed class ReleaseNotesTests
{
    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notes", "Golden", name));

    [Fact]
    public void ToMarkdown_FullRelease_MatchesGoldenFile() =>
        Assert.Equal(Golden("full-release.md"), ReleaseNotes.ToMarkdown(Full()));

    [Fact]
    public void ToJson_FullRelease_MatchesGoldenFile() =>
        Assert.Equal(Golden("full-release.json"), ReleaseNotes.ToJson(Full()));

    [Fact]
    public void ToMarkdown_NoChanges_SaysSo()
    {
        string md = ReleaseNotes.ToMarkdown(Planned());

        Assert.Contains("_No changes recorded._", md);
        Assert.DoesNotContain("## Features", md);
    }

    [Fact]
    public void ToMarkdown_BreakingChangesFirst()
    {
        string md = ReleaseNotes.ToMarkdown(Full());

        Assert.True(md.IndexOf("## Breaking changes", StringComparison.Ordinal) < md.IndexOf("## Features", StringComparison.Ordinal));
        Assert.True(md.IndexOf("## Features", StringComparison.Ordinal) < md.IndexOf("## Bug fixes", StringComparison.Ordinal));
    }

    [Fact]
    public void ToMarkdown_HostileText_CannotStartBlocksOrInjectHtml()
    {
        Release r = Planned().WithChanges(new ReleaseChange(ReleaseChangeKind.Feature, "x\n## Owned\n<script>alert(1)</script>\r\n- item | cell"));

        string md = ReleaseNotes.ToMarkdown(r);

        Assert.Contains("- x<br>\\#\\# Owned<br>\\<script\\>alert(1)\\</script\\><br>\\- item \\| cell\n", md);
    }

    [Fact]
    public void ToMarkdownAndJson_OtherCulture_SameOutput()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        string md, json;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            md = ReleaseNotes.ToMarkdown(Full());
            json = ReleaseNotes.ToJson(Full());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Equal(Golden("full-release.md"), md);
        Assert.Equal(Golden("full-release.json"), json);
    }

    [Fact]
    public void ToJson_FullRelease_ParsesWithBreakingChangesBeforeFeatures()
    {
        using JsonDocument doc = JsonDocument.Parse(ReleaseNotes.ToJson(Full()));
        string[] names = [.. doc.RootElement.EnumerateObject().Select(p => p.Name)];

        Assert.True(Array.IndexOf(names, "breakingChanges") < Array.IndexOf(names, "features"));
        Assert.Equal("2.0.0-rc.1+build.7", doc.RootElement.GetProperty("version").GetString());
        Assert.Equal("Totals rounded\nper line", doc.RootElement.GetProperty("bugFixes")[0].GetProperty("description").GetString());
    }

    [Fact]
    public void ToMarkdown_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ReleaseNotes.ToMarkdown(null!));

    [Fact]
    public void ToJson_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ReleaseNotes.ToJson(null!));

    [Fact]
    public void ToMarkdown_MultiLineTitle_StaysOneHeadingLine() =>
        Assert.StartsWith("# 1.4.0 — Checkout \\# injected\n\n", ReleaseNotes.ToMarkdown(Release.Plan("R", "Checkout\n# injected", ReleaseSamples.V("1.4.0"), ReleaseType.Minor, "ana", ReleaseSamples.T0)), StringComparison.Ordinal);

    [Fact]
    public void ToMarkdownAndJson_CancelledRelease_ShowTheCancellationTime()
    {
        Release r = ReleaseSamples.Walk(ReleaseSamples.Planned(), ReleaseStatus.Cancelled);

        Assert.Contains("- **Cancelled:** 2026-03-02T10:00:00Z\n", ReleaseNotes.ToMarkdown(r));
        Assert.Contains("\"cancelledAt\": \"2026-03-02T10:00:00Z\"", ReleaseNotes.ToJson(r));
    }
}
