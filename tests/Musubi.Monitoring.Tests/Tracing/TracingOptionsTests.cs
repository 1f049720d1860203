using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class TracingOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new TracingOptions();
        Assert.True(options.Enabled);
        Assert.Equal("Musubi.Monitoring", options.ActivitySourceName);
        Assert.Equal(MusubiTracer.DefaultActivitySourceName, options.ActivitySourceName);
        Assert.Empty(options.Sources);
        Assert.Equal("ParentBased{root=AlwaysOn}", options.Sampler.Description);
        Assert.Equal(2048, options.Batch.MaxQueueSize);
        Assert.Equal(512, options.Batch.MaxExportBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Batch.ScheduledDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Batch.ExportTimeout);
        Assert.Equal(SpanQueueFullPolicy.DropNewest, options.Batch.FullQueuePolicy);
        Assert.Same(options.Sampler.GetType(), new MusubiMonitoringOptions().Tracing.Sampler.GetType());
    }

    [Fact]
    public async Task StartAsync_DefaultTracingOptions_Starts()
    {
        using IHost host = BuildHost(_ => { });
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    // Data-annotation failures name the option and the allowed range, not the value (as for the metrics options);
    // the cross-field rules name the values.
    public static TheoryData<string, string, string> InvalidOptions => new()
    {
        { "batch larger than queue", "MaxExportBatchSize is 600", "MaxQueueSize 500" },
        { "source entry empty", "Sources[1]", "empty" },
        { "source entry blank", "Sources[0]", "empty" },
        { "MaxQueueSize 0", "Batch.MaxQueueSize", "is 0; use 1 to 1,000,000" },
        { "MaxExportBatchSize 0", "MaxExportBatchSize", "is 0; use 1 to 1,000,000" },
        { "ScheduledDelay 0", "Batch.ScheduledDelay", "is 00:00:00; use 1 ms to 1 hour" },
        { "ExportTimeout 2h", "Batch.ExportTimeout", "is 02:00:00; use 1 ms to 1 hour" },
        { "FullQueuePolicy undefined", "Batch.FullQueuePolicy", "is 9, not a SpanQueueFullPolicy" },
        { "ActivitySourceName empty", "Tracing.ActivitySourceName", "required" },
        { "Sampler null", "Tracing.Sampler", "required" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task StartAsync_InvalidOptions_ThrowsOptionsValidationExceptionNamingTheOptionAndValue(string scenario, string option, string value)
    {
        Action<TracingOptions> configure = scenario switch
        {
            "batch larger than queue" => t => (t.Batch.MaxQueueSize, t.Batch.MaxExportBatchSize) = (500, 600),
            "source entry empty" => t => t.Sources.Add(""),
            "source entry blank" => t => t.Sources.Add("  "),
            "MaxQueueSize 0" => t => (t.Batch.MaxQueueSize, t.Batch.MaxExportBatchSize) = (0, 0),
            "MaxExportBatchSize 0" => t => t.Batch.MaxExportBatchSize = 0,
            "ScheduledDelay 0" => t => t.Batch.ScheduledDelay = TimeSpan.Zero,
            "ExportTimeout 2h" => t => t.Batch.ExportTimeout = TimeSpan.FromHours(2),
            "FullQueuePolicy undefined" => t => t.Batch.FullQueuePolicy = (SpanQueueFullPolicy)9,
            "ActivitySourceName empty" => t => t.ActivitySourceName = "",
            "Sampler null" => t => t.Sampler = null!,
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        using IHost host = BuildHost(o =>
        {
            if (scenario == "source entry empty")
            {
                o.Tracing.Sources.Add("Valid.*");
            }

            configure(o.Tracing);
        });

        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(MusubiMonitoringOptions), e.OptionsType);
    }

    [Fact]
    public void Value_InvalidOptions_ThrowsWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o => o.Tracing.Batch.ScheduledDelay = TimeSpan.Zero);
        using ServiceProvider provider = services.BuildServiceProvider();
        OptionsValidationException e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value);
        Assert.Contains("ScheduledDelay", e.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Action<MusubiMonitoringOptions> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring(o =>
        {
            // Isolated from listeners and meters of tests running in parallel.
            o.Tracing.ActivitySourceName = "Test." + Guid.NewGuid().ToString("N");
            o.Metrics.MeterName = o.Tracing.ActivitySourceName + ".Meter";
            o.Metrics.Meters[0] = o.Metrics.MeterName + "*";
            configure(o);
        });
        return builder.Build();
    }
}
