using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class HistogramBucketsTests
{
    [Theory]
    [InlineData(new[] { 1d })]
    [InlineData(new[] { -1, 0, 0.5 })]
    [InlineData(new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 })]
    public void Validate_AscendingFinite_IsNull(double[] bounds)
        => Assert.Null(HistogramBuckets.Validate(bounds, "b"));

    [Theory]
    [InlineData(new[] { 1, 0.5 }, "b[1] is 0.5 after 1")]
    [InlineData(new[] { 1d, 1 }, "b[1] is 1 after 1")]
    [InlineData(new[] { 0.1, double.NaN }, "b[1] is NaN")]
    [InlineData(new[] { double.NegativeInfinity, 1 }, "b[0] is -Infinity")]
    [InlineData(new[] { 1, double.PositiveInfinity }, "b[1] is Infinity")]
    [InlineData(new double[0], "b is empty")]
    public void Validate_Invalid_NamesTheBadValue(double[] bounds, string expected)
        => Assert.StartsWith(expected, HistogramBuckets.Validate(bounds, "b"), StringComparison.Ordinal);

    [Fact]
    public void Validate_Null_SaysSo()
        => Assert.StartsWith("b is null", HistogramBuckets.Validate(null, "b"), StringComparison.Ordinal);

    [Fact]
    public void Require_Valid_ReturnsACopy()
    {
        double[] bounds = [1, 2];
        double[] copy = HistogramBuckets.Require(bounds, "b");
        Assert.Equal(bounds, copy);
        Assert.NotSame(bounds, copy);
    }

    [Fact]
    public void Require_Invalid_ThrowsArgumentExceptionWithParamName()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => HistogramBuckets.Require([2, 1], "buckets"));
        Assert.Equal("buckets", e.ParamName);
    }
}
