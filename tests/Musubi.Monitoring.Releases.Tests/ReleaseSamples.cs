namespace Musubi.Monitoring.Releases.Tests;

internal static class ReleaseSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static SemanticVersion V(string text) => SemanticVersion.Parse(text);

    public static Release Planned(string id = "REL-1", string version = "1.4.0", ReleaseType type = ReleaseType.Minor, DateTimeOffset? at = null) =>
        Release.Plan(id, "Checkout v" + version, V(version), type, "ana", at ?? T0);

    /// <summary>Walks a release through the statuses, one hour apart.</summary>
    public static Release Walk(Release release, params ReleaseStatus[] statuses)
    {
        DateTimeOffset at = release.History[^1].At;
        foreach (ReleaseStatus status in statuses)
        {
            at = at.AddHours(1);
            release = release.TransitionTo(status, "ana", at);
        }

        return release;
    }

    public static Release Deployed(string id, DateTimeOffset created, ReleaseType type = ReleaseType.Minor) =>
        Walk(Planned(id, type == ReleaseType.Major ? "2.0.0" : "1.4.0", type, created),
            ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Production);

    /// <summary>Every field set, in Completed.</summary>
    public static Release Full(string id = "REL-100") =>
        Walk(
            Release.Plan(id, "Checkout *2.0*", V("2.0.0-rc.1+build.7"), ReleaseType.Canary, "ana", T0, V("1.9.3"))
                .WithChanges(
                    new ReleaseChange(ReleaseChangeKind.Feature, "Pay with **wallets**", "#12", "bo"),
                    new ReleaseChange(ReleaseChangeKind.BugFix, "Totals rounded\nper line", null, "cy"),
                    new ReleaseChange(ReleaseChangeKind.BreakingChange, "# Removed v1 API", "https://example.test/pr/7"),
                    new ReleaseChange(ReleaseChangeKind.Feature, "1. Saved carts"))
                .WithFeatureFlags("wallets", "saved-carts"),
            ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Canary, ReleaseStatus.RolledBack,
            ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Production, ReleaseStatus.Completed);

    public static void AssertSame(Release expected, Release actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.DeployedAt, actual.DeployedAt);
        Assert.Equal(expected.CompletedAt, actual.CompletedAt);
        Assert.Equal(expected.RolledBackAt, actual.RolledBackAt);
        Assert.Equal(expected.CancelledAt, actual.CancelledAt);
        Assert.Equal(expected.Changes, actual.Changes);
        Assert.Equal(expected.FeatureFlags, actual.FeatureFlags);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Revision, actual.Revision);
    }
}
