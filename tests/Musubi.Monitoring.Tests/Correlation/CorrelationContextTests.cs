using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Tests.Correlation;

public sealed class CorrelationContextTests
{
    [Fact]
    public async Task Current_FlowsThroughAwaitAndTaskRun()
    {
        var context = new CorrelationContext("flow-1", [new("k", "v")]);
        using (CorrelationContext.Begin(context))
        {
            await Task.Yield();
            Assert.Same(context, CorrelationContext.Current);
            CorrelationContext? onPool = await Task.Run(() => CorrelationContext.Current, TestContext.Current.CancellationToken);
            Assert.Same(context, onPool);
            await Task.Delay(1, TestContext.Current.CancellationToken);
            Assert.Equal("v", CorrelationContext.Current!.GetBaggage("k"));
        }

        Assert.Null(CorrelationContext.Current);
    }

    [Fact]
    public async Task Begin_InsideTaskRun_DoesNotLeakToTheCaller()
    {
        using IDisposable outer = CorrelationContext.Begin(new CorrelationContext("outer"));

        await Task.Run(() =>
        {
            CorrelationContext.Begin(new CorrelationContext("inner"));
            Assert.Equal("inner", CorrelationContext.Current!.CorrelationId);
        }, TestContext.Current.CancellationToken);

        Assert.Equal("outer", CorrelationContext.Current!.CorrelationId);
    }

    [Fact]
    public void Begin_Nested_DisposeRestoresPrevious()
    {
        using (CorrelationContext.Begin(new CorrelationContext("a")))
        {
            IDisposable inner = CorrelationContext.Begin(new CorrelationContext("b"));
            Assert.Equal("b", CorrelationContext.Current!.CorrelationId);
            inner.Dispose();
            inner.Dispose();
            Assert.Equal("a", CorrelationContext.Current!.CorrelationId);
        }
    }

    [Fact]
    public void CurrentTraceId_PrefersActivityThenRemoteParent()
    {
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using (CorrelationContext.Begin(new CorrelationContext("t", remoteParent: remote)))
        {
            Assert.Equal(remote.TraceId, CorrelationContext.CurrentTraceId);
            using Activity activity = new Activity("x").SetIdFormat(ActivityIdFormat.W3C).Start();
            Assert.Equal(activity.TraceId, CorrelationContext.CurrentTraceId);
        }
    }

    [Fact]
    public void WithBaggage_ReplacesAndKeepsTheOriginal()
    {
        var context = new CorrelationContext("c", [new("a", "1"), new("b", "2")]);

        CorrelationContext changed = context.WithBaggage("a", "3");

        Assert.Equal("1", context.GetBaggage("a"));
        Assert.Equal("3", changed.GetBaggage("a"));
        Assert.Equal("2", changed.GetBaggage("b"));
        Assert.Null(changed.GetBaggage("A"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    [InlineData("\u0001")]
    public void Constructor_InvalidCorrelationId_ThrowsNamingIt(string id)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new CorrelationContext(id));
        Assert.Equal("correlationId", error.ParamName);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new CorrelationContext(null!));
        Assert.Throws<ArgumentException>(() => new CorrelationContext("x", [new("", "v")]));
        Assert.Throws<ArgumentNullException>(() => CorrelationContext.Begin(null!));
        Assert.Throws<ArgumentNullException>(() => new CorrelationContext("x").GetBaggage(null!));
    }

    [Fact]
    public void CorrelationIds_ValidityAndGeneration()
    {
        Assert.True(CorrelationIds.IsValid("order-42:retry/1+x=y@z_"));
        Assert.False(CorrelationIds.IsValid((string?)null));
        Assert.False(CorrelationIds.IsValid(new string('a', CorrelationIds.MaxLength + 1)));
        Assert.True(CorrelationIds.IsValid(new string('a', CorrelationIds.MaxLength)));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        string first = CorrelationIds.Generate(time);
        time.Advance(TimeSpan.FromMilliseconds(5));
        string second = CorrelationIds.Generate(time);
        Assert.True(CorrelationIds.IsValid(first));
        Assert.True(string.CompareOrdinal(first, second) < 0, "version-7 ids are ordered by time");
        Assert.Throws<ArgumentNullException>(() => CorrelationIds.Generate(null!));
    }

    [Theory]
    [InlineData("congo=t61rcWkgMzE\r\nX-Injected: yes")]
    [InlineData("a=\u00e9")]
    public void Constructor_InvalidTraceState_IsDropped(string traceState)
    {
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        var context = new CorrelationContext("c", remoteParent: remote, traceState: traceState);

        Assert.Null(context.TraceState);
        Assert.Null(context.RemoteParent.TraceState);
        Assert.Equal(remote.TraceId, context.RemoteParent.TraceId);
    }

    [Fact]
    public void Constructor_ValidTraceState_TravelsWithTheRemoteParent()
    {
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=1", isRemote: true);

        var context = new CorrelationContext("c", remoteParent: remote);

        Assert.Equal("vendor=1", context.TraceState);
        Assert.Equal("vendor=1", context.RemoteParent.TraceState);
    }

    [Fact]
    public void Constructor_NullBaggageValue_ThrowsNamingTheKey()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new CorrelationContext("c", [new("tenant", null!)]));
        Assert.Contains("tenant", error.Message, StringComparison.Ordinal);
    }
}
