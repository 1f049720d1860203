using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class DependencyTests
{
    private static readonly FeatureFlags s_flags = new(FlagSnapshot.FromUnleashJson("""
        { "features": [
          { "name": "parent.on", "enabled": true, "strategies": [ { "name": "default" } ] },
          { "name": "parent.off", "enabled": false, "strategies": [ { "name": "default" } ] },
          { "name": "parent.variant", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "default", "groupId": "p" }, "variants": [ { "name": "blue", "weight": 1 } ] } ] },
          { "name": "parent.prod", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "environment", "operator": "IN", "values": [ "prod" ] } ] } ] },
          { "name": "child.on", "enabled": true, "dependencies": [ { "feature": "parent.on" } ] },
          { "name": "child.disabled", "enabled": false, "dependencies": [ { "feature": "parent.on" } ] },
          { "name": "child.of.off", "enabled": true, "dependencies": [ { "feature": "parent.off" } ] },
          { "name": "child.wants.off", "enabled": true, "dependencies": [ { "feature": "parent.off", "enabled": false } ] },
          { "name": "child.wants.on.off", "enabled": true, "dependencies": [ { "feature": "parent.on", "enabled": false } ] },
          { "name": "child.blue", "enabled": true, "dependencies": [ { "feature": "parent.variant", "variants": [ "blue", "red" ] } ] },
          { "name": "child.red", "enabled": true, "dependencies": [ { "feature": "parent.variant", "variants": [ "red" ] } ] },
          { "name": "child.any", "enabled": true, "dependencies": [ { "feature": "parent.variant", "variants": [] } ] },
          { "name": "child.disabled.variant", "enabled": true, "dependencies": [ { "feature": "parent.on", "variants": [ "disabled" ] } ] },
          { "name": "child.missing", "enabled": true, "dependencies": [ { "feature": "nobody" } ] },
          { "name": "child.prod", "enabled": true, "dependencies": [ { "feature": "parent.prod" } ] },
          { "name": "cycle.a", "enabled": true, "dependencies": [ { "feature": "cycle.b" } ] },
          { "name": "cycle.b", "enabled": true, "dependencies": [ { "feature": "cycle.a" } ] },
          { "name": "grandchild", "enabled": true, "dependencies": [ { "feature": "child.on" } ] }
        ] }
        """));

    [Theory]
    [InlineData("child.on", true)]
    [InlineData("child.disabled", false)]
    [InlineData("child.of.off", false)]
    [InlineData("child.wants.off", true)]
    [InlineData("child.wants.on.off", false)]
    [InlineData("child.blue", true)]
    [InlineData("child.red", false)]
    [InlineData("child.any", true)]
    [InlineData("child.disabled.variant", true)]
    [InlineData("child.missing", false)]
    [InlineData("cycle.a", false)]
    [InlineData("grandchild", false)]
    public void Dependencies_ParentState_DecidesTheChild(string flag, bool expected)
    {
        Assert.Equal(expected, s_flags.IsEnabled(flag));
        Assert.Equal(expected, s_flags.GetVariant(flag).FeatureEnabled);
    }

    [Fact]
    public void Dependencies_ParentConstraints_UseTheChildsContext()
    {
        Assert.True(s_flags.IsEnabled("child.prod", new FeatureFlagContext { Environment = "prod" }));
        Assert.False(s_flags.IsEnabled("child.prod", new FeatureFlagContext { Environment = "dev" }));
        Assert.Equal(FlagEvaluationReason.Default, s_flags.Evaluate("child.prod", new FeatureFlagContext { Environment = "dev" }).Reason);
    }
}
