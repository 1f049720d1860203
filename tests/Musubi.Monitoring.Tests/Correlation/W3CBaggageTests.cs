using System.Text;
using CsCheck;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Tests.Correlation;

public sealed class W3CBaggageTests
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData("k=v", "v")]
    [InlineData("k=", "")]
    [InlineData(" k = v ", "v")]
    [InlineData("\tk\t=\tv\t", "v")]
    [InlineData("k=a+b", "a+b")]
    [InlineData("k=a%2Bb", "a+b")]
    [InlineData("k=%20", " ")]
    [InlineData("k=%2525", "%25")]
    [InlineData("k=Am%C3%A9lie", "Amélie")]
    [InlineData("k=am%c3%a9lie", "amélie")]
    [InlineData("k=%F0%9F%98%80", "\U0001F600")]
    [InlineData("k=%ZZ", "\uFFFDZZ")]
    [InlineData("k=%", "\uFFFD")]
    [InlineData("k=a%2", "a\uFFFD2")]
    [InlineData("k=%C3", "\uFFFD")]
    [InlineData("k=%C3x", "\uFFFDx")]
    [InlineData("k=%FF%FE", "\uFFFD\uFFFD")]
    [InlineData("k=%ED%A0%80", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("k=v;p", "v")]
    [InlineData("k=v ; p=1;q", "v")]
    [InlineData("k=v;p=a b \" \\ é", "v")]
    [InlineData("k=a=b", "a=b")]
    [InlineData("k=!#$&'()*+-./:<=>?@[]^_`{|}~", "!#$&'()*+-./:<=>?@[]^_`{|}~")]
    public void Parse_Value_DecodedOnceAsUtf8(string header, string expected)
    {
        KeyValuePair<string, string> member = Assert.Single(W3CBaggage.Parse([header]));
        Assert.Equal("k", member.Key);
        Assert.Equal(expected, member.Value);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=v")]
    [InlineData(" = v")]
    [InlineData("a b=v")]
    [InlineData("k\"=v")]
    [InlineData("k(=v")]
    [InlineData("ké=v")]
    [InlineData("k=a b")]
    [InlineData("k=\"v\"")]
    [InlineData("k=a\\b")]
    [InlineData("k=caf\u00e9")]
    [InlineData("k=\u0001")]
    [InlineData("k\u0000=v")]
    [InlineData(";p=1")]
    public void Parse_InvalidMember_SkippedAndTheRestKept(string invalid)
    {
        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse([$"a=1,{invalid},b=2"]);

        Assert.Equal([new("a", "1"), new("b", "2")], members);
    }

    [Fact]
    public void Parse_KeyWithTokenCharacters_KeptAsSentWithoutDecoding()
    {
        Assert.Equal([new(TokenChars, "v"), new("a%20b", "v")], W3CBaggage.Parse([TokenChars + "=v,a%20b=v"]));
    }

    [Fact]
    public void Parse_DuplicateKeys_KeepsTheFirst()
    {
        Assert.Equal([new("a", "1"), new("b", "2")], W3CBaggage.Parse(["a=1,b=2", "a=3"]));
        Assert.Equal([new("a", "1"), new("A", "2")], W3CBaggage.Parse(["a=1,A=2"]));
    }

    [Fact]
    public void Parse_NothingUsable_ReturnsEmpty()
    {
        Assert.Empty(W3CBaggage.Parse(null));
        Assert.Empty(W3CBaggage.Parse([]));
        Assert.Empty(W3CBaggage.Parse([null, ""]));
        Assert.Empty(W3CBaggage.Parse([" , ,\t,"]));
        Assert.Empty(W3CBaggage.Parse(["junk"]));
    }

    [Fact]
    public void Parse_64Members_AllKeptAnd65thDropped()
    {
        string sixtyFive = string.Join(',', Enumerable.Range(0, 65).Select(i => $"k{i}=v"));

        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse([sixtyFive]);

        Assert.Equal(W3CBaggage.MaxMembers, members.Count);
        Assert.Equal("k63", members[^1].Key);
    }

    [Fact]
    public void Parse_Exactly8192Bytes_AllKeptAndOneMoreByteDropsTheLastMemberWhole()
    {
        // Two members: "a=" + 4092 'x' (4094 bytes), ",", "b=" + 4095 'y' (4097 bytes): 8192 in all.
        string first = "a=" + new string('x', 4092);
        string second = "b=" + new string('y', 4095);

        Assert.Equal(2, W3CBaggage.Parse([first + "," + second]).Count);

        IReadOnlyList<KeyValuePair<string, string>> over = W3CBaggage.Parse([first + "," + second + "y"]);
        Assert.Equal("a", Assert.Single(over).Key);
    }

    [Fact]
    public void Parse_BytesCountedAcrossHeaderValues_AsIfJoinedWithComma()
    {
        string first = "a=" + new string('x', 4092);
        string second = "b=" + new string('y', 4095);

        Assert.Equal(2, W3CBaggage.Parse([first, second]).Count);
        Assert.Single(W3CBaggage.Parse([first, second + "y"]));
    }

    [Fact]
    public void Parse_PropertiesAndWhitespace_DoNotCountAgainstTheByteLimit()
    {
        string first = "a=" + new string('x', 4092) + ";" + new string('p', 5000);
        string second = "  b  =  " + new string('y', 4095) + "  ";

        Assert.Equal(2, W3CBaggage.Parse([first, second]).Count);
    }

    [Fact]
    public void Parse_MemberOverTheLimit_EndsTheList()
    {
        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse(["a=1,big=" + new string('x', 9000) + ",c=3"]);

        Assert.Equal([new("a", "1")], members);
    }

    [Fact]
    public void Parse_OneMegabyteHeaderOrControlCharacters_BoundedResult()
    {
        string megabyteOfMembers = string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"k{i}=%41%42"));
        string megabyteValue = "k=" + new string('%', 1 << 20);
        string controls = string.Concat(Enumerable.Range(0, 32).Select(i => (char)i)) + "=1,\u007f=2,k=\r\n";

        IReadOnlyList<KeyValuePair<string, string>> many = W3CBaggage.Parse([megabyteOfMembers]);
        Assert.Equal(W3CBaggage.MaxMembers, many.Count);
        Assert.All(many, m => Assert.Equal("AB", m.Value));
        Assert.Empty(W3CBaggage.Parse([megabyteValue]));
        Assert.Empty(W3CBaggage.Parse([controls]));
        Assert.Empty(W3CBaggage.Parse([new string(',', 1 << 20)]));
    }

    [Theory]
    [InlineData("v", "k=v")]
    [InlineData("", "k=")]
    [InlineData("a b", "k=a%20b")]
    [InlineData("50%", "k=50%25")]
    [InlineData("a+b", "k=a+b")]
    [InlineData("a,b;c\\d\"e", "k=a%2Cb%3Bc%5Cd%22e")]
    [InlineData("é", "k=%C3%A9")]
    [InlineData("\U0001F600", "k=%F0%9F%98%80")]
    [InlineData("\t\n\u007f", "k=%09%0A%7F")]
    [InlineData("=/?:@", "k==/?:@")]
    public void Format_Value_EncodesExactlyTheNonBaggageOctets(string value, string expected)
        => Assert.Equal(expected, W3CBaggage.Format([new("k", value)]));

    [Fact]
    public void Format_LoneSurrogates_SentAsReplacementCharacter()
    {
        Assert.Equal("k=a%EF%BF%BDb", W3CBaggage.Format([new("k", "a\uD800b")]));
        Assert.Equal("k=%EF%BF%BD%EF%BF%BD", W3CBaggage.Format([new("k", "\uDC00\uD800")]));
        Assert.Equal("a\uFFFDb", Assert.Single(W3CBaggage.Parse([W3CBaggage.Format([new("k", "a\uD800b")])])).Value);
    }

    [Fact]
    public void Format_KeysThatAreNotTokens_Skipped()
    {
        Assert.Equal("ok=1", W3CBaggage.Format([new("", "x"), new(null!, "x"), new("a b", "x"), new("ké", "x"), new("ok", "1"), new("k=", "x")]));
        Assert.Null(W3CBaggage.Format([new("a b", "x")]));
        Assert.Null(W3CBaggage.Format([]));
    }

    [Fact]
    public void Format_NullValueOrDuplicateKey_EmptyValueAndFirstWins()
    {
        Assert.Equal("a=,b=2", W3CBaggage.Format([new("a", null!), new("b", "2"), new("a", "3")]));
    }

    [Fact]
    public void Format_NullMembers_Throws()
        => Assert.Throws<ArgumentNullException>("members", () => W3CBaggage.Format(null!));

    [Fact]
    public void Format_65Members_Drops65th()
    {
        KeyValuePair<string, string>[] members = [.. Enumerable.Range(0, 65).Select(i => KeyValuePair.Create($"k{i}", "v"))];

        string? header = W3CBaggage.Format(members);

        Assert.Equal(string.Join(',', members.Take(64).Select(m => $"{m.Key}=v")), header);
    }

    [Fact]
    public void Format_8192Bytes_KeptAndOneMoreDropsTheMemberWhole()
    {
        KeyValuePair<string, string> first = new("a", new string('x', 4092));
        KeyValuePair<string, string> second = new("b", new string('y', 4095));

        Assert.Equal(8192, W3CBaggage.Format([first, second])!.Length);
        Assert.Equal("a=" + first.Value, W3CBaggage.Format([first, new("b", second.Value + "y")]));
        Assert.Equal("a=" + first.Value, W3CBaggage.Format([first, new("b", new string(' ', 1366))])); // 4098 encoded + 3 > 8192
        Assert.Null(W3CBaggage.Format([new("big", new string('x', 1 << 20))]));
        Assert.Null(W3CBaggage.Format([new("big", new string('é', 1 << 20))]));
    }

    [Fact]
    public void FormatThenParse_ArbitraryMembersWithinLimits_Identity()
    {
        Gen<string> key = Gen.String[Gen.Char[TokenChars], 1, 12];
        Gen<char> interesting = Gen.Char[" %+;,=\"\\\t\u00e9\u00ff\u4e2d\u007f\u0000"];
        Gen<string> value = Gen.OneOf(
            Gen.String,
            Gen.String[Gen.OneOf(Gen.Char, interesting, Gen.Char['!', '~']), 0, 40],
            Gen.Const("\U0001F600\uD83D"));
        Gen<KeyValuePair<string, string>[]> members = Gen.Select(key, value, KeyValuePair.Create).Array[0, 70];

        members.Sample(
            generated =>
            {
                string? header = W3CBaggage.Format(generated);
                IReadOnlyList<KeyValuePair<string, string>> parsed = W3CBaggage.Parse([header]);

                // What Format sends: the first member of each key, within the limits; lone surrogates become U+FFFD.
                var expected = new List<KeyValuePair<string, string>>();
                int bytes = -1;
                foreach (KeyValuePair<string, string> member in generated)
                {
                    if (expected.Any(e => e.Key == member.Key))
                    {
                        continue;
                    }

                    string sent = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(member.Value));
                    bytes += 1 + member.Key.Length + 1 + EncodedLength(sent);
                    if (expected.Count == W3CBaggage.MaxMembers || bytes > W3CBaggage.MaxBytes)
                    {
                        break;
                    }

                    expected.Add(new(member.Key, sent));
                }

                Assert.Equal(expected, parsed);
                Assert.True(header is null || Encoding.UTF8.GetByteCount(header) <= W3CBaggage.MaxBytes);
            },
            iter: 2_000);
    }

    private static int EncodedLength(string value)
    {
        int length = 0;
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            bool asIs = b is 0x21 or (>= 0x23 and <= 0x2B and not 0x25) or (>= 0x2D and <= 0x3A) or (>= 0x3C and <= 0x5B) or (>= 0x5D and <= 0x7E);
            length += asIs ? 1 : 3;
        }

        return length;
    }

    [Fact]
    public void Parse_MegabyteOfEmptyMembersBeforeAMember_StopsReadingAtTheScanLimit()
    {
        string padding = new(',', 1024 * 1024);

        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse(["a=1" + padding + "b=2"]);

        Assert.Equal([new KeyValuePair<string, string>("a", "1")], members);
    }

    [Fact]
    public void Parse_MemberStartingBeforeTheScanLimit_IsReadWhole()
    {
        string padding = new(',', W3CBaggage.MaxScannedChars - 10);

        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse([padding + "key=" + new string('v', 100)]);

        Assert.Equal(new string('v', 100), Assert.Single(members).Value);
    }
}
