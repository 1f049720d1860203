using System.Globalization;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class CodeVariantTests
{
    [Fact]
    public void WithVariants_FixedAndVariableWeights_MatchTheSameFlagFromUnleashJson()
    {
        FlagDefinition definition = FlagDefinition.Percentage("exp", 100).WithVariants(
            new FlagVariantDefinition("control") { FixedWeight = 500 },
            new FlagVariantDefinition("red") { PayloadType = "string", PayloadValue = "#f00" },
            new FlagVariantDefinition("blue"));
        var fromCode = new FeatureFlags(FlagSnapshot.FromDefinitions(definition));

        // Unleash stores fix 500 and two variable variants at (1000 - 500) / 2 = 250 each.
        var fromJson = new FeatureFlags(FlagSnapshot.FromUnleashJson("""
            { "features": [ { "name": "exp", "enabled": true,
              "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "default", "groupId": "exp" } } ],
              "variants": [
                { "name": "control", "weight": 500, "weightType": "fix", "stickiness": "default" },
                { "name": "red", "weight": 250, "weightType": "variable", "stickiness": "default", "payload": { "type": "string", "value": "#f00" } },
                { "name": "blue", "weight": 250, "weightType": "variable", "stickiness": "default" } ] } ] }
            """));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < 4000; i++)
        {
            var context = new FeatureFlagContext { UserId = i.ToString(CultureInfo.InvariantCulture) };
            FlagVariant variant = fromCode.GetVariant("exp", context);
            FlagVariant expected = fromJson.GetVariant("exp", context);
            Assert.Equal(expected.Name, variant.Name);
            Assert.Equal(expected.PayloadValue, variant.PayloadValue);
            counts[variant.Name] = counts.GetValueOrDefault(variant.Name) + 1;
        }

        Assert.InRange(counts["control"], 1800, 2200);
        Assert.InRange(counts["red"], 850, 1150);
        Assert.InRange(counts["blue"], 850, 1150);
    }

    [Fact]
    public void WithVariants_OverridesAndStickiness_AreApplied()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("f").WithVariants(
            new FlagVariantDefinition("a") { Stickiness = "tenant", Overrides = new Dictionary<string, IReadOnlyList<string>> { ["userId"] = ["vip"] } },
            new FlagVariantDefinition("b"))));
        Assert.Equal("a", flags.GetVariant("f", new FeatureFlagContext { UserId = "vip" }).Name);
        var one = new FeatureFlagContext { UserId = "x" };
        one.Properties["tenant"] = "acme";
        var two = new FeatureFlagContext { UserId = "y" };
        two.Properties["tenant"] = "acme";
        Assert.Equal(flags.GetVariant("f", one).Name, flags.GetVariant("f", two).Name);
    }

    [Fact]
    public void WithVariants_OffFlag_GivesTheDisabledVariant()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Off("f").WithVariants(new FlagVariantDefinition("a"))));
        Assert.Same(FlagVariant.Disabled, flags.GetVariant("f", new FeatureFlagContext { UserId = "1" }));
    }

    [Fact]
    public void WithVariants_BadVariants_Throw()
    {
        FlagDefinition flag = FlagDefinition.On("f");
        Assert.Throws<ArgumentException>(() => flag.WithVariants());
        Assert.Throws<ArgumentNullException>(() => flag.WithVariants((IEnumerable<FlagVariantDefinition>)null!));
        Assert.Throws<ArgumentNullException>(() => flag.WithVariants(new FlagVariantDefinition("a"), null!));
        Assert.Throws<ArgumentException>(() => flag.WithVariants(new FlagVariantDefinition("a"), new FlagVariantDefinition("a")));
        Assert.Throws<ArgumentException>(() => flag.WithVariants(new FlagVariantDefinition("a") { FixedWeight = 1001 }, new FlagVariantDefinition("b")));
        Assert.Throws<ArgumentException>(() => flag.WithVariants(new FlagVariantDefinition("a") { FixedWeight = 600 }, new FlagVariantDefinition("b") { FixedWeight = 500 }, new FlagVariantDefinition("c")));
        ArgumentException e = Assert.Throws<ArgumentException>(() => flag.WithVariants(new FlagVariantDefinition("a") { FixedWeight = 300 }));
        Assert.Contains("300", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FlagVariantDefinition("disabled"));
        Assert.Throws<ArgumentException>(() => new FlagVariantDefinition(""));
    }

    [Fact]
    public void EvaluateNumber_NumberPayload_IsParsedInvariantly()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
                FlagDefinition.On("limit").WithVariants(new FlagVariantDefinition("v") { PayloadType = "number", PayloadValue = "1.5" })));
            FlagValue<double> value = flags.EvaluateNumber("limit", null, 9);
            Assert.Equal(1.5, value.Value);
            Assert.Equal(FlagErrorCode.None, value.ErrorCode);
            Assert.Equal("v", value.Variant.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void EvaluateNumber_StringPayload_IsTypeMismatchWithTheDefault()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("limit").WithVariants(new FlagVariantDefinition("v") { PayloadType = "string", PayloadValue = "many" })));
        FlagValue<double> value = flags.EvaluateNumber("limit", null, 9);
        Assert.Equal(9, value.Value);
        Assert.Equal(FlagEvaluationReason.Error, value.Reason);
        Assert.Equal(FlagErrorCode.TypeMismatch, value.ErrorCode);
        Assert.Contains("'many'", value.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("many", flags.EvaluateString("limit", null, "none").Value);
    }

    [Fact]
    public void EvaluateString_NoPayloadOffOrMissing_GivesTheDefault()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("plain"),
            FlagDefinition.Off("off").WithVariants(new FlagVariantDefinition("v") { PayloadType = "string", PayloadValue = "x" })));
        FlagValue<string> plain = flags.EvaluateString("plain", null, "fallback");
        Assert.Equal("fallback", plain.Value);
        Assert.Equal(FlagEvaluationReason.Default, plain.Reason);
        Assert.Equal(FlagErrorCode.None, plain.ErrorCode);
        FlagValue<string> off = flags.EvaluateString("off", null, "fallback");
        Assert.Equal("fallback", off.Value);
        Assert.Equal(FlagEvaluationReason.Disabled, off.Reason);
        FlagValue<string> missing = flags.EvaluateString("missing", null, "fallback");
        Assert.Equal("fallback", missing.Value);
        Assert.Equal(FlagErrorCode.FlagNotFound, missing.ErrorCode);
        Assert.NotNull(missing.ErrorMessage);
    }
}
