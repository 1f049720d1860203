using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("requests", "requests")]
    [InlineData("http.server.request.duration", "http_server_request_duration")]
    [InlineData("queue-depth", "queue_depth")]
    [InlineData("a..b--c", "a_b_c")]
    [InlineData("a__b", "a_b")]
    [InlineData("2xx.responses", "_2xx_responses")]
    [InlineData("café.orders", "caf_orders")]
    [InlineData("über", "_ber")]
    [InlineData("Requests.Total", "Requests_Total")]
    [InlineData("a b\tc", "a_b_c")]
    [InlineData("job:rate", "job_rate")]
    public void SanitizeMetricName_Name_MapsToPrometheusCharacters(string name, string expected)
        => Assert.Equal(expected, PrometheusNaming.SanitizeMetricName(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("___")]
    [InlineData("日本")]
    public void SanitizeMetricName_NothingUsable_ReturnsNull(string? name)
        => Assert.Null(PrometheusNaming.SanitizeMetricName(name));

    [Theory]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("user-id", "user_id")]
    [InlineData("1st", "_1st")]
    [InlineData("__name__", "_name_")]
    [InlineData("__reserved", "_reserved")]
    [InlineData("naïve", "na_ve")]
    public void SanitizeLabelName_Name_MapsToPrometheusLabelAndAvoidsReservedPrefix(string name, string expected)
    {
        string? sanitized = PrometheusNaming.SanitizeLabelName(name);
        Assert.Equal(expected, sanitized);
        Assert.False(sanitized!.StartsWith("__", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("ÄÖ")]
    public void SanitizeLabelName_NothingUsable_ReturnsNull(string? name)
        => Assert.Null(PrometheusNaming.SanitizeLabelName(name));

    [Theory]
    [InlineData("s", "seconds")]
    [InlineData("ms", "milliseconds")]
    [InlineData("us", "microseconds")]
    [InlineData("ns", "nanoseconds")]
    [InlineData("min", "minutes")]
    [InlineData("h", "hours")]
    [InlineData("d", "days")]
    [InlineData("By", "bytes")]
    [InlineData("KiBy", "kibibytes")]
    [InlineData("MBy", "megabytes")]
    [InlineData("m", "meters")]
    [InlineData("Cel", "celsius")]
    [InlineData("%", "percent")]
    [InlineData("m/s", "meters_per_second")]
    [InlineData("By/s", "bytes_per_second")]
    [InlineData("widgets", "widgets")]
    public void UnitSuffix_UcumUnit_MapsToWord(string unit, string expected)
        => Assert.Equal(expected, PrometheusNaming.UnitSuffix(unit, isGauge: false));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("{request}")]
    [InlineData("{packet}")]
    public void UnitSuffix_NoneOrAnnotationOnly_ReturnsNull(string? unit)
    {
        Assert.Null(PrometheusNaming.UnitSuffix(unit, isGauge: false));
        Assert.Null(PrometheusNaming.UnitSuffix(unit, isGauge: true));
    }

    [Fact]
    public void UnitSuffix_One_IsRatioOnGaugesOnly()
    {
        Assert.Equal("ratio", PrometheusNaming.UnitSuffix("1", isGauge: true));
        Assert.Null(PrometheusNaming.UnitSuffix("1", isGauge: false));
    }

    // The OpenTelemetry collector's translator (normalize_name.go) drops the annotation and keeps "per_second".
    [Theory]
    [InlineData("{request}/s", "per_second")]
    [InlineData("{packet}/s", "per_second")]
    public void UnitSuffix_AnnotationPerUnit_IsPerUnitWord(string unit, string expected)
        => Assert.Equal(expected, PrometheusNaming.UnitSuffix(unit, isGauge: false));

    [Fact]
    public void FamilyName_AnnotationPerSecondUnit_EndsWithPerSecond()
        => Assert.Equal("http_requests_per_second", PrometheusNaming.FamilyName("http.requests", "{request}/s", isCounter: false, isGauge: true));

    [Theory]
    [InlineData("requests", "{request}", true, false, "requests")]
    [InlineData("requests_total", null, true, false, "requests")]
    [InlineData("requests.total", null, true, false, "requests")]
    [InlineData("http.server.request.duration", "s", false, false, "http_server_request_duration_seconds")]
    [InlineData("duration_seconds", "s", false, false, "duration_seconds")]
    [InlineData("network.io", "By", true, false, "network_io_bytes")]
    [InlineData("io_bytes_total", "By", true, false, "io_bytes")]
    [InlineData("cpu.utilization", "1", false, true, "cpu_utilization_ratio")]
    [InlineData("cache.hit_ratio", "1", false, true, "cache_hit_ratio")]
    [InlineData("retries", "1", true, false, "retries")]
    [InlineData("speed", "m/s", false, true, "speed_meters_per_second")]
    [InlineData("queue.size_total", null, false, true, "queue_size_total")]
    public void FamilyName_NameAndUnit_BuildsFamilyWithoutTotal(string name, string? unit, bool isCounter, bool isGauge, string expected)
        => Assert.Equal(expected, PrometheusNaming.FamilyName(name, unit, isCounter, isGauge));

    [Theory]
    [InlineData("_total")]
    [InlineData("!!!")]
    public void FamilyName_NothingLeft_ReturnsNull(string name)
        => Assert.Null(PrometheusNaming.FamilyName(name, null, isCounter: true, isGauge: false));
}
