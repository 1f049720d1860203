using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class MusubiTracerTests
{
    [Fact]
    public void StartSpan_KindAttributesLinksAndRemoteParent_AreRecordedAndExported()
    {
        using var harness = new TracingHarness();
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        Activity? span = harness.Tracer.StartSpan(
            "GET /orders/{id}",
            ActivityKind.Server,
            [new("http.request.method", "GET"), new("http.response.status_code", 200)],
            [new ActivityLink(linked)],
            parent);
        Assert.NotNull(span);
        Assert.Same(span, Activity.Current);
        span.Dispose();

        Assert.True(span.Recorded);
        Assert.Equal(harness.SourceName, span.Source.Name);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(parent.TraceId, span.TraceId);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.True(span.HasRemoteParent);
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(linked, Assert.Single(span.Links).Context);
        Assert.Same(span, Assert.Single(harness.Exporter.GetTrace(parent.TraceId)));
        Assert.Equal(1, harness.Tracer.ExportedSpans);
    }

    [Fact]
    public void StartSpan_InsideAnotherSpan_ChildGetsTheParent()
    {
        using var harness = new TracingHarness();
        using Activity parent = harness.Tracer.StartSpan("parent")!;
        using Activity child = harness.Tracer.StartSpan("child")!;

        Assert.Same(parent, child.Parent);
        Assert.Equal(parent.TraceId, child.TraceId);
        Assert.Equal(parent.SpanId, child.ParentSpanId);
        Assert.False(child.HasRemoteParent);
    }

    [Fact]
    public void StartSpan_EventsAndStatus_AreExported()
    {
        using var harness = new TracingHarness();
        Activity span = harness.Tracer.StartSpan("op")!;
        span.AddEvent(new ActivityEvent("cache-miss", tags: new ActivityTagsCollection { ["key"] = "order:1" }));
        span.SetStatus(ActivityStatusCode.Error, "no stock");
        span.Dispose();

        Activity exported = Assert.Single(harness.Exporter.GetTrace(span.TraceId));
        ActivityEvent e = Assert.Single(exported.Events);
        Assert.Equal("cache-miss", e.Name);
        Assert.Equal("order:1", Assert.Single(e.Tags).Value);
        Assert.Equal(ActivityStatusCode.Error, exported.Status);
        Assert.Equal("no stock", exported.StatusDescription);
    }

    [Fact]
    public void AddException_OnASpan_RecordsAnExceptionEventWithTypeMessageAndStackTrace()
    {
        using var harness = new TracingHarness();
        Activity span = harness.Tracer.StartSpan("op")!;
        span.AddException(Thrown(new InvalidOperationException("card declined")));
        span.Dispose();

        AssertExceptionEvent(Assert.Single(harness.Exporter.GetTrace(span.TraceId)), typeof(InvalidOperationException), "card declined");
    }

    public static TheoryData<string> TraceVariants => ["sync", "sync-result", "async", "async-result"];

    [Theory]
    [MemberData(nameof(TraceVariants))]
    public async Task Trace_BodyReturns_SpanIsCurrentInsideOnlyAndEndsOk(string variant)
    {
        using var harness = new TracingHarness();
        Activity? before = Activity.Current;
        Activity? seen = null;
        bool currentInside = false;

        int result = await Run(harness.Tracer, variant, span =>
        {
            seen = span;
            currentInside = span is not null && ReferenceEquals(Activity.Current, span);
            return 42;
        });

        Assert.Equal(variant.EndsWith("result", StringComparison.Ordinal) ? 42 : 0, result);
        Assert.NotNull(seen);
        Assert.True(currentInside, "The span is not Activity.Current inside the body.");
        Assert.Same(before, Activity.Current);
        Assert.True(seen.IsStopped);
        Assert.Equal(ActivityStatusCode.Ok, seen.Status);
        Assert.Equal("op", Assert.Single(harness.Exporter.GetTrace(seen.TraceId)).DisplayName);
    }

    [Theory]
    [MemberData(nameof(TraceVariants))]
    public async Task Trace_BodyThrows_SpanEndsErrorWithExceptionEventAndRethrows(string variant)
    {
        using var harness = new TracingHarness();
        Activity? before = Activity.Current;
        Activity? seen = null;

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(harness.Tracer, variant, span =>
        {
            seen = span;
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", e.Message);
        Assert.NotNull(seen);
        Assert.Same(before, Activity.Current);
        Assert.True(seen.IsStopped);
        Assert.Equal(ActivityStatusCode.Error, seen.Status);
        Assert.Equal("boom", seen.StatusDescription);
        AssertExceptionEvent(Assert.Single(harness.Exporter.GetTrace(seen.TraceId)), typeof(InvalidOperationException), "boom");
    }

    [Fact]
    public void Trace_BodySetsItsOwnStatus_IsKept()
    {
        using var harness = new TracingHarness();
        Activity? seen = null;
        harness.Tracer.Trace("op", span =>
        {
            seen = span;
            span!.SetStatus(ActivityStatusCode.Error, "handled");
        });

        Assert.Equal(ActivityStatusCode.Error, seen!.Status);
        Assert.Equal("handled", seen.StatusDescription);
    }

    [Fact]
    public async Task Trace_NullBody_ThrowsArgumentNullException()
    {
        using var harness = new TracingHarness();
        Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => harness.Tracer.Trace("op", null!)).ParamName);
        Assert.Equal("body", Assert.Throws<ArgumentNullException>(() => harness.Tracer.Trace<int>("op", null!)).ParamName);
        Assert.Equal("body", (await Assert.ThrowsAsync<ArgumentNullException>(() => harness.Tracer.TraceAsync("op", null!))).ParamName);
        Assert.Equal("body", (await Assert.ThrowsAsync<ArgumentNullException>(() => harness.Tracer.TraceAsync<int>("op", null!))).ParamName);
    }

    [Fact]
    public void GetTrace_TwoTraces_ReturnsExactlyThatTracesSpansOrderedByStart()
    {
        using var harness = new TracingHarness();
        var t0 = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        ActivityTraceId traceId;
        using (Activity root = harness.Tracer.StartSpan("root")!)
        {
            root.SetStartTime(t0);
            traceId = root.TraceId;
            Activity first = harness.Tracer.StartSpan("first")!;
            first.SetStartTime(t0.AddMilliseconds(1));
            Activity second = harness.Tracer.StartSpan("second", parent: root.Context)!;
            second.SetStartTime(t0.AddMilliseconds(2));

            // Ended in the reverse order of their start.
            second.Dispose();
            first.Dispose();
        }

        using (harness.Tracer.StartSpan("other-root", parent: default))
        {
        }

        Assert.Equal(4, harness.Exporter.GetFinishedSpans().Count);
        Assert.Equal(["root", "first", "second"], harness.Exporter.GetTrace(traceId).Select(s => s.DisplayName));
        Assert.All(harness.Exporter.GetTrace(traceId), s => Assert.Equal(traceId, s.TraceId));
        Assert.Empty(harness.Exporter.GetTrace(ActivityTraceId.CreateRandom()));
    }

    [Fact]
    public void StartSpan_AlwaysOff_ReturnsASpanThatIsNeitherRecordedNorExportedButPropagates()
    {
        using var harness = new TracingHarness(o => o.Tracing.Sampler = Sampler.AlwaysOff);
        Activity? span = harness.Tracer.StartSpan("op");
        Assert.NotNull(span);
        Activity? child = harness.Tracer.StartSpan("child");
        Assert.NotNull(child);
        child.Dispose();
        span.Dispose();

        Assert.False(span.Recorded);
        Assert.False(span.IsAllDataRequested);
        Assert.Equal(span.TraceId, child.TraceId);
        Assert.Equal(span.SpanId, child.ParentSpanId);
        Assert.False(child.Recorded);
        Assert.Empty(harness.Exporter.GetTrace(span.TraceId));
        Assert.Equal(0, harness.Tracer.ExportedSpans);
    }

    [Fact]
    public void StartSpan_TracingDisabled_ReturnsNull()
    {
        using var harness = new TracingHarness(o => o.Tracing.Enabled = false);
        Assert.Null(harness.Tracer.StartSpan("op"));
        int ran = 0;
        harness.Tracer.Trace("op", span =>
        {
            Assert.Null(span);
            ran++;
        });
        Assert.Equal(1, ran);
        Assert.Empty(harness.Exporter.GetFinishedSpans());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task StartSpan_BadName_ThrowsArgumentException(string? name)
    {
        using var harness = new TracingHarness();
        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => harness.Tracer.StartSpan(name!)).ParamName);
        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => harness.Tracer.Trace(name!, _ => { })).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Tracer.TraceAsync(name!, _ => Task.CompletedTask))).ParamName);
    }

    [Fact]
    public async Task StartSpan_AfterDispose_ThrowsObjectDisposedException()
    {
        using var harness = new TracingHarness();
        await harness.Tracer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => harness.Tracer.StartSpan("op"));

        // Disposing again (as the provider will) does nothing.
        harness.Tracer.Dispose();
    }

    [Fact]
    public void AddActivitySource_Pattern_RecordsMatchingForeignSourcesOnly()
    {
        string prefix = "Other" + Guid.NewGuid().ToString("N");
        using var harness = new TracingHarness(build: b => b.AddActivitySource(prefix + ".*"));
        using var matching = new ActivitySource(prefix + ".Lib");
        using var notMatching = new ActivitySource("Another" + prefix + ".Lib");

        Activity? recorded = matching.StartActivity("from-lib");
        Assert.NotNull(recorded);
        recorded.Dispose();
        Activity? ignored = notMatching.StartActivity("not-ours");

        Assert.True(recorded.Recorded);
        Assert.Same(recorded, Assert.Single(harness.Exporter.GetTrace(recorded.TraceId)));
        Assert.Null(ignored);
        Assert.Single(harness.Exporter.GetFinishedSpans());
    }

    [Fact]
    public void StartSpan_SamplerThrows_ReturnsAnUnrecordedSpanWithoutThrowing()
    {
        using var harness = new TracingHarness(o => o.Tracing.Sampler = new ThrowingSampler());
        Activity? span = harness.Tracer.StartSpan("op");
        Assert.NotNull(span);
        span.Dispose();

        Assert.False(span.Recorded);
        Assert.Empty(harness.Exporter.GetTrace(span.TraceId));
    }

    [Fact]
    public void StartSpan_InsideCorrelationContextWithRemoteParent_JoinsThatTrace()
    {
        using var harness = new TracingHarness();
        Activity.Current = null;
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("job-7", remoteParent: remote));

        using Activity? span = harness.Tracer.StartSpan("work");
        using Activity? child = harness.Tracer.StartSpan("child");

        Assert.Equal(remote.TraceId, span!.TraceId);
        Assert.Equal(remote.SpanId, span.ParentSpanId);
        Assert.Equal(span.SpanId, child!.ParentSpanId);
    }

    [Fact]
    public void Trace_ExceptionWhoseMessageThrows_TheApplicationsExceptionIsRethrown()
    {
        using var harness = new TracingHarness();
        string? traceId = null;

        Exception? caught = null;
        try
        {
            harness.Tracer.Trace("x", span =>
            {
                traceId = span!.TraceId.ToHexString();
                throw new EvilException();
            });
        }
        catch (Exception ex)
        {
            caught = ex;   // (xUnit's Assert.Throws reads Message, which this exception refuses)
        }

        Assert.IsType<EvilException>(caught);

        Activity span = Assert.Single(harness.Exporter.GetTrace(ActivityTraceId.CreateFromString(traceId)));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    private sealed class EvilException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message getter throws");
    }

    private static async Task<int> Run(MusubiTracer tracer, string variant, Func<Activity?, int> body)
    {
        switch (variant)
        {
            case "sync":
                tracer.Trace("op", span => body(span));
                return 0;
            case "sync-result":
                return tracer.Trace("op", body);
            case "async":
                await tracer.TraceAsync("op", async span =>
                {
                    await Task.Yield();
                    body(span);
                });
                return 0;
            case "async-result":
                return await tracer.TraceAsync("op", async span =>
                {
                    await Task.Yield();
                    return body(span);
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, null);
        }
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private static void AssertExceptionEvent(Activity span, Type type, string message)
    {
        ActivityEvent e = Assert.Single(span.Events, e => e.Name == "exception");
        Dictionary<string, object?> tags = e.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(type.FullName, tags["exception.type"]);
        Assert.Equal(message, tags["exception.message"]);
        string stackTrace = Assert.IsType<string>(tags["exception.stacktrace"]);
        Assert.Contains(" at ", stackTrace, StringComparison.Ordinal);
    }

    private sealed class ThrowingSampler : Sampler
    {
        public override string Description => "Throwing";

        public override bool ShouldSample(in SamplingParameters parameters) => throw new InvalidOperationException("sampler bug");
    }
}
