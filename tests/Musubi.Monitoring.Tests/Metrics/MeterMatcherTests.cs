using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class MeterMatcherTests
{
    [Theory]
    [InlineData("MyApp", "MyApp", true)]
    [InlineData("MyApp", "MyApp.Orders", false)]
    [InlineData("MyApp", "myapp", false)]
    [InlineData("MyApp.*", "MyApp.Orders", true)]
    [InlineData("MyApp.*", "MyApp.", true)]
    [InlineData("MyApp.*", "MyApp", false)]
    [InlineData("MyApp*", "MyApp", true)]
    [InlineData("*", "Anything.At.All", true)]
    [InlineData("*.Orders", "Shop.Orders", true)]
    [InlineData("*.Orders", "Shop.Orders.Extra", false)]
    [InlineData("A*B*C", "AxxBxxC", true)]
    [InlineData("A*B*C", "AxxCxxB", false)]
    [InlineData(" MyApp ", "MyApp", true)]
    public void IsMatch_Pattern_MatchesLikeAGlob(string pattern, string meter, bool expected)
        => Assert.Equal(expected, new MeterMatcher([pattern]).IsMatch(meter));

    [Fact]
    public void IsMatch_EmptyPatterns_AreIgnored()
    {
        var matcher = new MeterMatcher(["", "  ", "X"]);
        Assert.False(matcher.IsMatch(""));
        Assert.True(matcher.IsMatch("X"));
    }
}
