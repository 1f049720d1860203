using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Releases.Tests.Lifecycle;

public sealed class ReleaseTests
{
    public static TheoryData<ReleaseStatus, ReleaseStatus> AllowedMoves => new()
    {
        { ReleaseStatus.Planning, ReleaseStatus.Development },
        { ReleaseStatus.Planning, ReleaseStatus.Cancelled },
        { ReleaseStatus.Development, ReleaseStatus.Testing },
        { ReleaseStatus.Development, ReleaseStatus.Cancelled },
        { ReleaseStatus.Testing, ReleaseStatus.Staging },
        { ReleaseStatus.Testing, ReleaseStatus.Development },
        { ReleaseStatus.Testing, ReleaseStatus.Cancelled },
        { ReleaseStatus.Staging, ReleaseStatus.Canary },
        { ReleaseStatus.Staging, ReleaseStatus.Production },
        { ReleaseStatus.Staging, ReleaseStatus.Testing },
        { ReleaseStatus.Staging, ReleaseStatus.Cancelled },
        { ReleaseStatus.Canary, ReleaseStatus.Production },
        { ReleaseStatus.Canary, ReleaseStatus.RolledBack },
        { ReleaseStatus.Production, ReleaseStatus.Completed },
        { ReleaseStatus.Production, ReleaseStatus.RolledBack },
        { ReleaseStatus.RolledBack, ReleaseStatus.Development },
    };

    [Fact]
    public void CanTransition_EveryPair_MatchesTheDocumentedTable()
    {
        var allowed = AllowedMoves.Select(row => ((ReleaseStatus)row.Data.Item1, (ReleaseStatus)row.Data.Item2)).ToHashSet();

        foreach (ReleaseStatus from in Enum.GetValues<ReleaseStatus>())
        {
            foreach (ReleaseStatus to in Enum.GetValues<ReleaseStatus>())
            {
                Assert.Equal(allowed.Contains((from, to)), Release.CanTransition(from, to));
            }
        }
    }

    [Fact]
    public void Plan_NewRelease_IsInPlanningWithOneHistoryEntry()
    {
        Release r = Planned();

        Assert.Equal(ReleaseStatus.Planning, r.Status);
        Assert.Equal(T0, r.CreatedAt);
        Assert.Equal(0, r.Revision);
        Assert.Equal(new ReleaseTransition(T0, "ana", null, ReleaseStatus.Planning), Assert.Single(r.History));
        Assert.Empty(r.Changes);
        Assert.Empty(r.FeatureFlags);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Plan_BlankTitle_ThrowsArgumentException(string title) =>
        Assert.Throws<ArgumentException>(() => Release.Plan("R", title, V("1.0.0"), ReleaseType.Major, "ana", T0));

    [Fact]
    public void Plan_UndefinedType_ThrowsArgumentOutOfRangeException() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Release.Plan("R", "t", V("1.0.0"), (ReleaseType)42, "ana", T0));

    [Fact]
    public void TransitionTo_HappyPath_RecordsHistoryAndTimes()
    {
        Release r = Walk(Planned(), ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Canary,
            ReleaseStatus.Production, ReleaseStatus.Completed);

        Assert.Equal(ReleaseStatus.Completed, r.Status);
        Assert.Equal(T0.AddHours(5), r.DeployedAt);
        Assert.Equal(T0.AddHours(6), r.CompletedAt);
        Assert.Null(r.RolledBackAt);
        Assert.Equal(7, r.History.Length);
        Assert.Equal(new ReleaseTransition(T0.AddHours(4), "ana", ReleaseStatus.Staging, ReleaseStatus.Canary), r.History[4]);
        Assert.Equal(T0.AddHours(4), r.EnteredAt(ReleaseStatus.Canary));
        Assert.Null(r.EnteredAt(ReleaseStatus.Cancelled));
        Assert.True(r.IsFinal);
    }

    [Fact]
    public void TransitionTo_RollbackThenFixForward_KeepsFirstDeploymentTime()
    {
        Release r = Walk(Deployed("R", T0), ReleaseStatus.RolledBack, ReleaseStatus.Development, ReleaseStatus.Testing,
            ReleaseStatus.Staging, ReleaseStatus.Production);

        Assert.Equal(T0.AddHours(4), r.DeployedAt);
        Assert.Equal(T0.AddHours(5), r.RolledBackAt);
        Assert.Equal(ReleaseStatus.Production, r.Status);
    }

    [Fact]
    public void TransitionTo_NotAllowed_ThrowsNamingBothStatesAndTheAllowedOnes()
    {
        Release r = Planned();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => r.TransitionTo(ReleaseStatus.Production, "ana", T0.AddHours(1)));

