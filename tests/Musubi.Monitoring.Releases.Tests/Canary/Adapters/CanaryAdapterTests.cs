using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Releases.Tests.Canary;
using static Musubi.Monitoring.Releases.Tests.Canary.ScriptedMetrics;

namespace Musubi.Monitoring.Releases.Tests.Canary.Adapters;

public sealed class CanaryAdapterTests
{
    private const string Flag = "new-checkout";
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(CanaryHarness.Start);
    private readonly ScriptedMetrics _metrics = new();
    private readonly FeatureFlags _flags = new();
    private readonly FeatureFlagService _flagService;
    private readonly ReleaseService _releases;
    private readonly CanaryController _controller;

    public CanaryAdapterTests()
    {
        _flagService = new FeatureFlagService(_flags, new InMemoryFeatureFlagStore(), _time);
        _releases = new ReleaseService(new InMemoryReleaseStore(), _time);
        _controller = new CanaryController(
            _metrics,
            new FlagRolloutRouter(_flagService, Flag),
            _time,
            new FlagCanarySwitch(_flagService),
            new ReleaseCanaryHistory(_releases));
    }

    private static CanaryPlan Plan(int count) =>
        new([CanaryStep.SetWeight(10), CanaryStep.Analyze(new CanaryAnalysis([CanaryHarness.SuccessRate()]) { Interval = s_interval, Count = count })]);

    private int OnOutOf1000() => Enumerable.Range(0, 1000).Count(i => _flags.IsEnabled(Flag, new FeatureFlagContext { UserId = "user-" + i }));

    private async Task<Release> StagedReleaseAsync(params string[] flags)
    {
        Release release = await _releases.PlanAsync("checkout v2", SemanticVersion.Parse("2.0.0-canary.1"), ReleaseType.Canary, "ana");
        foreach (ReleaseStatus status in new[] { ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging })
        {
            release = await _releases.TransitionAsync(release.Id, status, "ana");
        }

        return await _releases.ChangeAsync(release.Id, (r, _) => r.WithFeatureFlags(flags));
    }

