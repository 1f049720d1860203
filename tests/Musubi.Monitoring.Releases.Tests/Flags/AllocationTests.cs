using System.Globalization;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class AllocationTests
{
    private static readonly FeatureFlags s_flags = new(FlagSnapshot.FromUnleashJson("""
        { "features": [
          { "name": "rollout", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "50", "stickiness": "userId", "groupId": "rollout" } } ] },
          { "name": "constrained", "enabled": true, "strategies": [ { "name": "default", "constraints": [
            { "contextName": "environment", "operator": "IN", "values": [ "prod", "staging" ] },
            { "contextName": "email", "operator": "STR_ENDS_WITH", "values": [ "@example.com" ], "caseInsensitive": true },
            { "contextName": "appVersion", "operator": "SEMVER_GTE", "value": "2.1.0-rc.1" } ] } ] },
          { "name": "variants", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "default", "groupId": "v" } } ],
            "variants": [ { "name": "a", "weight": 500 }, { "name": "b", "weight": 500 } ] },
          { "name": "regex", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "email", "operator": "REGEX", "value": "^[^@]+@example\\.com$", "caseInsensitive": true } ] } ] },
          { "name": "dated", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "currentTime", "operator": "DATE_AFTER", "value": "2020-01-01T00:00:00Z" }, { "contextName": "n", "operator": "NUM_LT", "value": "10" } ] } ] }
        ] }
        """));

    [Theory]
    [InlineData("rollout")]
    [InlineData("constrained")]
    [InlineData("variants")]
    [InlineData("dated")]
    [InlineData("regex")]
    [InlineData("missing")]
    public void Evaluate_HotPath_AllocatesNothing(string flag)
    {
        var context = new FeatureFlagContext { UserId = "user-42", Environment = "prod" };
        context.Properties["email"] = "Someone@Example.com";
        context.Properties["appVersion"] = "2.1.0";
        context.Properties["n"] = "3.5";
        string[] users = [.. Enumerable.Range(0, 64).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture))];
        Run(flag, context, users); // warm up (JIT, tiering, statics)

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(flag, context, users);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static void Run(string flag, FeatureFlagContext context, string[] users)
    {
        for (int i = 0; i < 2000; i++)
        {
            context.UserId = users[i % users.Length];
            _ = s_flags.IsEnabled(flag, context);
            if (flag != "missing")
            {
                _ = s_flags.Evaluate(flag, context);
                _ = s_flags.GetVariant(flag, context);
            }
        }
    }
}
