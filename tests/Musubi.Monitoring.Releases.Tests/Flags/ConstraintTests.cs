using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class ConstraintTests
{
    private static bool On(string constraint, FeatureFlagContext context, string extra = "")
    {
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson(
            $$"""{ "features": [ { "name": "f", "enabled": true, "strategies": [ { "name": "default", "constraints": [ {{constraint}} ] } ] } ] {{extra}} }"""));
        return flags.IsEnabled("f", context);
    }

    private static FeatureFlagContext Props(string name, string? value)
    {
        var context = new FeatureFlagContext();
        context.Properties[name] = value;
        return context;
    }

    [Theory]
    [InlineData("SEMVER_EQ", "1.2.2", "1.2.2", true)]
    [InlineData("SEMVER_EQ", "1.2.2", "1.2.2+metadata", true)]
    [InlineData("SEMVER_EQ", "1.2.2", "1.2.0", false)]
    [InlineData("SEMVER_GT", "1.2.2", "1.2.3", true)]
    [InlineData("SEMVER_GT", "1.2.2", "1.2.2+metadata", false)]
    [InlineData("SEMVER_LT", "1.2.2", "1.2.1", true)]
    [InlineData("SEMVER_LT", "1.2.2", "1.2.2+metadata", false)]
    [InlineData("SEMVER_GT", "2.0.0-alpha.1", "2.0.0-beta.1", true)]
    [InlineData("SEMVER_GT", "2.0.0-alpha.1", "2.0.0", true)]
    [InlineData("SEMVER_LT", "2.0.0-alpha.1", "1.9.1-beta.1", true)]
    [InlineData("SEMVER_LT", "2.0.0-alpha.3", "2.0.0-alpha.1", true)]
    [InlineData("SEMVER_LT", "2.0.0-alpha.3", "2.0.0-alpha.4", false)]
    [InlineData("SEMVER_LT", "2.0.0-alpha.3", "2.0.0-alpha.10", false)]
    [InlineData("SEMVER_GT", "2.0.0-alpha", "2.0.0-alpha.1", true)]
    [InlineData("SEMVER_GT", "2.0.0-rc", "2.0.0-alpha.1", false)]
    [InlineData("SEMVER_GT", "2.0.0-rc", "2.0.0", true)]
    [InlineData("SEMVER_GT", "1.0.0-2", "1.0.0-alpha", true)]
    [InlineData("SEMVER_EQ", "v2.0.0", "v2.0.0", false)]
    [InlineData("SEMVER_EQ", "2.0.0", "v2.0.0", false)]
    [InlineData("SEMVER_EQ", "2.0.0", "not a semver", false)]
    [InlineData("SEMVER_EQ", "2.0.0", "02.0.0", false)]
    [InlineData("SEMVER_EQ", "1.2.2-alpha.1+metadata", "1.2.2-alpha.1", true)]
    [InlineData("SEMVER_GT", "1.2.2-alpha.1+metadata.1", "1.2.2-alpha.1+metadata.2", false)]
    [InlineData("SEMVER_GTE", "1.2.2", "1.2.2", true)]
    [InlineData("SEMVER_LTE", "1.2.2", "1.2.3", false)]
    public void Semver_Operators_FollowSemanticVersioningPrecedence(string op, string value, string version, bool expected) =>
        Assert.Equal(expected, On($$"""{ "contextName": "version", "operator": "{{op}}", "value": "{{value}}" }""", Props("version", version)));

    [Theory]
    [InlineData("NUM_EQ", "12", "12.0", true)]
    [InlineData("NUM_EQ", "12.0", "12", true)]
    [InlineData("NUM_GT", "12", "12.5", true)]
    [InlineData("NUM_LTE", "12", "-3", true)]
    [InlineData("NUM_EQ", "12", "twelve", false)]
    [InlineData("NUM_LT", "12", "", false)]
    [InlineData("NUM_GT", "twelve", "13", false)]
    [InlineData("NUM_GTE", "1e3", "1000", true)]
    [InlineData("NUM_EQ", "7", "007", true)]
    [InlineData("NUM_LT", "0", "-5", true)]
    [InlineData("NUM_GT", "0", "-", false)]
    [InlineData("NUM_EQ", "12345678901234567", "12345678901234567", true)]
    [InlineData("NUM_GT", "2", " 3 ", true)]
    [InlineData("NUM_LT", "1", "0.5", true)]
    public void Num_Operators_CompareNumbersAndRefuseText(string op, string value, string context, bool expected) =>
        Assert.Equal(expected, On($$"""{ "contextName": "n", "operator": "{{op}}", "value": "{{value}}" }""", Props("n", context)));

    [Fact]
    public void Num_NonNumericContextInverted_IsOn() =>
        Assert.True(On("""{ "contextName": "n", "operator": "NUM_EQ", "value": "1", "inverted": true }""", Props("n", "abc")));

    [Theory]
    [InlineData("App", true)]
    [InlineData("App2-iOS-[v1]", true)]
    [InlineData("other", false)]
    public void In_CaseInsensitive_IgnoresCase(string appName, bool expected) =>
        Assert.Equal(expected, On("""{ "contextName": "appName", "operator": "IN", "caseInsensitive": true, "values": [ "app", "app2-ios-[v1]" ] }""", Props("appName", appName)));

    [Fact]
    public void NotIn_CaseInsensitiveAndInverted_CombineAsUnleashDoes()
    {
        Assert.False(On("""{ "contextName": "appName", "operator": "NOT_IN", "caseInsensitive": true, "values": [ "app" ] }""", Props("appName", "APP")));
        Assert.True(On("""{ "contextName": "appName", "operator": "NOT_IN", "caseInsensitive": true, "inverted": true, "values": [ "app2-ios-[v1]" ] }""", Props("appName", "APP2-IOS-[V1]")));
        Assert.False(On("""{ "contextName": "appName", "operator": "IN", "caseInsensitive": true, "inverted": true, "values": [ "app" ] }""", Props("appName", "App")));
    }

    [Fact]
    public void In_StandardFieldSet_WinsOverTheProperty()
    {
        FeatureFlagContext context = Props("appName", "other");
        context.AppName = "app";
        Assert.True(On("""{ "contextName": "appName", "operator": "IN", "values": [ "app" ] }""", context));
        Assert.False(On("""{ "contextName": "appName", "operator": "IN", "values": [ "app" ] }""", Props("appName", "App")));
    }

    [Fact]
    public void In_EmptyValues_IsOffAndNotInEmptyValues_IsOn()
    {
        Assert.False(On("""{ "contextName": "environment", "operator": "IN", "values": [] }""", new FeatureFlagContext { Environment = "default" }));
        Assert.False(On("""{ "contextName": "environment", "operator": "IN", "values": [] }""", new FeatureFlagContext()));
        Assert.True(On("""{ "contextName": "environment", "operator": "NOT_IN", "values": [] }""", new FeatureFlagContext { Environment = "default" }));
        Assert.True(On("""{ "contextName": "environment", "operator": "NOT_IN", "values": [] }""", new FeatureFlagContext()));
    }

    [Fact]
    public void StringOperators_MissingValueInverted_IsOn()
    {
        Assert.False(On("""{ "contextName": "email", "operator": "STR_ENDS_WITH", "values": [ ".com" ] }""", new FeatureFlagContext()));
        Assert.True(On("""{ "contextName": "email", "operator": "STR_ENDS_WITH", "values": [ ".com" ], "inverted": true }""", new FeatureFlagContext()));
    }

    [Fact]
    public void UnknownOperator_IsOffEvenInverted() =>
        Assert.False(On("""{ "contextName": "x", "operator": "REGEX_SOMEDAY", "value": "a", "inverted": true }""", Props("x", "a")));

    [Fact]
    public void Date_ContextPropertyAndTimeZones_CompareInstants()
    {
        var context = new FeatureFlagContext { CurrentTime = DateTimeOffset.Parse("2022-01-22T11:30:00Z", System.Globalization.CultureInfo.InvariantCulture) };
        Assert.True(On("""{ "contextName": "currentTime", "operator": "DATE_AFTER", "value": "2022-01-22T13:00:00.000+02:00" }""", context));
        Assert.True(On("""{ "contextName": "currentTime", "operator": "DATE_BEFORE", "value": "2022-01-22T14:00:00.000+02:00" }""", context));
        Assert.True(On("""{ "contextName": "signup", "operator": "DATE_BEFORE", "value": "2022-01-01T00:00:00Z" }""", Props("signup", "2021-06-01T00:00:00Z")));
        Assert.False(On("""{ "contextName": "signup", "operator": "DATE_BEFORE", "value": "2022-01-01T00:00:00Z" }""", Props("signup", "yesterday")));
        Assert.False(On("""{ "contextName": "currentTime", "operator": "DATE_AFTER", "value": "not a date" }""", context));
    }

    [Fact]
    public void Segments_ConstraintsOfEveryReferencedSegment_MustHold()
    {
        const string Segments = """, "segments": [ { "id": 1, "constraints": [ { "contextName": "version", "operator": "SEMVER_EQ", "value": "1.2.2" } ] }, { "id": 4, "constraints": [ { "contextName": "customName", "operator": "STR_CONTAINS", "values": [ "Pi" ] } ] } ]""";
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson("""
            { "features": [
              { "name": "on", "enabled": true, "strategies": [ { "name": "default", "segments": [ 1, 4 ] } ] },
              { "name": "missing", "enabled": true, "strategies": [ { "name": "default", "segments": [ 3 ] } ] }
            ]
            """ + Segments + "}"));
        FeatureFlagContext context = Props("version", "1.2.2");
        Assert.False(flags.IsEnabled("on", context));
        context.Properties["customName"] = "Pie";
        Assert.True(flags.IsEnabled("on", context));
        Assert.False(flags.IsEnabled("missing", context));
    }
}