    private async Task<int> RolloutAsync()
    {
        JsonObject feature = JsonNode.Parse(await _flagService.ExportUnleashJsonAsync())!["features"]!.AsArray().OfType<JsonObject>().Single(f => (string?)f["name"] == Flag);
        JsonObject strategy = feature["strategies"]!.AsArray().OfType<JsonObject>().Single(s => (string?)s["name"] == "flexibleRollout");
        return int.Parse((string)strategy["parameters"]!["rollout"]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Canary_AnalysisFails_FlagOffForEveryoneRolloutZeroReleaseRolledBackWithEveryStep()
    {
        await _flagService.UpsertAsync(FlagDefinition.Off(Flag), "ana");
        Release release = await StagedReleaseAsync(Flag);
        _metrics.Script("success-rate", Value(0.5));

        CanaryRun run = await _controller.StartAsync(release.Id, Plan(count: 2), release.FeatureFlags);
        Assert.InRange(OnOutOf1000(), 60, 140);
        Assert.Equal(10, await RolloutAsync());
        Assert.Equal(ReleaseStatus.Canary, (await _releases.GetAsync(release.Id))!.Status);

        _time.Advance(s_interval);

        Assert.Equal(CanaryState.RolledBack, await run.Completion);
        Assert.Equal(0, OnOutOf1000());
        Assert.False(_flags.IsEnabled(Flag, new FeatureFlagContext()));
        Assert.Equal(0, await RolloutAsync());
        Release stored = (await _releases.GetAsync(release.Id))!;
        Assert.Equal(ReleaseStatus.RolledBack, stored.Status);
        Assert.Equal(CanaryHarness.Start.AddMinutes(1), stored.RolledBackAt);
        string[] notes = [.. stored.History.Where(t => t.From == t.To).Select(t => t.Note!)];
        Assert.Equal(run.History.Count, notes.Length);
        Assert.All(run.History.Zip(notes), pair => Assert.EndsWith(pair.First.Detail, pair.Second));
        Assert.Contains(notes, n => n.StartsWith("canary RollbackStepSucceeded (RollingBack): disable flag 'new-checkout'", StringComparison.Ordinal));
        Assert.Equal(
            [ReleaseStatus.Planning, ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging, ReleaseStatus.Canary, ReleaseStatus.RolledBack],
            stored.History.Where(t => t.From != t.To).Select(t => t.To));
        Assert.Equal(
            ["set rollout of 'new-checkout' to 10% and enabled it", "set rollout of 'new-checkout' to 0%", "disabled 'new-checkout'"],
            (await _flagService.GetChangesAsync()).Reverse().Skip(1).Select(c => c.Description));
    }

    [Fact]
    public async Task Canary_AnalysisSucceeds_FlagAtHundredPercentReleaseInProduction()
    {
        await _flagService.UpsertAsync(FlagDefinition.Percentage(Flag, 0), "ana");
        Release release = await StagedReleaseAsync(Flag);
        _metrics.Script("success-rate", Value(1));

        CanaryRun run = await _controller.StartAsync(release.Id, Plan(count: 2), release.FeatureFlags);
        _time.Advance(s_interval);
        _time.Advance(s_interval);

        Assert.Equal(CanaryState.Succeeded, await run.Completion);
        Assert.Equal(1000, OnOutOf1000());
        Assert.Equal(100, await RolloutAsync());
        Release stored = (await _releases.GetAsync(release.Id))!;
        Assert.Equal(ReleaseStatus.Production, stored.Status);
        Assert.Equal(run.History.Count, stored.History.Count(t => t.From == t.To));
    }

    [Fact]
    public async Task FlagRolloutRouter_UnknownFlag_RunRollsBackWithFailedSteps()
    {
        Release release = await StagedReleaseAsync();
        _metrics.Script("success-rate", Value(1));

        CanaryRun run = await _controller.StartAsync(release.Id, Plan(count: 1));

        Assert.Equal(CanaryState.RollbackFailed, await run.Completion);
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.StepFailed && e.Detail.Contains("new-checkout", StringComparison.Ordinal));
        Assert.Equal(ReleaseStatus.RolledBack, (await _releases.GetAsync(release.Id))!.Status);
    }

    [Fact]
    public async Task ReleaseCanaryHistory_UnknownRelease_RunRecordsHistoryWriteFailed()
    {
        await _flagService.UpsertAsync(FlagDefinition.Off(Flag), "ana");
        _metrics.Script("success-rate", Value(1));

        CanaryRun run = await _controller.StartAsync("no-such-release", Plan(count: 1));
        _time.Advance(s_interval);

        Assert.Equal(CanaryState.Succeeded, await run.Completion);
        Assert.Contains(run.History, e => e.Kind == CanaryEventKind.HistoryWriteFailed);
    }

    [Fact]
    public void Constructors_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new FlagRolloutRouter(null!, Flag));
        Assert.Throws<ArgumentException>(() => new FlagRolloutRouter(_flagService, " "));
        Assert.Throws<ArgumentNullException>(() => new FlagCanarySwitch(null!));
        Assert.Throws<ArgumentNullException>(() => new ReleaseCanaryHistory(null!));
        Assert.Throws<ArgumentException>(() => new ReleaseCanaryHistory(_releases, ""));
    }

    [Fact]
    public void WithNote_Release_AddsEntryWithSameFromAndTo()
    {
        Release release = Release.Plan("r", "t", SemanticVersion.Parse("1.0.0"), ReleaseType.Major, "ana", CanaryHarness.Start);

        Release noted = release.WithNote("bo", CanaryHarness.Start.AddMinutes(1), "hello");

        ReleaseTransition note = noted.History[^1];
        Assert.Equal((ReleaseStatus.Planning, ReleaseStatus.Planning, "hello", "bo"), (note.From!.Value, note.To, note.Note, note.Actor));
        Assert.Equal(ReleaseStatus.Planning, noted.Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => noted.WithNote("bo", CanaryHarness.Start, "earlier"));
        Assert.Throws<ArgumentException>(() => noted.WithNote("bo", CanaryHarness.Start.AddMinutes(2), " "));
        Release cancelled = noted.TransitionTo(ReleaseStatus.Cancelled, "bo", CanaryHarness.Start.AddMinutes(2));
        Assert.Throws<InvalidOperationException>(() => cancelled.WithNote("bo", CanaryHarness.Start.AddMinutes(3), "late"));
    }
}
