using System.Globalization;
using System.Numerics;
using System.Text.Json;
using CsCheck;

namespace Musubi.Monitoring.Releases.Tests.Lifecycle;

public sealed class SemanticVersionPropertyTests
{
    // Small alphabets, so equal and near-equal identifiers come up often.
    private static readonly Gen<string> s_identifier = Gen.OneOf(
        Gen.Int[0, 12].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Const("99999999999999999999"),
        Gen.String[Gen.Char["ab-Z"], 1, 3],
        Gen.String[Gen.Char["0a"], 2, 3].Where(s => s.Any(char.IsAsciiLetter)));

    private static readonly Gen<string> s_text = Gen.Select(
        Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2],
        s_identifier.Array[0, 3],
        Gen.String[Gen.Char["0a-"], 1, 3].Array[0, 2],
        (major, minor, patch, pre, build) => string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}")
            + (pre.Length > 0 ? "-" + string.Join('.', pre) : string.Empty)
            + (build.Length > 0 ? "+" + string.Join('.', build) : string.Empty));

    [Fact]
    public void Parse_GeneratedVersions_RoundTripsThroughTextAndJson() =>
        s_text.Sample(text =>
        {
            SemanticVersion v = SemanticVersion.Parse(text);
            Assert.Equal(text, v.ToString());
            Assert.Equal(v, JsonSerializer.Deserialize<SemanticVersion>(JsonSerializer.Serialize(v)));
            Assert.Equal(text, JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(v)));   // a JSON string
        });

    [Fact]
    public void CompareTo_GeneratedPairs_MatchesAReferenceOfSection11AndIsAntisymmetric() =>
        Gen.Select(s_text, s_text).Sample((a, b) =>
        {
            SemanticVersion x = SemanticVersion.Parse(a);
            SemanticVersion y = SemanticVersion.Parse(b);
            Assert.Equal(Reference(a, b), Math.Sign(x.CompareTo(y)));
            Assert.Equal(-Math.Sign(x.CompareTo(y)), Math.Sign(y.CompareTo(x)));
        });

    [Fact]
    public void JsonDeserialize_NotAVersion_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SemanticVersion>("\"1.02.0\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SemanticVersion>("3"));
    }

    /// <summary>Precedence written out again, independently: numbers as big integers, identifiers one by one.</summary>
    private static int Reference(string a, string b)
    {
        static (BigInteger[] Core, string[]? Pre) Split(string s)
        {
            string noBuild = s.Split('+')[0];
            int dash = noBuild.IndexOf('-', StringComparison.Ordinal);
            string core = dash < 0 ? noBuild : noBuild[..dash];
            return ([.. core.Split('.').Select(p => BigInteger.Parse(p, CultureInfo.InvariantCulture))], dash < 0 ? null : noBuild[(dash + 1)..].Split('.'));
        }

        (BigInteger[] ca, string[]? pa) = Split(a);
        (BigInteger[] cb, string[]? pb) = Split(b);
        for (int i = 0; i < 3; i++)
        {
            if (ca[i] != cb[i])
            {
                return ca[i] < cb[i] ? -1 : 1;
            }
        }

        if (pa is null || pb is null)
        {
            return pa is null && pb is null ? 0 : pa is null ? 1 : -1;
        }

        for (int i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            bool na = pa[i].All(char.IsAsciiDigit);
            bool nb = pb[i].All(char.IsAsciiDigit);
            int c = na && nb ? BigInteger.Parse(pa[i], CultureInfo.InvariantCulture).CompareTo(BigInteger.Parse(pb[i], CultureInfo.InvariantCulture))
                : na ? -1
                : nb ? 1
                : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return pa.Length.CompareTo(pb.Length);
    }
}
