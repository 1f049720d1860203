using System.Net;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// Which code answers <c>/api/price/{sku}</c> for users the <c>pricing-v2</c> flag turns on: the candidate of the
/// release being rolled out. Release 1.1.0's candidate is healthy; release 1.2.0's fails half of its calls.
/// </summary>
internal sealed class PricingCandidate
{
    private readonly Lock _lock = new();
    private readonly Random _faults = new(12);

    public const string Flag = "pricing-v2";

    public string Version { get; set; } = "1.1.0";

    public bool Faulty { get; set; }

    /// <summary>Prices a SKU the way the candidate does; the faulty candidate throws about one call in two.</summary>
    public decimal Price(string sku)
    {
        lock (_lock)
        {
            if (Faulty && _faults.NextDouble() < 0.5)
            {
                throw new InvalidOperationException($"Pricing {Version} failed for {sku} (the deliberate fault of this release).");
            }
        }

        return 10m + (sku.Length % 7);
    }
}

/// <summary>
/// The release scenario: release 1.1.0 goes out as a canary on the <c>pricing-v2</c> flag (10% → 50% → 100%) while
/// its analysis reads the sample's real success ratio from the collector; release 1.2.0's candidate fails, its
/// analysis fails at 10%, and it rolls back by itself: flag off, weight 0, release RolledBack. Release notes of both go
/// to <c>artifacts/release-notes-&lt;version&gt;.md</c> and <c>.json</c>.
/// </summary>
internal static class ReleaseScenario
{
    private static readonly TimeSpan s_runLimit = TimeSpan.FromSeconds(30);

    public static async Task<Result> RunAsync(WebApplication app, HttpClient client, CancellationToken cancellationToken)
    {
        ReleaseService releases = app.Services.GetRequiredService<ReleaseService>();
        CanaryController canary = app.Services.GetRequiredService<CanaryController>();
        PricingCandidate candidate = app.Services.GetRequiredService<PricingCandidate>();
        FeatureFlagService flags = app.Services.GetRequiredService<FeatureFlagService>();
        await flags.UpsertAsync(FlagDefinition.Off(PricingCandidate.Flag), "release-manager", cancellationToken);

        candidate.Version = "1.1.0";
        candidate.Faulty = false;
        Outcome healthy = await ReleaseAsync(releases, canary, client, "1.1.0", "1.0.0", ReleaseType.Minor,
            [
                new ReleaseChange(ReleaseChangeKind.Feature, "Prices per customer segment", "#41", "ana"),
                new ReleaseChange(ReleaseChangeKind.BugFix, "Rounding of bundle prices", "#44"),
            ], cancellationToken);

        candidate.Version = "1.2.0";
        candidate.Faulty = true;
        Outcome faulty = await ReleaseAsync(releases, canary, client, "1.2.0", "1.1.0", ReleaseType.Minor,
            [
                new ReleaseChange(ReleaseChangeKind.BreakingChange, "Prices in minor units", "#52", "ben"),
                new ReleaseChange(ReleaseChangeKind.Feature, "Volume discounts", "#50", "ben"),
            ], cancellationToken);

        bool flagOffForEveryone = Enumerable.Range(0, 200).All(i => !app.Services.GetRequiredService<FeatureFlags>()
            .IsEnabled(PricingCandidate.Flag, new FeatureFlagContext { UserId = "user-" + i }));
        return new Result(healthy, faulty, flagOffForEveryone);
    }

