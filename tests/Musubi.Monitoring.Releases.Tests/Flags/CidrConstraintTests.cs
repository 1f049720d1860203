using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class CidrConstraintTests
{
    [Theory]
    [InlineData("\"127.0.0.1\"", "127.0.0.1", true)]
    [InlineData("\"127.0.0.1\"", "127.0.0.2", false)]
    [InlineData("\"160.33.0.0/16\"", "160.33.0.33", true)]
    [InlineData("\"160.33.0.0/16\"", "160.34.0.1", false)]
    [InlineData("\"127.invalid\", \"192.168.1.0/24\"", "192.168.1.42", true)]
    [InlineData("\"127.invalid\"", "127.0.0.1", false)]
    [InlineData("\"2001:db8::1\"", "2001:db8::1", true)]
    [InlineData("\"2001:db8::1\"", "2001:0db8:0:0:0:0:0:1", true)]
    [InlineData("\"2001:db8::1\"", "2001:db8::2", false)]
    [InlineData("\"2001:db8::/32\"", "2001:db8:0:1::42", true)]
    [InlineData("\"2001:db8::/32\"", "2001:db9::1", false)]
    [InlineData("\"bad::cidr\", \"2001:db8::/32\"", "2001:db8::abcd", true)]
    [InlineData("\"160.33.0.0/16\"", null, false)]
    public void InCidr_AddressesAndRanges_MatchTheRemoteAddress(string values, string? address, bool expected)
    {
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson(
            $$"""{ "features": [ { "name": "f", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "remoteAddress", "operator": "IN_CIDR", "values": [ {{values}} ] } ] } ] } ] }"""));
        Assert.Equal(expected, flags.IsEnabled("f", new FeatureFlagContext { RemoteAddress = address }));
    }
}
