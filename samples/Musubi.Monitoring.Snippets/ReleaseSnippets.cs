using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's release, flag and canary examples.</summary>
public static class ReleaseSnippets
{
    public static async Task Releases(IServiceCollection services)
    {
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
            release = await releases.TransitionAsync(release.Id, next, actor: "ci");
        }

        string markdown = ReleaseNotes.ToMarkdown(release);   // breaking changes first
        string json = ReleaseNotes.ToJson(release);
        ReleaseStatistics stats = await releases.GetStatisticsAsync(from: release.CreatedAt.AddDays(-30));
        // stats.DeploymentsPerWeek, RollbackRate, ChangeFailureRate, MeanLeadTime, MedianLeadTime
        _ = (markdown, json, stats);
    }

    public static void Flags(string featuresJson)
    {
        // Flags from code map onto Unleash strategies; FromUnleashJson reads Unleash's /api/client/features body.
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("new-navigation"),
            FlagDefinition.Percentage("new-checkout", 25),          // flexibleRollout, default stickiness
            FlagDefinition.Users("beta-reports", "alice", "bob")));  // userWithId

        var context = new FeatureFlagContext { UserId = "alice", Environment = "production" };
        context.Properties["plan"] = "enterprise";

        bool navigation = flags.IsEnabled("new-navigation", context);               // true
        FlagEvaluation reports = flags.Evaluate("beta-reports", context);           // Value true, Reason TargetingMatch
        FlagEvaluation missing = flags.Evaluate("dark-mode", context, defaultValue: true); // true, ErrorCode FlagNotFound

        // Swap in the flags from Unleash atomically; evaluations in flight finish on the old snapshot.
        flags.Update(FlagSnapshot.FromUnleashJson(featuresJson));
        bool checkout = flags.IsEnabled("new-checkout", context);                   // true: 100% of enterprise users
        FlagVariant variant = flags.GetVariant("new-checkout", context);            // "disabled" (no variants), FeatureEnabled true
        _ = (navigation, reports, missing, checkout, variant);
    }

    public static async Task FlagManagement(IServiceCollection services, IServiceProvider provider)
    {
        services.AddMusubiMonitoring()
            .AddReleases()
            .AddCanaries(o =>
            {
                o.TrafficFlag = "new-checkout";      // the canary's weight is this flag's rollout percentage
                o.RecordInReleaseHistory = true;     // every canary step becomes a note in the release's history
            })
            .UseSqlite("Data Source=musubi.db");     // flags, releases and incidents survive restarts

        FeatureFlagService flags = provider.GetRequiredService<FeatureFlagService>();
        await flags.UpsertAsync(FlagDefinition.Off("new-checkout"), actor: "ana");
        await flags.ImportUnleashJsonAsync(File.ReadAllText("features.json"), "ana"); // replaces every flag
        await flags.SetRolloutAsync("new-checkout", 25, "ana");
        await flags.SetEnabledAsync("new-checkout", false, "oncall");
        IReadOnlyList<FeatureFlagChange> audit = await flags.GetChangesAsync(20);       // who, when, what
        _ = audit;
    }

    public static async Task Canary(IServiceCollection services)
    {
        services.AddMusubiMonitoring()
            .AddCanaries(o => o.TrafficFlag = "orders-v2");   // the weight is this flag's rollout; a rollback turns it off
        using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<FeatureFlagService>().UpsertAsync(FlagDefinition.Off("orders-v2"), actor: "ana");

        var analysis = new CanaryAnalysis(
        [
            new AnalysisMetric("success-rate", CanaryQuery.SuccessRatio(("http_route", "/orders")), AnalysisCondition.AtLeast(0.99)),
            new AnalysisMetric("p99-latency", CanaryQuery.P99Latency(("http_route", "/orders")), AnalysisCondition.AtMost(0.5)),
        ])
        { Interval = TimeSpan.FromMinutes(1), Count = 3, FailureLimit = 1 }; // fails on the 2nd failed measurement

        var plan = new CanaryPlan(
        [
            CanaryStep.SetWeight(10), CanaryStep.Analyze(analysis),
            CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(10)),
            CanaryStep.PauseUntilApproved(), CanaryStep.Analyze(analysis),
        ]);

        CanaryController canary = provider.GetRequiredService<CanaryController>();
        CanaryRun run = await canary.StartAsync("orders-2.4.0", plan, flags: ["orders-v2"]);
        // Later: await run.ApproveAsync(), or await run.AbortAsync("pager went off") to roll back from any state.
        // A failed analysis rolls back on its own: weight 0, flags disabled, then the plan's own rollback steps.
        CanaryState final = await run.Completion;   // Succeeded, RolledBack or RollbackFailed
        _ = final;
    }

    public static async Task FeatureManagementBridge()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddFeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("new-navigation"),
            FlagDefinition.Users("beta-reports", "alice", "bob")));
        services.AddFeatureManagement().AddMusubiFlags();          // replaces the configuration definitions

        using ServiceProvider provider = services.BuildServiceProvider();
        IFeatureManager features = provider.GetRequiredService<IFeatureManager>();
        bool navigation = await features.IsEnabledAsync("new-navigation");                   // true
        bool reports = await features.IsEnabledAsync("beta-reports", new TargetingContext { UserId = "alice" }); // true

        // Flags loaded later apply from the next call; nothing is cached.
        provider.GetRequiredService<FeatureFlags>().Update(FlagSnapshot.FromDefinitions(FlagDefinition.Off("new-navigation")));
        bool afterUpdate = await features.IsEnabledAsync("new-navigation");                  // false
        _ = (navigation, reports, afterUpdate);
    }
}
