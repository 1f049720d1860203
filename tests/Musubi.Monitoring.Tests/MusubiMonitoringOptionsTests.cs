using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests;

public sealed class MusubiMonitoringOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new MusubiMonitoringOptions();
        Assert.Equal("unknown_service", options.ServiceName);
        Assert.Null(options.ServiceVersion);
        Assert.Null(options.Environment);
        Assert.NotNull(options.Metrics);
        Assert.Equal(2000, options.Metrics.CardinalityLimit);
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], options.Metrics.DefaultHistogramBuckets);
        Assert.Equal(MetricsOptions.PrometheusDefaultBuckets, options.Metrics.DefaultHistogramBuckets);
        Assert.Contains("Musubi.Monitoring*", options.Metrics.Meters);
        Assert.Equal("Musubi.Monitoring", options.Metrics.MeterName);
        Assert.Empty(options.Metrics.HistogramBuckets);
        Assert.Equal("x-correlation-id", options.Correlation.HeaderName);
    }

    [Fact]
    public void Ctor_DefaultBuckets_AreACopyNotTheSharedDefaults()
    {
        var options = new MusubiMonitoringOptions();
        options.Metrics.DefaultHistogramBuckets.Add(60);
        Assert.Equal(11, MetricsOptions.PrometheusDefaultBuckets.Count);
        Assert.Equal(11, new MusubiMonitoringOptions().Metrics.DefaultHistogramBuckets.Count);
    }

    [Fact]
    public async Task StartAsync_DefaultOptions_Starts()
    {
        using IHost host = BuildHost(_ => { });
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    public static TheoryData<string, string, string> InvalidOptions => new()
    {
        { "CardinalityLimit 0", "CardinalityLimit", "" },
        { "CardinalityLimit too high", "CardinalityLimit", "" },
        { "ServiceName empty", "ServiceName", "" },
        { "ServiceName null", "ServiceName", "" },
        { "buckets descending", "DefaultHistogramBuckets", "0.5" },
        { "buckets NaN", "DefaultHistogramBuckets", "NaN" },
        { "buckets empty", "DefaultHistogramBuckets", "empty" },
        { "meter entry empty", "Meters[1]", "" },
        { "meter entry blank", "Meters[0]", "" },
        { "override buckets descending", "HistogramBuckets[\"latency\"]", "1" },
        { "MeterName empty", "MeterName", "" },
        { "correlation header not a token", "Correlation.HeaderName", "x correlation" },
        { "correlation header is traceparent", "Correlation.HeaderName", "traceparent" },
        { "correlation header empty", "HeaderName", "" },
        { "correlation header Content-Length", "Correlation.HeaderName", "Content-Length" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task StartAsync_InvalidOptions_ThrowsOptionsValidationExceptionNamingTheOption(string scenario, string option, string value)
    {
        using IHost host = BuildHost(o =>
        {
            switch (scenario)
            {
                case "CardinalityLimit 0": o.Metrics.CardinalityLimit = 0; break;
                case "CardinalityLimit too high": o.Metrics.CardinalityLimit = 1_000_001; break;
                case "ServiceName empty": o.ServiceName = ""; break;
                case "ServiceName null": o.ServiceName = null!; break;
                case "buckets descending": o.Metrics.DefaultHistogramBuckets = [1, 0.5]; break;
                case "buckets NaN": o.Metrics.DefaultHistogramBuckets = [0.1, double.NaN]; break;
                case "buckets empty": o.Metrics.DefaultHistogramBuckets = []; break;
                case "meter entry empty": o.Metrics.Meters.Add(""); break;
                case "meter entry blank": o.Metrics.Meters[0] = "  "; break;
                case "override buckets descending": o.Metrics.HistogramBuckets["latency"] = [2, 1]; break;
                case "MeterName empty": o.Metrics.MeterName = ""; break;
                case "correlation header not a token": o.Correlation.HeaderName = "x correlation"; break;
                case "correlation header is traceparent": o.Correlation.HeaderName = "traceparent"; break;
                case "correlation header empty": o.Correlation.HeaderName = ""; break;
                case "correlation header Content-Length": o.Correlation.HeaderName = "Content-Length"; break;
                default: throw new ArgumentOutOfRangeException(nameof(scenario));
            }
        });

        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(MusubiMonitoringOptions), e.OptionsType);
    }

    [Fact]
    public async Task StartAsync_InvalidBucketsUnderGermanCulture_MessageUsesInvariantNumbers()
    {
        using var culture = new CultureScope("de-DE");
        using IHost host = BuildHost(o => o.Metrics.DefaultHistogramBuckets = [1.5, 0.5]);
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("is 0.5 after 1.5", e.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Action<MusubiMonitoringOptions> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring(o =>
        {
            // Isolated from meters of tests running in parallel.
            o.Metrics.MeterName = "Musubi.Tests.Options." + Guid.NewGuid().ToString("N");
            o.Metrics.Meters[0] = o.Metrics.MeterName + "*";
            configure(o);
        });
        return builder.Build();
    }
}