    private static async Task<Outcome> ReleaseAsync(
        ReleaseService releases, CanaryController canary, HttpClient client, string version, string previous, ReleaseType type,
        IReadOnlyList<ReleaseChange> changes, CancellationToken cancellationToken)
    {
        Release release = await releases.PlanAsync($"Pricing v2 {version}", SemanticVersion.Parse(version), type, "release-manager",
            SemanticVersion.Parse(previous), cancellationToken);
        await releases.AddChangesAsync(release.Id, changes, cancellationToken);
        foreach (ReleaseStatus next in (ReleaseStatus[])[ReleaseStatus.Development, ReleaseStatus.Testing, ReleaseStatus.Staging])
        {
            await releases.TransitionAsync(release.Id, next, "ci", cancellationToken: cancellationToken);
        }

        // The analysis reads the route's real success ratio (1 − 5xx/all) over each one-second window.
        var analysis = new CanaryAnalysis(
        [
            new AnalysisMetric("success-ratio", CanaryQuery.SuccessRatio(("http_route", "/api/price/{sku}")), AnalysisCondition.AtLeast(0.99)),
        ])
        { Interval = TimeSpan.FromSeconds(1), Count = 2, FailureLimit = 0 };
        var plan = new CanaryPlan([CanaryStep.SetWeight(10), CanaryStep.Analyze(analysis), CanaryStep.SetWeight(50), CanaryStep.Analyze(analysis)]);

        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        traffic.CancelAfter(s_runLimit);
        CanaryRun run = await canary.StartAsync(release.Id, plan, [PricingCandidate.Flag], cancellationToken);
        (int sent, int failed) = await DriveAsync(client, run.Completion, traffic.Token);
        CanaryState state = run.Completion.IsCompleted ? await run.Completion : await run.AbortAsync("the demo's time limit passed");

        Release final = (await releases.GetAsync(release.Id, cancellationToken))!;
        string notes = Path.Combine("artifacts", $"release-notes-{version}");
        await File.WriteAllTextAsync(notes + ".md", ReleaseNotes.ToMarkdown(final), cancellationToken);
        await File.WriteAllTextAsync(notes + ".json", ReleaseNotes.ToJson(final), cancellationToken);
        return new Outcome(final, state, run.History, sent, failed, notes + ".md", run.RollbackReason);
    }

    /// <summary>Sends pricing requests from 100 users, four at a time (about 400 a second), until the canary run ends.</summary>
    private static async Task<(int Sent, int Failed)> DriveAsync(HttpClient client, Task finished, CancellationToken cancellationToken)
    {
        int sent = 0;
        int failed = 0;
        try
        {
            while (!finished.IsCompleted)
            {
                Task<HttpResponseMessage>[] batch = [.. Enumerable.Range(0, 4).Select(i =>
                    client.GetAsync($"api/price/sku-{(sent + i) % 9}?user=user-{(sent + i) % 100}", cancellationToken))];
                foreach (HttpResponseMessage response in await Task.WhenAll(batch))
                {
                    failed += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
                    response.Dispose();
                }

                sent += batch.Length;
                await Task.Delay(10, cancellationToken);   // a few hundred requests a second is plenty for the analysis
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The time limit: the caller aborts the run.
        }

        return (sent, failed);
    }

    /// <summary>How one release went.</summary>
    public sealed record Outcome(
        Release Release, CanaryState State, IReadOnlyList<CanaryEvent> History, int Requests, int Failures, string NotesPath, string? RollbackReason);

    /// <summary>Both releases, and whether the rolled-back flag is off for everyone.</summary>
    public sealed record Result(Outcome Healthy, Outcome Faulty, bool FlagOffForEveryone)
    {
        public string? Problem() =>
            Healthy.State != CanaryState.Succeeded ? $"release 1.1.0 ended {Healthy.State}, not Succeeded ({Healthy.RollbackReason})"
            : Healthy.Release.Status != ReleaseStatus.Production ? $"release 1.1.0 is {Healthy.Release.Status}, not Production"
            : Faulty.State != CanaryState.RolledBack ? $"release 1.2.0 ended {Faulty.State}, not RolledBack"
            : Faulty.Release.Status != ReleaseStatus.RolledBack ? $"release 1.2.0 is {Faulty.Release.Status}, not RolledBack"
            : !FlagOffForEveryone ? "the pricing-v2 flag is still on for some users after the rollback"
            : null;
    }
}
