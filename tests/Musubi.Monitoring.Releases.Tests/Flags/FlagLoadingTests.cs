using System.Text;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class FlagLoadingTests
{
    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "array")]
    [InlineData("""{ "version": 1 }""", "'features'")]
    [InlineData("""{ "features": [ { "enabled": true } ] }""", "feature 0 has no 'name'")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": "yes" } ] }""", "'enabled' \"yes\"")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": true }, { "name": "a", "enabled": false } ] }""", "'a' appears twice")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": true, "strategies": "default" } ] }""", "feature 'a' has 'strategies' of JSON string")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": true, "strategies": [ { "parameters": {} } ] } ] }""", "feature 'a' strategy 0 has no 'name'")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "operator": "IN" } ] } ] } ] }""", "'contextName'")]
    [InlineData("""{ "features": [ { "name": "a", "enabled": true, "variants": [ { "name": "v", "weight": -1 } ] } ] }""", "weight -1")]
    [InlineData("""{ "features": [], "segments": [ { "constraints": [] } ] }""", "segment has no integer 'id'")]
    public void FromUnleashJson_MalformedDocument_ThrowsInvalidDataExceptionNamingTheProblem(string json, string expected)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => FlagSnapshot.FromUnleashJson(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => FlagSnapshot.FromUnleashJson(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"features":[{"name":"a","enabled":true,"variants":[{"name":"v","weight":true}]}]}""")]
    [InlineData("""{"features":[{"name":"a","enabled":true,"variants":[{"name":"v","weight":{}}]}]}""")]
    [InlineData("""{"features":[],"segments":[{"id":"1","constraints":[]}]}""")]
    [InlineData("""{"features":[{"name":"a","enabled":true,"variants":[{"name":"v","weight":2000000000},{"name":"w","weight":2000000000}]}]}""")]
    [InlineData("""{"features":[{"name":"a","enabled":true,"strategies":[{"name":"default","segments":["1"]}]}]}""")]
    public void FromUnleashJson_ValueOfTheWrongKind_ThrowsInvalidDataException(string json)
    {
        Assert.Throws<InvalidDataException>(() => FlagSnapshot.FromUnleashJson(json));
        Assert.Throws<InvalidDataException>(() => FlagSnapshot.FromUnleashJson(System.Text.Encoding.UTF8.GetBytes(json).AsMemory()));
    }

    [Fact]
    public void FromUnleashJson_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => FlagSnapshot.FromUnleashJson((string)null!));

    [Fact]
    public void FromUnleashJson_Utf8AndString_GiveTheSameFlags()
    {
        const string Json = """{ "version": 2, "features": [ { "name": "ü.flag", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": 50, "stickiness": "userId", "groupId": "ü" } } ] } ] }""";
        var a = new FeatureFlags(FlagSnapshot.FromUnleashJson(Json));
        var b = new FeatureFlags(FlagSnapshot.FromUnleashJson(Encoding.UTF8.GetBytes(Json)));
        Assert.True(a.Snapshot.Contains("ü.flag"));
        Assert.Equal(["ü.flag"], b.Snapshot.FlagNames);
        for (int i = 0; i < 100; i++)
        {
            var context = new FeatureFlagContext { UserId = "ユーザー" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Assert.Equal(a.IsEnabled("ü.flag", context), b.IsEnabled("ü.flag", context));
        }
    }

    [Fact]
    public void FromUnleashJson_ExtraFieldsAndNulls_AreIgnored()
    {
        FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson("""
            { "version": 2, "query": {}, "meta": { "etag": "x" }, "features": [
              { "name": "a", "type": "release", "project": "default", "enabled": true, "stale": false, "impressionData": true,
                "strategies": null, "variants": null, "dependencies": null },
              { "name": "b", "enabled": true, "strategies": [ { "name": "default", "parameters": null, "constraints": null, "segments": null, "variants": null, "sortOrder": 1, "id": "s1" } ] },
              { "name": "c", "enabled": true, "strategies": [ { "name": "default", "disabled": true }, { "name": "userWithId", "parameters": { "userIds": "7" } } ] },
              { "name": "d", "enabled": true, "strategies": [ { "name": "default", "disabled": true } ] }
            ], "segments": null }
            """);
        var flags = new FeatureFlags(snapshot);
        Assert.Equal(4, snapshot.Count);
        Assert.False(flags.IsEnabled("d"));
        Assert.True(flags.IsEnabled("a"));
        Assert.True(flags.IsEnabled("b"));
        Assert.False(flags.IsEnabled("c"));
        Assert.True(flags.IsEnabled("c", new FeatureFlagContext { UserId = "7" }));
    }

    [Fact]
    public void FlagDefinition_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => FlagDefinition.On(""));
        Assert.Throws<ArgumentException>(() => FlagDefinition.Off(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlagDefinition.Percentage("p", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlagDefinition.Percentage("p", 101));
        Assert.Throws<ArgumentNullException>(() => FlagDefinition.Users("u", (IEnumerable<string>)null!));
        ArgumentException e = Assert.Throws<ArgumentException>(() => FlagDefinition.Users("u", "a,b"));
        Assert.Contains("'a,b'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FlagSnapshot.FromDefinitions(FlagDefinition.On("x"), FlagDefinition.Off("x")));
        Assert.Throws<ArgumentNullException>(() => FlagSnapshot.FromDefinitions(FlagDefinition.On("x"), null!));
        Assert.Throws<ArgumentNullException>(() => FlagSnapshot.FromDefinitions((IEnumerable<FlagDefinition>)null!));
    }

    [Fact]
    public void FlagDefinition_Name_IsKept()
    {
        Assert.Equal("p", FlagDefinition.Percentage("p", 5).Name);
        Assert.Equal(0, FlagSnapshot.Empty.Count);
        Assert.False(FlagSnapshot.Empty.Contains(null!));
    }
}
