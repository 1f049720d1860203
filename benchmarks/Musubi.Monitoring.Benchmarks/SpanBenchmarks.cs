using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Tracing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// One span started and ended (<c>using var span = …</c>) on a recorded, sampled path: Musubi's
/// <c>MusubiTracer.StartSpan("op")</c> (default options, without an exporter and with a no-op exporter behind the
/// batch queue) against the runtime floor, a bare <see cref="ActivitySource"/> whose only listener samples
/// <see cref="ActivitySamplingResult.AllDataAndRecorded"/> and does nothing when a span stops, and the
/// OpenTelemetry SDK's tracer provider. Target: Musubi ≤ 1.1 × the bare source.
/// </summary>
[MemoryDiagnoser]
public class SpanBenchmarks
{
    private ActivitySource? _bareSource;
    private ActivityListener? _bareListener;
    private ServiceProvider? _musubiServices;
    private MusubiTracer _tracer = null!;
    private ActivitySource? _otelSource;
    private TracerProvider? _otelProvider;

    [GlobalSetup(Target = nameof(BareActivitySource))]
    public void SetupBare()
    {
        _bareSource = new ActivitySource("Bench.Bare");
        _bareListener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _bareSource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => { },
        };
        ActivitySource.AddActivityListener(_bareListener);
        Require(() =>
        {
            using Activity? span = _bareSource.StartActivity("op");
            return span;
        });
    }

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi() => SetupMusubi("Bench.Musubi", exporter: null);

    [GlobalSetup(Target = nameof(MusubiBatchedExporter))]
    public void SetupMusubiBatched() => SetupMusubi("Bench.MusubiBatched", new NoOpSpanExporter());

    [GlobalSetup(Target = nameof(OpenTelemetrySdk))]
    public void SetupOpenTelemetry()
    {
        _otelSource = new ActivitySource("Bench.Otel");
        _otelProvider = Sdk.CreateTracerProviderBuilder().AddSource("Bench.Otel").Build();
        Require(() =>
        {
            using Activity? span = _otelSource.StartActivity("op");
            return span;
        });
    }

    [GlobalSetup(Target = nameof(OpenTelemetrySdkBatchedExporter))]
    public void SetupOpenTelemetryBatched()
    {
        // The peer of MusubiBatchedExporter: OpenTelemetry's BatchActivityExportProcessor (its defaults: 2048 queue,
        // 512 per batch, 5 s delay) in front of an exporter that does nothing.
        _otelSource = new ActivitySource("Bench.OtelBatched");
        _otelProvider = Sdk.CreateTracerProviderBuilder()
            .AddSource("Bench.OtelBatched")
            .AddProcessor(new BatchActivityExportProcessor(new NoOpOtelExporter()))
            .Build();
        Require(() =>
        {
            using Activity? span = _otelSource.StartActivity("op");
            return span;
        });
    }

    [Benchmark(Baseline = true)]
    public void BareActivitySource()
    {
        using Activity? span = _bareSource!.StartActivity("op");
    }

    [Benchmark]
    public void Musubi()
    {
        using Activity? span = _tracer.StartSpan("op");
    }

    [Benchmark]
    public void MusubiBatchedExporter()
    {
        using Activity? span = _tracer.StartSpan("op");
    }

    [Benchmark]
    public void OpenTelemetrySdk()
    {
        using Activity? span = _otelSource!.StartActivity("op");
    }

    [Benchmark]
    public void OpenTelemetrySdkBatchedExporter()
    {
        using Activity? span = _otelSource!.StartActivity("op");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bareListener?.Dispose();
        _bareSource?.Dispose();
        _musubiServices?.Dispose();
        _otelProvider?.Dispose();
        _otelSource?.Dispose();
    }

    /// <summary>Default options but its own source name, so the cases can share a process (<see cref="SpanCheck"/>).</summary>
    private void SetupMusubi(string sourceName, ISpanExporter? exporter)
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring(o => o.Tracing.ActivitySourceName = sourceName);
        if (exporter is not null)
        {
            builder.AddSpanExporter(exporter);
        }

        _musubiServices = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _tracer = _musubiServices.GetRequiredService<MusubiTracer>();
        Require(() =>
        {
            using Activity? span = _tracer.StartSpan("op");
            return span;
        });
    }

    /// <summary>Throws unless the case really starts a recorded span: a benchmark of nothing is worse than none.</summary>
    private static void Require(Func<Activity?> start)
    {
        Activity? span = start();
        if (span is not { Recorded: true, IsStopped: true })
        {
            throw new InvalidOperationException("The benchmark case did not start and stop a recorded span.");
        }
    }

    private sealed class NoOpOtelExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class NoOpSpanExporter : ISpanExporter
    {
        public Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
