using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Releases.Tests.Notes;

public sealed class ReleaseStatisticsTests
{
    [Fact]
    public void Compute_MixedReleases_AppliesTheDocumentedFormulas()
    {
        Release[] releases =
        [
            Deployed("a", T0),                                                  // lead 4h
            Walk(Deployed("b", T0.AddDays(1)), ReleaseStatus.RolledBack),      // lead 4h, failed
            Deployed("c", T0.AddDays(2), ReleaseType.Hotfix),                   // lead 4h, counts as a failure
            Walk(Deployed("d", T0.AddDays(3), ReleaseType.Major), ReleaseStatus.Completed),
            Walk(Planned("e", at: T0), ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Canary, ReleaseStatus.RolledBack),
            Walk(Planned("f", at: T0), ReleaseStatus.Cancelled),
        ];

        ReleaseStatistics s = ReleaseStatistics.Compute(releases, T0, T0.AddDays(14));

        Assert.Equal(6, s.Total);
        Assert.Equal(2, s.ByStatus[ReleaseStatus.Production]);
        Assert.Equal(2, s.ByStatus[ReleaseStatus.RolledBack]);
        Assert.Equal(0, s.ByStatus[ReleaseStatus.Testing]);
        Assert.Equal(4, s.ByType[ReleaseType.Minor]);   // a, b, e, f
        Assert.Equal(1, s.ByType[ReleaseType.Hotfix]);
        Assert.Equal(4, s.Deployments);
        Assert.Equal(2m, s.DeploymentsPerWeek);
        Assert.Equal(0.4m, s.RollbackRate);       // b and e of a, b, c, d, e
        Assert.Equal(0.5m, s.ChangeFailureRate);  // b and c of 4
        Assert.Equal(TimeSpan.FromHours(4), s.MeanLeadTime);
        Assert.Equal(TimeSpan.FromHours(4), s.MedianLeadTime);
    }

    [Fact]
    public void Compute_EvenCount_MedianIsMeanOfMiddleTwo()
    {
        Release slow = Walk(Planned("s", at: T0), ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging)
            .TransitionTo(ReleaseStatus.Production, "ana", T0.AddHours(20));

        ReleaseStatistics s = ReleaseStatistics.Compute([Deployed("a", T0), slow], T0, T0.AddDays(7));

        Assert.Equal(TimeSpan.FromHours(12), s.MedianLeadTime);
        Assert.Equal(TimeSpan.FromHours(12), s.MeanLeadTime);
    }

    [Fact]
    public void Compute_NoDeployments_RatesAreNull()
    {
        ReleaseStatistics s = ReleaseStatistics.Compute([Planned()], T0, T0.AddDays(7));

        Assert.Equal(0, s.Deployments);
        Assert.Equal(0m, s.DeploymentsPerWeek);
        Assert.Null(s.RollbackRate);
        Assert.Null(s.ChangeFailureRate);
        Assert.Null(s.MeanLeadTime);
        Assert.Null(s.MedianLeadTime);
    }

    [Fact]
    public void Compute_DeploymentOutsideThePeriod_IsNotCounted() =>
        Assert.Equal(0, ReleaseStatistics.Compute([Deployed("a", T0)], T0.AddDays(1), T0.AddDays(8)).Deployments);

    [Fact]
    public void Compute_PeriodEndsBeforeStart_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => ReleaseStatistics.Compute([], T0, T0));

    [Fact]
    public void Compute_NullEntry_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ReleaseStatistics.Compute([null!], T0, T0.AddDays(1)));
}