        Assert.Contains("from Planning to Production", e.Message);
        Assert.Contains("Development, Cancelled", e.Message);
        Assert.Contains("1.4.0", e.Message);
    }

    [Theory]
    [InlineData(ReleaseStatus.Completed)]
    [InlineData(ReleaseStatus.Cancelled)]
    public void TransitionTo_FromFinal_ThrowsSayingItIsFinal(ReleaseStatus final)
    {
        Release r = final == ReleaseStatus.Cancelled
            ? Walk(Planned(), ReleaseStatus.Cancelled)
            : Walk(Deployed("R", T0), ReleaseStatus.Completed);

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => r.TransitionTo(ReleaseStatus.Development, "ana", T0.AddDays(1)));

        Assert.Contains("none (it is final)", e.Message);
    }

    [Fact]
    public void TransitionTo_EarlierThanLastEntry_ThrowsArgumentOutOfRangeException()
    {
        Release r = Walk(Planned(), ReleaseStatus.Development);

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => r.TransitionTo(ReleaseStatus.Testing, "ana", T0));

        Assert.Contains("earlier than the last history entry", e.Message);
    }

    [Fact]
    public void TransitionTo_Note_IsRecorded() =>
        Assert.Equal("tests red", Walk(Planned(), ReleaseStatus.Development, ReleaseStatus.Testing)
            .TransitionTo(ReleaseStatus.Development, "ci", T0.AddHours(3), "tests red").History[^1].Note);

    [Theory]
    [InlineData("1.4.2", "2.0.0", ReleaseType.Major)]
    [InlineData("1.4.2", "1.5.0", ReleaseType.Minor)]
    [InlineData("1.4.2", "1.4.3", ReleaseType.Patch)]
    [InlineData("1.4.2", "2.0.0-canary.1", ReleaseType.Canary)]
    [InlineData("2.0.0-rc.1", "2.0.0", ReleaseType.Major)]
    [InlineData("1.5.0-rc.1", "1.5.0", ReleaseType.Minor)]
    [InlineData("1.5.1-rc.1", "1.5.1", ReleaseType.Patch)]
    public void InferType_Step_ReturnsTheType(string previous, string next, ReleaseType type) =>
        Assert.Equal(type, Release.InferType(V(previous), V(next)));

    [Theory]
    [InlineData("1.4.2", "1.4.2")]
    [InlineData("1.4.2", "1.4.1")]
    [InlineData("1.4.2", "1.4.2-rc.1")]
    public void InferType_NotAnUpgrade_ThrowsNamingBothVersions(string previous, string next)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Release.InferType(V(previous), V(next)));

        Assert.Contains(previous, e.Message);
        Assert.Contains(next, e.Message);
    }

    [Fact]
    public void Plan_HotfixOfAPatchStep_IsAccepted() =>
        Assert.Equal(ReleaseType.Hotfix, Release.Plan("R", "t", V("1.4.3"), ReleaseType.Hotfix, "ana", T0, V("1.4.2")).Type);

    [Fact]
    public void Plan_TypeDoesNotFitTheStep_ThrowsNamingVersionsAndTypes()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Release.Plan("R", "t", V("2.0.0"), ReleaseType.Patch, "ana", T0, V("1.4.2")));

        Assert.Contains("A Patch release cannot go from 1.4.2 to 2.0.0", e.Message);
        Assert.Contains("Major", e.Message);
    }

    [Fact]
    public void WithChanges_Valid_AppendsInOrder()
    {
        var a = new ReleaseChange(ReleaseChangeKind.Feature, "a");
        var b = new ReleaseChange(ReleaseChangeKind.BugFix, "b", "#2", "bo");

        Release r = Planned().WithChanges(a).WithChanges(b);

        Assert.Equal([a, b], r.Changes);
    }

    [Theory]
    [InlineData("\u0001")]
    [InlineData("\u0001 \u0007\t")]
    public void WithChanges_DescriptionOfControlCharactersOnly_ThrowsInsteadOfAnEmptyBullet(string description) =>
        Assert.Throws<ArgumentException>(() => Planned().WithChanges(new ReleaseChange(ReleaseChangeKind.Feature, description)));

    [Fact]
    public void WithChanges_BlankDescription_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Planned().WithChanges(new ReleaseChange(ReleaseChangeKind.Feature, " ")));

    [Fact]
    public void WithChanges_FinalRelease_ThrowsInvalidOperationException() =>
        Assert.Throws<InvalidOperationException>(() => Walk(Planned(), ReleaseStatus.Cancelled).WithChanges(new ReleaseChange(ReleaseChangeKind.Feature, "a")));

    [Fact]
    public void WithFeatureFlags_Duplicates_AreKeptOnce() =>
        Assert.Equal(["a", "b"], Planned().WithFeatureFlags("a", "b").WithFeatureFlags("a").FeatureFlags);

    [Fact]
    public void WithFeatureFlags_BlankName_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Planned().WithFeatureFlags("a", ""));

    [Fact]
    public void ReleaseChangeValidate_UndefinedKind_ThrowsArgumentOutOfRangeException() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReleaseChange((ReleaseChangeKind)9, "x").Validate());

    [Fact]
    public void AllowedMoves_FinalStatus_IsEmpty()
    {
        Assert.Empty(Release.AllowedMoves(ReleaseStatus.Completed));
        Assert.Equal([ReleaseStatus.Development], Release.AllowedMoves(ReleaseStatus.RolledBack));
    }

    [Fact]
    public void ReleaseQueryMatches_EachFilter_MatchesOnlyThatRelease()
    {
        Release r = Planned(at: T0);

        Assert.True(new ReleaseQuery { Status = ReleaseStatus.Planning, Type = ReleaseType.Minor, Since = T0 }.Matches(r));
        Assert.False(new ReleaseQuery { Status = ReleaseStatus.Testing }.Matches(r));
        Assert.False(new ReleaseQuery { Type = ReleaseType.Major }.Matches(r));
        Assert.False(new ReleaseQuery { Since = T0.AddTicks(1) }.Matches(r));
        Assert.Throws<ArgumentNullException>(() => new ReleaseQuery().Matches(null!));
    }
}
