using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Releases.Tests.Service;

/// <summary>The README's releases example, kept compiling and passing here.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_PlanChangeShipAndReport_Works()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);

        // README: begin
        services.AddMusubiMonitoring(o => o.ServiceName = "checkout")
            .AddReleases();   // .UseSqlite("Data Source=musubi.db") keeps them in a file

        await using ServiceProvider provider = services.BuildServiceProvider();
        ReleaseService releases = provider.GetRequiredService<ReleaseService>();

        Release release = await releases.PlanAsync("Wallets", SemanticVersion.Parse("1.5.0"), ReleaseType.Minor, "ana",
            previousVersion: SemanticVersion.Parse("1.4.2"));   // a Minor release must bump the minor version
        await releases.AddChangesAsync(release.Id,
        [
            new ReleaseChange(ReleaseChangeKind.BreakingChange, "Removed the v1 cart API", "#311"),
            new ReleaseChange(ReleaseChangeKind.Feature, "Pay with wallets", "#298", "bo"),
            new ReleaseChange(ReleaseChangeKind.BugFix, "Totals rounded per line", "#305"),
        ]);
        foreach (ReleaseStatus next in (ReleaseStatus[])[ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Canary, ReleaseStatus.Production])
        {
            clock.Advance(TimeSpan.FromHours(6));   // README: omit
            release = await releases.TransitionAsync(release.Id, next, actor: "ci");
        }

        string markdown = ReleaseNotes.ToMarkdown(release);   // breaking changes first
        string json = ReleaseNotes.ToJson(release);
        ReleaseStatistics stats = await releases.GetStatisticsAsync(from: release.CreatedAt.AddDays(-30));
        // stats.DeploymentsPerWeek, RollbackRate, ChangeFailureRate, MeanLeadTime, MedianLeadTime
        // README: end

        Assert.Equal(ReleaseStatus.Production, release.Status);
        Assert.StartsWith("# 1.5.0 — Wallets\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\"breakingChanges\"", json);
        Assert.Equal(1, stats.Deployments);
        Assert.Equal(TimeSpan.FromHours(30), stats.MeanLeadTime);
        Assert.Equal(0m, stats.ChangeFailureRate);
    }
}
