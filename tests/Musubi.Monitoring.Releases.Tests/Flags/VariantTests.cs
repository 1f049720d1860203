using System.Globalization;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class VariantTests
{
    private const string Features = """
        { "features": [
          { "name": "Feature.Variants.B", "enabled": true, "strategies": [], "variants": [
            { "name": "variant1", "weight": 1, "payload": { "type": "string", "value": "val1" } },
            { "name": "variant2", "weight": 1, "payload": { "type": "string", "value": "val2" } } ] },
          { "name": "Feature.Variants.C", "enabled": true, "strategies": [], "variants": [
            { "name": "variant1", "weight": 33 }, { "name": "variant2", "weight": 33 }, { "name": "variant3", "weight": 33 } ] },
          { "name": "Feature.Variants.D", "enabled": true, "strategies": [], "variants": [
            { "name": "variant1", "weight": 1 }, { "name": "variant2", "weight": 49 }, { "name": "variant3", "weight": 50 } ] },
          { "name": "Feature.Variants.override.D", "enabled": true, "strategies": [], "variants": [
            { "name": "variant1", "weight": 33, "overrides": [ { "contextName": "userId", "values": [ "132", "61" ] } ] },
            { "name": "variant2", "weight": 33, "overrides": [ { "contextName": "tenant", "values": [ "acme" ] } ] },
            { "name": "variant3", "weight": 34 } ] },
          { "name": "off", "enabled": false, "strategies": [ { "name": "default" } ], "variants": [ { "name": "v", "weight": 1 } ] },
          { "name": "none", "enabled": true, "strategies": [ { "name": "default" } ], "variants": [] },
          { "name": "zeroRollout", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "0", "stickiness": "default", "groupId": "g" } } ], "variants": [ { "name": "v", "weight": 1 } ] },
          { "name": "zeroWeight", "enabled": true, "variants": [ { "name": "never", "weight": 0 }, { "name": "always", "weight": 1000 } ] },
          { "name": "sticky", "enabled": true, "variants": [ { "name": "a", "weight": 500, "stickiness": "tenant" }, { "name": "b", "weight": 500, "stickiness": "tenant" } ] },
          { "name": "json", "enabled": true, "variants": [ { "name": "j", "weight": 1, "payload": { "type": "json", "value": "{\"a\":1}" } } ] }
        ] }
        """;

    private static readonly FeatureFlags s_flags = new(FlagSnapshot.FromUnleashJson(Features));

    // Expected variants computed independently (Python) with Unleash's rule: murmur3("flag:userId", 86028157) % totalWeight + 1,
    // then the first variant whose running weight reaches it. The shared specification files 12 and 16 pin the same rule.
    [Theory]
    [InlineData("Feature.Variants.B", "0", "variant1")]
    [InlineData("Feature.Variants.B", "2", "variant2")]
    [InlineData("Feature.Variants.C", "2", "variant1")]
    [InlineData("Feature.Variants.C", "0", "variant2")]
    [InlineData("Feature.Variants.C", "5", "variant3")]
    [InlineData("Feature.Variants.D", "635", "variant1")]
    [InlineData("Feature.Variants.D", "1", "variant2")]
    [InlineData("Feature.Variants.D", "0", "variant3")]
    [InlineData("Feature.Variants.override.D", "132", "variant1")]
    [InlineData("Feature.Variants.override.D", "61", "variant1")]
    [InlineData("Feature.Variants.override.D", "4", "variant2")]
    [InlineData("Feature.Variants.override.D", "0", "variant3")]
    public void GetVariant_WeightsAndOverrides_PickUnleashsVariant(string flag, string userId, string expected)
    {
        FlagVariant variant = s_flags.GetVariant(flag, new FeatureFlagContext { UserId = userId });
        Assert.Equal(expected, variant.Name);
        Assert.True(variant.Enabled);
        Assert.True(variant.FeatureEnabled);
    }

    [Fact]
    public void GetVariant_PayloadOfTheChosenVariant_IsReturned()
    {
        FlagVariant variant = s_flags.GetVariant("Feature.Variants.B", new FeatureFlagContext { UserId = "2" });
        Assert.Equal("string", variant.PayloadType);
        Assert.Equal("val2", variant.PayloadValue);
        Assert.Equal("{\"a\":1}", s_flags.GetVariant("json").PayloadValue);
    }

    [Fact]
    public void GetVariant_OverrideOnAProperty_WinsOverTheHash()
    {
        var context = new FeatureFlagContext { UserId = "132" };
        context.Properties["tenant"] = "acme";
        Assert.Equal("variant1", s_flags.GetVariant("Feature.Variants.override.D", context).Name); // first matching variant wins
        context.UserId = "5";
        Assert.Equal("variant2", s_flags.GetVariant("Feature.Variants.override.D", context).Name);
    }

    [Fact]
    public void GetVariant_DisabledFlag_IsTheDisabledVariantWithFeatureOff()
    {
        FlagVariant variant = s_flags.GetVariant("off", new FeatureFlagContext { UserId = "0" });
        Assert.Same(FlagVariant.Disabled, variant);
        Assert.Equal("disabled", variant.Name);
        Assert.False(variant.Enabled);
        Assert.False(variant.FeatureEnabled);
        Assert.Null(variant.PayloadType);
        Assert.Same(FlagVariant.Disabled, s_flags.GetVariant("zeroRollout", new FeatureFlagContext { UserId = "0" }));
        Assert.Same(FlagVariant.Disabled, s_flags.GetVariant("no-such-flag"));
    }

    [Fact]
    public void GetVariant_EnabledFlagWithoutVariants_IsTheDisabledVariantWithFeatureOn()
    {
        FlagVariant variant = s_flags.GetVariant("none", new FeatureFlagContext { UserId = "0" });
        Assert.Same(FlagVariant.DisabledWhileFeatureEnabled, variant);
        Assert.False(variant.Enabled);
        Assert.True(variant.FeatureEnabled);
    }

    [Fact]
    public void GetVariant_ZeroWeight_IsNeverChosen()
    {
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal("always", s_flags.GetVariant("zeroWeight", new FeatureFlagContext { UserId = i.ToString(CultureInfo.InvariantCulture) }).Name);
        }
    }

    [Fact]
    public void GetVariant_CustomStickiness_SameFieldValueSameVariantWhateverTheUser()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int tenant = 0; tenant < 50; tenant++)
        {
            var first = new FeatureFlagContext { UserId = "u1" };
            first.Properties["tenant"] = "t" + tenant.ToString(CultureInfo.InvariantCulture);
            var second = new FeatureFlagContext { UserId = "u2", SessionId = "s" };
            second.Properties["tenant"] = first.Properties["tenant"];
            string name = s_flags.GetVariant("sticky", first).Name;
            Assert.Equal(name, s_flags.GetVariant("sticky", second).Name);
            seen.Add(name);
        }

        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Evaluate_WithVariants_CarriesTheVariant()
    {
        FlagEvaluation result = s_flags.Evaluate("Feature.Variants.C", new FeatureFlagContext { UserId = "5" });
        Assert.True(result.Value);
        Assert.Equal("variant3", result.Variant.Name);
    }

    [Fact]
    public void StrategyVariants_TakePrecedenceAndFallBackToFeatureVariants()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson("""
            { "features": [
              { "name": "s", "enabled": true,
                "strategies": [
                  { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "default", "groupId": "a" },
                    "constraints": [ { "contextName": "environment", "operator": "IN", "values": [ "dev" ] } ],
                    "variants": [ { "name": "fromStrategy", "weight": 1 } ] },
                  { "name": "default" } ],
                "variants": [ { "name": "fromFeature", "weight": 1 } ] }
            ] }
            """));
        Assert.Equal("fromStrategy", flags.GetVariant("s", new FeatureFlagContext { Environment = "dev" }).Name);
        Assert.Equal("fromFeature", flags.GetVariant("s", new FeatureFlagContext { Environment = "prod" }).Name);
    }
}
