using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class ConstraintSemVerTests
{
    private static readonly string[] s_versions =
    [
        "0.0.0", "1.2.2", "1.2.3", "1.3.0", "2.0.0", "2.0.0-alpha", "2.0.0-alpha.1", "2.0.0-rc", "2.0.0+build", "2.0.1",
        "10.0.0", "2.10.0", "3.0.0-beta.2", "18446744073709551615.0.0", "18446744073709551616.0.0", "02.0.0", "2.00.0",
        "2.0.00", "2.0", "2.0.0.0", "v2.0.0", "2.0.0-", "2.0.0+", " 2.0.0", "2.0.0 ", "", "2..0", "2.0.x",
    ];

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (string compiled in s_versions)
        {
            if (!ConstraintSemVer.TryParse(compiled, out _))
            {
                continue;
            }

            foreach (string text in s_versions)
            {
                data.Add(compiled, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void TryCompareRelease_AnyText_AgreesWithFullParse(string compiled, string text)
    {
        Assert.True(ConstraintSemVer.TryParse(compiled, out ConstraintSemVer other));
        bool parsed = ConstraintSemVer.TryParse(text, out ConstraintSemVer version);

        if (ConstraintSemVer.TryCompareRelease(text, other, out int fast))
        {
            Assert.True(parsed);
            Assert.Equal(Math.Sign(version.CompareTo(other)), Math.Sign(fast));
        }
        else
        {
            // Only plain major.minor.patch takes the fast path; everything else is left to the full parse.
            Assert.True(!parsed || text.AsSpan().IndexOfAny('-', '+') >= 0, $"'{text}' parses but was not compared.");
        }
    }

    [Fact]
    public void TryCompareRelease_Null_LeavesItToTheParse() =>
        Assert.False(ConstraintSemVer.TryCompareRelease(null, default, out _));
}
