using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

public sealed class ExpositionFormatTests
{
    [Fact]
    public void Negotiate_Prometheus242AcceptHeader_IsOpenMetrics()
        => Assert.Equal(ExpositionFormat.OpenMetrics, ExpositionFormats.Negotiate(
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));

    [Theory]
    [InlineData("application/json", ExpositionFormat.Json)]
    [InlineData("Application/JSON; charset=utf-8", ExpositionFormat.Json)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;version=0.0.4", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=\"1.0.0\"", ExpositionFormat.OpenMetrics)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    public void Negotiate_SingleMediaType_PicksIt(string accept, ExpositionFormat expected)
        => Assert.Equal(expected, ExpositionFormats.Negotiate(accept));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("garbage")]
    [InlineData(";;;,,,===")]
    [InlineData("image/png")]
    [InlineData("application/openmetrics-text;version=2.0.0")]
    [InlineData("application/json;q=0")]
    [InlineData("application/json;q=abc")]
    public void Negotiate_MissingGarbageOrUnsupported_IsPrometheusText(string? accept)
        => Assert.Equal(ExpositionFormat.PrometheusText, ExpositionFormats.Negotiate(accept));

    [Theory]
    [InlineData("text/plain;q=0.9,application/json", ExpositionFormat.Json)]
    [InlineData("application/json;q=0.5,application/openmetrics-text;version=1.0.0;q=0.8", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.3", ExpositionFormat.PrometheusText)]
    [InlineData("application/json;q=0.4, text/plain;q=0.3, */*;q=0.1", ExpositionFormat.Json)]
    [InlineData("application/openmetrics-text;version=0.0.1,application/json;q=0.5", ExpositionFormat.Json)]
    public void Negotiate_QualityValues_HighestWins(string accept, ExpositionFormat expected)
        => Assert.Equal(expected, ExpositionFormats.Negotiate(accept));

    [Theory]
    [InlineData("application/json, application/openmetrics-text;version=1.0.0", ExpositionFormat.Json)]
    [InlineData("application/openmetrics-text;version=1.0.0, application/json", ExpositionFormat.OpenMetrics)]
    public void Negotiate_EqualQuality_FirstListedWins(string accept, ExpositionFormat expected)
        => Assert.Equal(expected, ExpositionFormats.Negotiate(accept));

    [Fact]
    public void ContentType_EachFormat_IsItsMediaType()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ExpositionFormats.ContentType(ExpositionFormat.PrometheusText));
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormats.ContentType(ExpositionFormat.OpenMetrics));
        Assert.Equal("application/json; charset=utf-8", ExpositionFormats.ContentType(ExpositionFormat.Json));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpositionFormats.ContentType((ExpositionFormat)9));
    }

    [Fact]
    public void Negotiate_GermanCulture_ParsesQualityInvariantly()
    {
        using var culture = new CultureScope("de-DE");
        Assert.Equal(ExpositionFormat.Json, ExpositionFormats.Negotiate("text/plain;q=0.5,application/json;q=0.75"));
    }
}
