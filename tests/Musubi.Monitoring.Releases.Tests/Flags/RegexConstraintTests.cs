using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class RegexConstraintTests
{
    private static bool On(string pattern, string? userId, bool caseInsensitive = false, bool inverted = false)
    {
        string json = System.Text.Json.JsonSerializer.Serialize(pattern);
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson(
            $$"""{ "features": [ { "name": "f", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "userId", "operator": "REGEX", "value": {{json}}, "caseInsensitive": {{(caseInsensitive ? "true" : "false")}}, "inverted": {{(inverted ? "true" : "false")}} } ] } ] } ] }"""));
        return flags.IsEnabled("f", new FeatureFlagContext { UserId = userId });
    }

    [Theory]
    [InlineData("^cat$", "cat", true)]
    [InlineData("^cat$", "Cat", false)]
    [InlineData("^[^@]+@[^@]+$", "test@example.com", true)]
    [InlineData("^[^@]+@[^@]+$", "not-an-email", false)]
    [InlineData("^user\\d{3}$", "user123", true)]
    [InlineData("^user\\d{3}$", "user12", false)]
    [InlineData("^user\\d{3}$", "user١٢٣", false)]
    [InlineData("^[[:alpha:]]+$", "AlphaBeta", true)]
    [InlineData("^[[:alpha:]]+$", "Alpha1", false)]
    [InlineData("\\bcat\\b", "a cat b", true)]
    [InlineData("\\bcat\\b", "concatenate", false)]
    [InlineData("^(foo|fo)$", "fo", true)]
    [InlineData("^(foo|fo)$", "f", false)]
    [InlineData("^(ab)?c$", "c", true)]
    [InlineData("^(ab)?c$", "ac", false)]
    [InlineData("^a{2,4}$", "aaaa", true)]
    [InlineData("^a{2,4}$", "aaaaa", false)]
    [InlineData("^a.*?b$", "a___b___b", true)]
    [InlineData("^a.*?b$", "a___b___c", false)]
    [InlineData("^(?i)abc$", "AbC", true)]
    [InlineData("^(?i)abc$", "zAbCz", false)]
    [InlineData("(?m)^foo$", "x\nfoo\ny", true)]
    [InlineData("(?m)^foo$", "x\nfo\ny", false)]
    [InlineData("^(?s)a.b$", "a\nb", true)]
    [InlineData("^abc$", "abc\n", false)]
    [InlineData("^(?P<word>[a-z]+)$", "abc", true)]
    [InlineData("(regex", "any-value", false)]
    [InlineData("^(?=a)b$", "ab", false)]
    [InlineData("^(a)\\1$", "aa", false)]
    [InlineData("^cat$", null, false)]
    public void Regex_Re2Patterns_MatchAsUnleashDoes(string pattern, string? userId, bool expected) =>
        Assert.Equal(expected, On(pattern, userId));

    [Fact]
    public void Regex_CaseInsensitiveAndInverted_Apply()
    {
        Assert.True(On("^abc$", "AbC", caseInsensitive: true));
        Assert.True(On("^abc$", "xyz", inverted: true));
        Assert.False(On("^abc$", "abc", inverted: true));
        Assert.False(On("(regex", "x", inverted: true));
    }
}
