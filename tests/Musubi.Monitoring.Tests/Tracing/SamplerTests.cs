using System.Diagnostics;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class SamplerTests
{
    [Fact]
    public void AlwaysOn_ShouldSample_ReturnsTrue()
    {
        Assert.True(Sampler.AlwaysOn.ShouldSample(Root(ActivityTraceId.CreateRandom())));
        Assert.Equal("AlwaysOn", Sampler.AlwaysOn.Description);
    }

    [Fact]
    public void AlwaysOff_ShouldSample_ReturnsFalse()
    {
        Assert.False(Sampler.AlwaysOff.ShouldSample(Root(ActivityTraceId.CreateRandom())));
        Assert.Equal("AlwaysOff", Sampler.AlwaysOff.Description);
    }

    [Fact]
    public void TraceIdRatio_Zero_RecordsNone()
    {
        Sampler sampler = Sampler.TraceIdRatio(0);
        Assert.False(sampler.ShouldSample(Root(ActivityTraceId.CreateFromString("00000000000000000000000000000001"))));
        Assert.False(sampler.ShouldSample(Root(ActivityTraceId.CreateFromString("ffffffffffffffff0000000000000000"))));
        for (int i = 0; i < 1000; i++)
        {
            Assert.False(sampler.ShouldSample(Root(ActivityTraceId.CreateRandom())));
        }
    }

    [Fact]
    public void TraceIdRatio_One_RecordsAll()
    {
        Sampler sampler = Sampler.TraceIdRatio(1);
        Assert.True(sampler.ShouldSample(Root(ActivityTraceId.CreateFromString("ffffffffffffffffffffffffffffffff"))));
        Assert.True(sampler.ShouldSample(Root(ActivityTraceId.CreateFromString("00000000000000000000000000000001"))));
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(sampler.ShouldSample(Root(ActivityTraceId.CreateRandom())));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.PositiveInfinity)]
    public void TraceIdRatio_InvalidRatio_ThrowsArgumentOutOfRangeExceptionNamingTheValue(double ratio)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => Sampler.TraceIdRatio(ratio));
        Assert.Equal("ratio", e.ParamName);
        Assert.Equal(ratio, e.ActualValue);
        Assert.Contains(ratio.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceIdRatio_Quarter_RecordsAQuarterOfRandomTraces()
    {
        Sampler sampler = Sampler.TraceIdRatio(0.25);
        const int Traces = 20_000;
        int recorded = 0;
        for (int i = 0; i < Traces; i++)
        {
            if (sampler.ShouldSample(Root(ActivityTraceId.CreateRandom())))
            {
                recorded++;
            }
        }

        // The binomial standard deviation is 0.003; 0.02 is more than six of them.
        Assert.InRange((double)recorded / Traces, 0.23, 0.27);
    }

    [Fact]
    public void TraceIdRatio_SameTraceId_SameDecision()
    {
        Sampler first = Sampler.TraceIdRatio(0.5);
        Sampler second = Sampler.TraceIdRatio(0.5);
        for (int i = 0; i < 1000; i++)
        {
            ActivityTraceId traceId = ActivityTraceId.CreateRandom();
            bool decision = first.ShouldSample(Root(traceId));
            Assert.Equal(decision, first.ShouldSample(Root(traceId)));
            Assert.Equal(decision, second.ShouldSample(Root(traceId)));

            // Only the trace id decides: not the name or kind.
            Assert.Equal(decision, first.ShouldSample(new SamplingParameters(default, traceId, "other", ActivityKind.Server)));
        }
    }

    [Fact]
    public void TraceIdRatio_Description_IsInvariantUnderGermanCulture()
    {
        using var culture = new CultureScope("de-DE");
        Assert.Equal("TraceIdRatio{0.25}", Sampler.TraceIdRatio(0.25).Description);
        Assert.Equal("ParentBased{root=TraceIdRatio{0.25}}", Sampler.ParentBased(Sampler.TraceIdRatio(0.25)).ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParentBased_RemoteParent_FollowsItsSampledFlag(bool parentSampled)
    {
        var parent = new ActivityContext(
            ActivityTraceId.CreateRandom(),
            ActivitySpanId.CreateRandom(),
            parentSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            isRemote: true);
        var parameters = new SamplingParameters(parent, parent.TraceId, "op", ActivityKind.Server);

        // The root sampler says the opposite: the parent wins either way.
        Assert.Equal(parentSampled, Sampler.ParentBased(Sampler.AlwaysOff).ShouldSample(parameters));
        Assert.Equal(parentSampled, Sampler.ParentBased(Sampler.AlwaysOn).ShouldSample(parameters));
    }

    [Fact]
    public void ParentBased_Root_DelegatesToTheRootSampler()
    {
        SamplingParameters root = Root(ActivityTraceId.CreateRandom());
        Assert.True(Sampler.ParentBased(Sampler.AlwaysOn).ShouldSample(root));
        Assert.False(Sampler.ParentBased(Sampler.AlwaysOff).ShouldSample(root));
        var counting = new CountingSampler();
        Sampler.ParentBased(counting).ShouldSample(root);
        Assert.Equal(1, counting.Calls);
    }

    [Fact]
    public void ParentBased_NullRoot_ThrowsArgumentNullException()
        => Assert.Equal("root", Assert.Throws<ArgumentNullException>(() => Sampler.ParentBased(null!)).ParamName);

    private static SamplingParameters Root(ActivityTraceId traceId) => new(default, traceId, "op", ActivityKind.Internal);

    private sealed class CountingSampler : Sampler
    {
        public int Calls { get; private set; }

        public override string Description => "Counting";

        public override bool ShouldSample(in SamplingParameters parameters)
        {
            Calls++;
            return true;
        }
    }
}
