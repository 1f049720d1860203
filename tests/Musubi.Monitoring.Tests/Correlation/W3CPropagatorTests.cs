using System.Diagnostics;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Tests.Correlation;

public sealed class W3CPropagatorTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";
    private const string Valid = "00-" + TraceId + "-" + SpanId + "-01";

    private readonly W3CPropagator _propagator = new();

    [Fact]
    public void Fields_Always_TraceParentTraceStateAndBaggage()
        => Assert.Equal(["traceparent", "tracestate", "baggage"], _propagator.Fields);

    [Theory]
    [InlineData(Valid, Valid)]
    [InlineData("00-" + TraceId + "-" + SpanId + "-00", "00-" + TraceId + "-" + SpanId + "-00")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-03", Valid)]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01-what-the-future-will-be-like", Valid)]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01", Valid)]
    [InlineData("  " + Valid + " ", Valid)]
    public void ExtractTraceIdAndState_ValidTraceParent_ReturnsVersion00Form(string traceParent, string expected)
    {
        Headers headers = new() { ["traceparent"] = [traceParent], ["tracestate"] = ["rojo=1, congo=2"] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);

        Assert.Equal(expected, traceId);
        Assert.Equal("rojo=1,congo=2", traceState);
        Assert.True(ActivityContext.TryParse(traceId, traceState, isRemote: true, out ActivityContext context));
        Assert.Equal(TraceId, context.TraceId.ToHexString());
    }

    [Fact]
    public void ExtractTraceIdAndState_NormalizedVersion00_ReturnsTheSameString()
    {
        Headers headers = new() { ["traceparent"] = [Valid] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out _);

        Assert.Same(Valid, traceId);
    }

    [Theory]
    [InlineData("00x12345678901234567890123456789012x1234567890123456x01")]
    [InlineData("ff-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-01-extra")]
    [InlineData("")]
    public void ExtractTraceIdAndState_InvalidTraceParent_NeitherTraceIdNorState(string traceParent)
    {
        Headers headers = new() { ["traceparent"] = [traceParent], ["tracestate"] = ["rojo=1"] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);

        Assert.Null(traceId);
        Assert.Null(traceState);
    }

    [Fact]
    public void ExtractTraceIdAndState_TwoTraceParentValues_Neither()
    {
        Headers headers = new() { ["traceparent"] = [Valid, Valid], ["tracestate"] = ["rojo=1"] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);

        Assert.Null(traceId);
        Assert.Null(traceState);
    }

    [Fact]
    public void ExtractTraceIdAndState_InvalidTraceState_DroppedAndTraceParentKept()
    {
        Headers headers = new() { ["traceparent"] = [Valid], ["tracestate"] = ["rojo=1", "BAD=2"] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);

        Assert.Equal(Valid, traceId);
        Assert.Null(traceState);
    }

    [Fact]
    public void ExtractTraceIdAndState_SeveralTraceStateValues_Combined()
    {
        Headers headers = new() { ["traceparent"] = [Valid], ["tracestate"] = ["rojo=1", "congo=2,rojo=3"] };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out _, out string? traceState);

        Assert.Equal("rojo=1,congo=2", traceState);
    }

    [Fact]
    public void ExtractTraceIdAndState_SingleValueGetter_Works()
    {
        _propagator.ExtractTraceIdAndState(
            null,
            (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                values = null;
                value = name == "traceparent" ? Valid : name == "tracestate" ? "a=1" : null;
            },
            out string? traceId,
            out string? traceState);

        Assert.Equal(Valid, traceId);
        Assert.Equal("a=1", traceState);
    }

    [Fact]
    public void ExtractTraceIdAndState_NullGetterOrNoHeaders_Nothing()
    {
        _propagator.ExtractTraceIdAndState(new Headers(), null, out string? traceId, out string? traceState);
        Assert.Null(traceId);
        Assert.Null(traceState);

        _propagator.ExtractTraceIdAndState(new Headers(), Headers.Getter, out traceId, out traceState);
        Assert.Null(traceId);
        Assert.Null(traceState);
    }

    [Fact]
    public void ExtractBaggage_Header_ParsedMembers()
    {
        Headers headers = new() { ["baggage"] = ["userId=Am%C3%A9lie;p", "serverNode=DF%2028"] };

        IEnumerable<KeyValuePair<string, string?>>? baggage = _propagator.ExtractBaggage(headers, Headers.Getter);

        Assert.Equal([new("userId", "Amélie"), new("serverNode", "DF 28")], baggage!);
    }

    [Fact]
    public void ExtractBaggage_NoneOrNullGetter_Null()
    {
        Assert.Null(_propagator.ExtractBaggage(new Headers(), Headers.Getter));
        Assert.Null(_propagator.ExtractBaggage(new Headers { ["baggage"] = ["junk"] }, Headers.Getter));
        Assert.Null(_propagator.ExtractBaggage(new Headers(), null));
    }

    [Fact]
    public void Inject_W3CActivity_WritesTraceParentTruncatedTraceStateAndBaggage()
    {
        using var activity = new Activity("outgoing");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.SetParentId(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(SpanId), ActivityTraceFlags.Recorded);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        string longEntries = string.Join(',', Enumerable.Range(1, 3).Select(i => $"long{i}=" + new string('x', 250)));
        activity.TraceStateString = "rojo=1," + longEntries;
        activity.AddBaggage("b", "2 3");
        activity.AddBaggage("a", "1");
        activity.Start();
        var headers = new Headers();

        _propagator.Inject(activity, headers, Headers.Setter);

        Assert.Equal($"00-{TraceId}-{activity.SpanId.ToHexString()}-01", Assert.Single(headers["traceparent"]));
        Assert.Equal("rojo=1,long1=" + new string('x', 250), Assert.Single(headers["tracestate"]));   // long ones go first, from the end
        Assert.Equal("a=1,b=2%203", Assert.Single(headers["baggage"]));
    }

    [Theory]
    [InlineData("congo=t61rcWkgMzE\r\nX-Injected: yes")]
    [InlineData("a=\u00e9")]
    public void Inject_InvalidTraceState_IsNotWritten(string traceState)
    {
        using var activity = new Activity("outgoing");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = traceState;
        activity.Start();
        var headers = new Headers();

        _propagator.Inject(activity, headers, Headers.Setter);

        Assert.Equal(["traceparent"], headers.Keys);
    }

    [Fact]
    public void Inject_NoTraceStateOrBaggage_OnlyTraceParent()
    {
        using var activity = new Activity("outgoing");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.Start();
        var headers = new Headers();

        _propagator.Inject(activity, headers, Headers.Setter);

        Assert.Equal(["traceparent"], headers.Keys);
        Assert.EndsWith("-00", headers["traceparent"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_HierarchicalActivity_OnlyBaggage()
    {
        using var activity = new Activity("outgoing");
        activity.SetIdFormat(ActivityIdFormat.Hierarchical);
        activity.AddBaggage("a", "1");
        activity.Start();
        var headers = new Headers();

        _propagator.Inject(activity, headers, Headers.Setter);

        Assert.Equal(["baggage"], headers.Keys);
    }

    [Fact]
    public void Inject_NullActivityOrSetterOrUnstartedActivity_WritesNothingAndDoesNotThrow()
    {
        var headers = new Headers();
        using var unstarted = new Activity("never started");
        unstarted.SetIdFormat(ActivityIdFormat.W3C);

        _propagator.Inject(null, headers, Headers.Setter);
        _propagator.Inject(unstarted, headers, null);
        _propagator.Inject(unstarted, headers, Headers.Setter);

        Assert.Empty(headers);
    }

    [Fact]
    public void ExtractTraceIdAndState_FutureVersion_CreateActivityGetsTheExpectedParent()
    {
        using var source = new ActivitySource("Musubi.Monitoring.Tests.W3CPropagator");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        Headers headers = new()
        {
            ["traceparent"] = ["cc-" + TraceId + "-" + SpanId + "-01-what-the-future-will-be-like"],
            ["tracestate"] = ["rojo=1"],
        };

        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);
        using Activity? activity = source.CreateActivity("incoming", ActivityKind.Server, traceId!);
        Assert.NotNull(activity);
        activity.TraceStateString = traceState;
        activity.Start();

        Assert.Equal(TraceId, activity.TraceId.ToHexString());
        Assert.Equal(SpanId, activity.ParentSpanId.ToHexString());
        Assert.Equal(ActivityIdFormat.W3C, activity.IdFormat);
        Assert.Equal(traceId, activity.ParentId);
        Assert.True(activity.Recorded);
        Assert.Equal("rojo=1", activity.TraceStateString);
    }

    [Fact]
    public void Inject_ThenExtract_RoundTripsThroughTheRuntimeApis()
    {
        using var activity = new Activity("outgoing");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = "rojo=1";
        activity.AddBaggage("user", "Amélie, 50%");
        activity.Start();
        var headers = new Headers();

        _propagator.Inject(activity, headers, Headers.Setter);
        _propagator.ExtractTraceIdAndState(headers, Headers.Getter, out string? traceId, out string? traceState);
        IEnumerable<KeyValuePair<string, string?>>? baggage = _propagator.ExtractBaggage(headers, Headers.Getter);

        Assert.Equal(activity.Id, traceId);
        Assert.Equal("rojo=1", traceState);
        Assert.Equal([new("user", "Amélie, 50%")], baggage!);
    }

    private sealed class Headers : Dictionary<string, List<string>>
    {
        public Headers()
            : base(StringComparer.OrdinalIgnoreCase)
        {
        }

        public static void Getter(object? carrier, string name, out string? value, out IEnumerable<string>? values)
        {
            value = null;
            values = ((Headers)carrier!).TryGetValue(name, out List<string>? found) ? found : null;
        }

        public static void Setter(object? carrier, string name, string value)
        {
            var headers = (Headers)carrier!;
            if (!headers.TryGetValue(name, out List<string>? list))
            {
                headers[name] = list = [];
            }

            list.Add(value);
        }
    }
}
