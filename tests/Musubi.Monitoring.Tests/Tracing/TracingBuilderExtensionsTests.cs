using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class TracingBuilderExtensionsTests
{
    [Fact]
    public async Task AddSpanExporterOfT_CalledTwice_ExportsEachSpanOnce()
    {
        using var harness = new TracingHarness(build: b => b.AddSpanExporter<CountingExporter>().AddSpanExporter<CountingExporter>());
        Activity span = harness.Tracer.StartSpan("op")!;
        span.Dispose();
        await harness.Tracer.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["op"], harness.Services.GetRequiredService<CountingExporter>().Names);
    }

    [Fact]
    public async Task AddSpanExporter_SameInstanceTwice_ExportsEachSpanOnce()
    {
        var exporter = new RecordingExporter();
        using var harness = new TracingHarness(build: b => b.AddSpanExporter(exporter).AddSpanExporter(exporter));
        harness.Tracer.StartSpan("op")!.Dispose();
        await harness.Tracer.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["op"], exporter.Names);
    }

    [Fact]
    public void AddInMemorySpanExporter_CalledTwice_RegistersOneExporter()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddInMemorySpanExporter(5).AddInMemorySpanExporter(7);
        Assert.Single(services, d => d.ServiceType == typeof(InMemorySpanExporter));
        Assert.Single(services, d => d.ServiceType == typeof(SpanExporterRegistration));

        using var harness = new TracingHarness(build: b => b.AddInMemorySpanExporter(7));
        Assert.Equal(10_000, harness.Exporter.Capacity);
        Activity span = harness.Tracer.StartSpan("op")!;
        span.Dispose();
        Assert.Same(span, Assert.Single(harness.Exporter.GetFinishedSpans()));
        Assert.Equal(1, harness.Tracer.ExportedSpans);
    }

    [Fact]
    public void AddActivitySource_CalledTwice_AddsTheSourceOnce()
    {
        using var harness = new TracingHarness(build: b => b.AddActivitySource("Lib.A", "Lib.B").AddActivitySource("Lib.A"));
        MusubiMonitoringOptions options = harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MusubiMonitoringOptions>>().Value;
        Assert.Equal(["Lib.A", "Lib.B"], options.Tracing.Sources);
    }

    [Fact]
    public void TracingBuilderExtensions_NullArguments_ThrowArgumentNullException()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddSpanExporter<CountingExporter>()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddSpanExporter(new RecordingExporter())).ParamName);
        Assert.Equal("exporter", Assert.Throws<ArgumentNullException>(() => builder.AddSpanExporter(null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddInMemorySpanExporter()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddConsoleSpanExporter()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((MusubiMonitoringBuilder)null!).AddActivitySource("a")).ParamName);
        Assert.Equal("sourceNames", Assert.Throws<ArgumentNullException>(() => builder.AddActivitySource(null!)).ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void AddActivitySource_BadName_ThrowsArgumentException(string? name)
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();
        Assert.Equal("sourceNames", Assert.ThrowsAny<ArgumentException>(() => builder.AddActivitySource("ok", name!)).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void AddInMemorySpanExporter_CapacityOutOfRange_ThrowsArgumentOutOfRangeException(int capacity)
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddInMemorySpanExporter(capacity)).ParamName);
    }

    [Fact]
    public async Task MusubiTracer_Counters_AppearInTheMetricsSnapshot()
    {
        var exporter = new RecordingExporter();
        using var harness = new TracingHarness(build: b => b.AddSpanExporter(exporter));
        harness.Tracer.StartSpan("op")!.Dispose();
        await harness.Tracer.FlushAsync(TestContext.Current.CancellationToken);

        MetricsSnapshot snapshot = harness.Services.GetRequiredService<MusubiMetricsCollector>().Collect();

        // One span reached two exporters: the in-memory one and the batched one.
        Assert.Equal(2, snapshot.Find("musubi_tracing_spans_exported")?.Sum());
        Assert.Equal(0, snapshot.Find("musubi_tracing_spans_failed")?.Sum());
        Assert.Equal(0, snapshot.Find("musubi_tracing_spans_dropped")?.Sum());
    }

    [Fact]
    public async Task Host_Stop_FlushesABatchedExporter()
    {
        var exporter = new RecordingExporter();
        string sourceName = "Test." + Guid.NewGuid().ToString("N");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMusubiMonitoring(o =>
        {
            o.Tracing.ActivitySourceName = sourceName;
            o.Metrics.MeterName = sourceName + ".Meter";
            o.Metrics.Meters[0] = o.Metrics.MeterName + "*";

            // Neither a full batch nor the delay exports the span: only the flush on stop can.
            o.Tracing.Batch.ScheduledDelay = TimeSpan.FromHours(1);
        }).AddSpanExporter(exporter);
        using IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        using (var source = new ActivitySource(sourceName))
        {
            source.StartActivity("before-stop")!.Dispose();
        }

        Assert.Empty(exporter.Names);
        await host.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["before-stop"], exporter.Names);
    }

    private sealed class CountingExporter : RecordingExporter;
}
