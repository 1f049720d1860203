using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

/// <summary>The README's feature flag example, compiled and run as is (between the markers).</summary>
public sealed class ReadmeExampleTests
{
    private const string FeaturesJson = """
        { "version": 2, "features": [ { "name": "new-checkout", "enabled": true, "strategies": [
          { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "userId", "groupId": "new-checkout" },
            "constraints": [ { "contextName": "plan", "operator": "IN", "values": [ "enterprise" ] } ] } ] } ] }
        """;

    [Fact]
    public void ReadmeExample_RunsAsDocumented()
    {
        // README begin
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
        flags.Update(FlagSnapshot.FromUnleashJson(FeaturesJson));
        bool checkout = flags.IsEnabled("new-checkout", context);                   // true: 100% of enterprise users
        FlagVariant variant = flags.GetVariant("new-checkout", context);            // "disabled" (no variants), FeatureEnabled true
        // README end

        Assert.True(navigation);
        Assert.True(reports.Value);
        Assert.Equal(FlagEvaluationReason.TargetingMatch, reports.Reason);
        Assert.True(missing.Value);
        Assert.Equal(FlagErrorCode.FlagNotFound, missing.ErrorCode);
        Assert.True(checkout);
        Assert.Equal("disabled", variant.Name);
        Assert.True(variant.FeatureEnabled);
        Assert.False(flags.IsEnabled("new-navigation", context));
    }
}
