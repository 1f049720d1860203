using System.Diagnostics;
using System.Text;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Tests.Correlation;

public sealed class W3CTraceContextTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";
    private const string Valid = "00-" + TraceId + "-" + SpanId + "-01";

    [Theory]
    [InlineData("00-" + TraceId + "-" + SpanId + "-01", ActivityTraceFlags.Recorded)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-00", ActivityTraceFlags.None)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-02", ActivityTraceFlags.None)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-03", ActivityTraceFlags.Recorded)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-ff", ActivityTraceFlags.Recorded)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-fe", ActivityTraceFlags.None)]
    public void TryParseTraceParent_Version00_KeepsOnlyTheSampledBit(string value, ActivityTraceFlags expected)
    {
        Assert.True(W3CTraceContext.TryParseTraceParent(value, out ActivityContext context));
        Assert.Equal(expected, context.TraceFlags);
        Assert.Equal(TraceId, context.TraceId.ToHexString());
        Assert.Equal(SpanId, context.SpanId.ToHexString());
        Assert.True(context.IsRemote);
        Assert.Null(context.TraceState);
    }

    [Theory]
    [InlineData("01-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("fe-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01-")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01-what-the-future-will-be-like")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01-" + "\u0001 anything after the dash is not read")]
    [InlineData(" \t" + Valid + " \t")]
    [InlineData(Valid + "   ")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01  ")]
    public void TryParseTraceParent_FutureVersionOrSurroundingWhitespace_IsValid(string value)
    {
        Assert.True(W3CTraceContext.TryParseTraceParent(value, out ActivityContext context));
        Assert.Equal(TraceId, context.TraceId.ToHexString());
        Assert.Equal(SpanId, context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("00")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-0")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-011")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-01-")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-01 x")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01x")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01 -x")]
    [InlineData("00-" + TraceId + "0-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "0-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-00f067aa0ba902b-01")]
    [InlineData("00-" + TraceId + "-0000000000000000-01")]
    [InlineData("00-00000000000000000000000000000000-" + SpanId + "-01")]
    [InlineData("ff-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("FF-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("0A-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("0g-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-00F067AA0BA902B7-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-0A")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-0g")]
    [InlineData("00_" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "_" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "_01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-\u0001\u0002")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473\u0000-" + SpanId + "-01")]
    [InlineData("\u0000" + Valid)]
    [InlineData(Valid + "\r\n")]
    [InlineData("00- " + TraceId + "-" + SpanId + "-01")]
    public void TryParseTraceParent_Invalid_ReturnsFalseAndDefault(string value)
    {
        Assert.False(W3CTraceContext.TryParseTraceParent(value, out ActivityContext context));
        Assert.Equal(default, context);
    }

    [Fact]
    public void TryParseTraceParent_OneMegabyteHeader_DoesNotThrow()
    {
        string future = "cc-" + TraceId + "-" + SpanId + "-01-" + new string('x', 1 << 20);
        string garbage = new('-', 1 << 20);
        string trailingSpaces = Valid + new string(' ', 1 << 20);

        Assert.True(W3CTraceContext.TryParseTraceParent(future, out _));
        Assert.False(W3CTraceContext.TryParseTraceParent(garbage, out _));
        Assert.True(W3CTraceContext.TryParseTraceParent(trailingSpaces, out _));
        Assert.False(W3CTraceContext.TryParseTraceParent(Valid + new string('x', 1 << 20), out _));
    }

    [Theory]
    [InlineData(ActivityTraceFlags.Recorded, "01")]
    [InlineData(ActivityTraceFlags.None, "00")]
    [InlineData((ActivityTraceFlags)3, "01")]
    [InlineData((ActivityTraceFlags)2, "00")]
    public void FormatTraceParent_Context_WritesVersion00WithOnlyTheSampledBit(ActivityTraceFlags flags, string expectedFlags)
    {
        var context = new ActivityContext(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(SpanId), flags);

        Assert.Equal($"00-{TraceId}-{SpanId}-{expectedFlags}", W3CTraceContext.FormatTraceParent(context));
    }

    [Fact]
    public void FormatTraceParent_RoundTrip_ParsesBack()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        Assert.True(W3CTraceContext.TryParseTraceParent(W3CTraceContext.FormatTraceParent(context), out ActivityContext parsed));
        Assert.Equal(context.TraceId, parsed.TraceId);
        Assert.Equal(context.SpanId, parsed.SpanId);
        Assert.Equal(context.TraceFlags, parsed.TraceFlags);
    }

    [Fact]
    public void FormatTraceParent_DefaultContext_ThrowsNamingTheTraceId()
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => W3CTraceContext.FormatTraceParent(default));
        Assert.Equal("context", exception.ParamName);
        Assert.Contains("trace id", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTraceParent_AllZeroSpanId_ThrowsNamingTheSpanId()
    {
        var context = new ActivityContext(ActivityTraceId.CreateFromString(TraceId), default(ActivitySpanId), ActivityTraceFlags.None);

        ArgumentException exception = Assert.Throws<ArgumentException>(() => W3CTraceContext.FormatTraceParent(context));
        Assert.Contains("span id", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rojo=00f067aa0ba902b7", "rojo=00f067aa0ba902b7")]
    [InlineData("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")]
    [InlineData(" rojo=1 ,\t congo=2\t", "rojo=1,congo=2")]
    [InlineData(",,rojo=1,, ,\t,congo=2,", "rojo=1,congo=2")]
    [InlineData("a=  leading spaces are value", "a=  leading spaces are value")]
    [InlineData("a=b   ", "a=b")]
    [InlineData("tenant@system=1", "tenant@system=1")]
    [InlineData("1tenant@s=1", "1tenant@s=1")]
    [InlineData("a_-*/9=1", "a_-*/9=1")]
    [InlineData("a=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~", "a=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~")]
    [InlineData("foo=1,bar=2,foo=3", "foo=1,bar=2")]
    public void ParseTraceState_Valid_ReturnsNormalizedMembers(string header, string expected)
        => Assert.Equal(expected, W3CTraceContext.ParseTraceState([header]));

    [Theory]
    [InlineData("A=1")]
    [InlineData("1a=1")]
    [InlineData("_a=1")]
    [InlineData("a b=1")]
    [InlineData("a=")]
    [InlineData("=1")]
    [InlineData("a")]
    [InlineData("a=1=2")]
    [InlineData("a=1\t2")]
    [InlineData("a=caf\u00e9")]
    [InlineData("a=\u0001")]
    [InlineData("foo@=1,bar=2")]
    [InlineData("@foo=1,bar=2")]
    [InlineData("foo@@bar=1,bar=2")]
    [InlineData("foo@bar@baz=1,bar=2")]
    [InlineData("foo@1bar=1")]
    [InlineData("_foo@bar=1")]
    [InlineData("Foo@bar=1")]
    [InlineData("rojo=1,congo=x y=z")]
    [InlineData("rojo=1,CONGO=2")]
    public void ParseTraceState_AnyInvalidMember_DiscardsTheWholeHeader(string header)
        => Assert.Null(W3CTraceContext.ParseTraceState(["ok=1", header]));

    [Fact]
    public void ParseTraceState_KeyAndValueLengthLimits_AreExact()
    {
        string key256 = "k" + new string('a', 255);
        string tenant241 = "t" + new string('0', 240);
        string system14 = "s" + new string('1', 13);
        string value256 = new('v', 256);

        Assert.NotNull(W3CTraceContext.ParseTraceState([$"{key256}=1"]));
        Assert.Null(W3CTraceContext.ParseTraceState([$"{key256}a=1"]));
        Assert.NotNull(W3CTraceContext.ParseTraceState([$"{tenant241}@{system14}=1"]));
        Assert.Null(W3CTraceContext.ParseTraceState([$"{tenant241}0@{system14}=1"]));
        Assert.Null(W3CTraceContext.ParseTraceState([$"{tenant241}@{system14}1=1"]));
        Assert.NotNull(W3CTraceContext.ParseTraceState([$"a={value256}"]));
        Assert.Null(W3CTraceContext.ParseTraceState([$"a={value256}v"]));
    }

    [Fact]
    public void ParseTraceState_32Members_KeptAnd33Discarded()
    {
        string thirtyTwo = string.Join(',', Enumerable.Range(0, 32).Select(i => $"k{i}=v"));

        Assert.Equal(thirtyTwo, W3CTraceContext.ParseTraceState([thirtyTwo]));
        Assert.Null(W3CTraceContext.ParseTraceState([thirtyTwo + ",k32=v"]));
        Assert.Null(W3CTraceContext.ParseTraceState([thirtyTwo, "k32=v"]));
        Assert.Equal(thirtyTwo, W3CTraceContext.ParseTraceState([thirtyTwo + ",,, ,k0=again"]));
    }

    [Fact]
    public void ParseTraceState_MultipleHeaderValues_CombinedAsIfJoinedWithComma()
    {
        Assert.Equal("a=1,b=2,c=3", W3CTraceContext.ParseTraceState(["a=1", null, "", " b=2 ,c=3", "a=4"]));
    }

    [Fact]
    public void ParseTraceState_NothingThere_ReturnsNull()
    {
        Assert.Null(W3CTraceContext.ParseTraceState(null));
        Assert.Null(W3CTraceContext.ParseTraceState([]));
        Assert.Null(W3CTraceContext.ParseTraceState([null, ""]));
        Assert.Null(W3CTraceContext.ParseTraceState([" , ,\t"]));
    }

    [Fact]
    public void ParseTraceState_AlreadyNormalizedSingleHeader_ReturnsTheSameString()
    {
        string header = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

        Assert.Same(header, W3CTraceContext.ParseTraceState([header]));
    }

    [Fact]
    public void ParseTraceState_TenThousandMembersOrAMegabyteOrControlCharacters_ReturnsNullWithoutThrowing()
    {
        string tenThousand = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"k{i}=v"));
        string megabyteValue = "a=" + new string('v', 1 << 20);
        string megabyteOfCommas = new(',', 1 << 20);
        string controls = string.Concat(Enumerable.Range(0, 32).Select(i => (char)i)) + "\u007f=1";

        Assert.Null(W3CTraceContext.ParseTraceState([tenThousand]));
        Assert.Null(W3CTraceContext.ParseTraceState([megabyteValue]));
        Assert.Null(W3CTraceContext.ParseTraceState([megabyteOfCommas]));
        Assert.Null(W3CTraceContext.ParseTraceState([controls]));
        Assert.Null(W3CTraceContext.ParseTraceState(["a=1\r\n"]));
    }

    [Fact]
    public void TruncateTraceState_Short_ReturnsTheSameString()
    {
        string traceState = "rojo=1,congo=2";

        Assert.Same(traceState, W3CTraceContext.TruncateTraceState(traceState));
    }

    [Fact]
    public void TruncateTraceState_TooLong_RemovesEntriesLongerThan128FirstThenFromTheEnd()
    {
        string longA = "longa=" + new string('a', 200);
        string longB = "longb=" + new string('b', 200);
        string[] small = [.. Enumerable.Range(0, 20).Select(i => $"s{i:00}=" + new string('x', 20))]; // 24 chars each
        string traceState = string.Join(',', [small[0], longA, small[1], longB, .. small[2..]]);

        string truncated = W3CTraceContext.TruncateTraceState(traceState);

        // 20 small entries are 20 * 24 + 19 = 499 characters: both long entries go and every small one stays.
        Assert.Equal(string.Join(',', small), truncated);
        Assert.True(truncated.Length <= 512);
    }

    [Fact]
    public void TruncateTraceState_OneLongEntryEnough_KeepsTheOtherLongEntry()
    {
        string longA = "longa=" + new string('a', 200); // 206
        string longB = "longb=" + new string('b', 200); // 206
        string longC = "c=" + new string('x', 150); // 152, also longer than 128
        string shortOne = "t=1";
        string traceState = string.Join(',', longA, shortOne, longB); // 417: fits

        Assert.Same(traceState, W3CTraceContext.TruncateTraceState(traceState));
        Assert.Equal(string.Join(',', longA, shortOne, longB), W3CTraceContext.TruncateTraceState(string.Join(',', longA, shortOne, longB, longC)));
    }

    [Fact]
    public void TruncateTraceState_OnlyShortEntries_RemovesFromTheEndUntilItFits()
    {
        string[] entries = [.. Enumerable.Range(0, 40).Select(i => $"k{i:00}=" + new string('v', 16))]; // 20 chars each
        string traceState = string.Join(',', entries);

        string truncated = W3CTraceContext.TruncateTraceState(traceState);

        // 24 entries are 24 * 20 + 23 = 503 characters; 25 would be 524.
        Assert.Equal(string.Join(',', entries[..24]), truncated);
        Assert.Equal("k00=" + new string('v', 16), W3CTraceContext.TruncateTraceState(traceState, 20));
        Assert.Equal(string.Empty, W3CTraceContext.TruncateTraceState(traceState, 19));
    }

    [Fact]
    public void TruncateTraceState_HugeInput_StaysLinearAndFits()
    {
        string traceState = string.Join(',', Enumerable.Range(0, 100_000).Select(i => i % 2 == 0 ? $"k{i}=1" : $"k{i}=" + new string('v', 200)));

        string truncated = W3CTraceContext.TruncateTraceState(traceState);

        Assert.True(truncated.Length <= 512);
        Assert.StartsWith("k0=1,k2=1,k4=1", truncated, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncateTraceState_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => W3CTraceContext.TruncateTraceState(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => W3CTraceContext.TruncateTraceState("a=1", -1));
    }

    [Fact]
    public void ParseTraceState_AllPrintableAsciiValue_Accepted()
    {
        var value = new StringBuilder();
        for (char c = '!'; c <= '~'; c++)
        {
            if (c is not ',' and not '=')
            {
                value.Append(c);
            }
        }

        string header = "a=" + value;

        Assert.Equal(header, W3CTraceContext.ParseTraceState([header]));
    }

    [Fact]
    public void ParseTraceState_MoreThan64KiBOfPadding_IsDiscarded()
    {
        Assert.Null(W3CTraceContext.ParseTraceState(["a=1" + new string(',', 64 * 1024)]));
        Assert.Equal("a=1", W3CTraceContext.ParseTraceState(["a=1" + new string(',', 1000)]));
    }
}
