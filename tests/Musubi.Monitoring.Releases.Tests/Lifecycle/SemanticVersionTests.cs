namespace Musubi.Monitoring.Releases.Tests.Lifecycle;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.4", 0, 0, 4, "", "")]
    [InlineData("1.2.3", 1, 2, 3, "", "")]
    [InlineData("10.20.30", 10, 20, 30, "", "")]
    [InlineData("1.1.2-prerelease+meta", 1, 1, 2, "prerelease", "meta")]
    [InlineData("1.0.0-alpha.beta.1", 1, 0, 0, "alpha.beta.1", "")]
    [InlineData("1.0.0-alpha0.valid", 1, 0, 0, "alpha0.valid", "")]
    [InlineData("1.0.0-0A.is.legal", 1, 0, 0, "0A.is.legal", "")]
    [InlineData("1.0.0-rc.1+build.1", 1, 0, 0, "rc.1", "build.1")]
    [InlineData("1.0.0+0.build.1-rc.10000aaa-kk-0.1", 1, 0, 0, "", "0.build.1-rc.10000aaa-kk-0.1")]
    [InlineData("1.2.3----RC-SNAPSHOT.12.9.1--.12+788", 1, 2, 3, "---RC-SNAPSHOT.12.9.1--.12", "788")]
    [InlineData("1.0.0+001", 1, 0, 0, "", "001")]
    [InlineData("2147483647.0.0", int.MaxValue, 0, 0, "", "")]
    public void Parse_ValidVersion_ReadsEveryPartAndRoundTrips(string text, int major, int minor, int patch, string pre, string build)
    {
        SemanticVersion v = SemanticVersion.Parse(text);

        Assert.Equal((major, minor, patch, pre, build), (v.Major, v.Minor, v.Patch, v.PreRelease, v.Build));
        Assert.Equal(text, v.ToString());
        Assert.Equal(pre.Length > 0, v.IsPreRelease);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1", "1 part")]
    [InlineData("1.2", "2 part")]
    [InlineData("1.2.3.4", "4 part")]
    [InlineData("v1.2.3", "'v1' is not a number")]
    [InlineData("01.1.1", "leading zero")]
    [InlineData("1.01.1", "leading zero")]
    [InlineData("1.1.01", "leading zero")]
    [InlineData("1.2.3-0123", "leading zero")]
    [InlineData("1.2.3-alpha..1", "empty identifier")]
    [InlineData("1.2.3-", "empty identifier")]
    [InlineData("1.2.3+", "empty identifier")]
    [InlineData("1.2.3-alpha_beta", "'_'")]
    [InlineData("1.2.3+build+1", "'+'")]
    [InlineData(" 1.2.3", "not a number")]
    [InlineData("1.2.3 ", "not a number")]
    [InlineData("1.2.-3", "not a number")]
    [InlineData("2147483648.0.0", "larger than")]
    [InlineData("１.2.3", "not a number")]
    public void Parse_InvalidVersion_ThrowsFormatExceptionQuotingTheInputAndTheReason(string text, string reason)
    {
        FormatException e = Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));

        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.False(SemanticVersion.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => SemanticVersion.Parse(null!));

    [Fact]
    public void TryParse_Null_ReturnsFalse() => Assert.False(SemanticVersion.TryParse(null, out _));

    [Fact]
    public void CompareTo_SpecExampleChain_IsInPrecedenceOrder()
    {
        // semver.org section 11.
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"];
        SemanticVersion[] versions = [.. ordered.Select(SemanticVersion.Parse)];

        for (int i = 0; i + 1 < versions.Length; i++)
        {
            Assert.True(versions[i] < versions[i + 1], $"{versions[i]} < {versions[i + 1]}");
            Assert.True(versions[i + 1] > versions[i]);
        }

        Assert.Equal(ordered, versions.Reverse().Order().Select(v => v.ToString()));
    }

    [Fact]
    public void CompareTo_HugeNumericIdentifiers_ComparesNumerically() =>
        Assert.True(SemanticVersion.Parse("1.0.0-99999999999999999999") < SemanticVersion.Parse("1.0.0-100000000000000000000"));

    [Fact]
    public void CompareTo_BuildMetadata_IsIgnoredButEqualsSeesIt()
    {
        SemanticVersion a = SemanticVersion.Parse("1.0.0+a");
        SemanticVersion b = SemanticVersion.Parse("1.0.0+b");

        Assert.Equal(0, a.CompareTo(b));
        Assert.True(a <= b && a >= b);
        Assert.NotEqual(a, b);
        Assert.True(a != b);
        Assert.Equal(SemanticVersion.Parse("1.0.0+a"), a);
        Assert.Equal(a.GetHashCode(), SemanticVersion.Parse("1.0.0+a").GetHashCode());
    }

    [Fact]
    public void Default_IsZeroZeroZero()
    {
        Assert.Equal("0.0.0", default(SemanticVersion).ToString());
        Assert.Equal(new SemanticVersion(0, 0, 0), default);
    }

    [Fact]
    public void Constructor_InvalidPreRelease_ThrowsArgumentExceptionNamingIt()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SemanticVersion(1, 0, 0, "rc.01"));

        Assert.Equal("preRelease", e.ParamName);
        Assert.Contains("'rc.01'", e.Message);
    }

    [Fact]
    public void Constructor_NegativePart_ThrowsArgumentOutOfRangeException() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticVersion(1, -1, 0));

    [Fact]
    public void CompareTo_Object_NullIsSmallerAndOtherTypesThrow()
    {
        SemanticVersion v = SemanticVersion.Parse("1.0.0");

        Assert.Equal(1, v.CompareTo((object?)null));
        Assert.Equal(0, v.CompareTo((object)SemanticVersion.Parse("1.0.0")));
        Assert.Throws<ArgumentException>(() => v.CompareTo((object)"1.0.0"));
    }
}
