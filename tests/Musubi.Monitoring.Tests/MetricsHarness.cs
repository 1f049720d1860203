using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests;

/// <summary>
/// A service provider with the Musubi core, isolated from every other test: its meter names are unique to it
/// (a <see cref="MeterListener"/> sees every meter in the process, so shared names would leak measurements
/// between tests running in parallel), and its clock is a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class MetricsHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public MetricsHarness(Action<MusubiMonitoringOptions>? configure = null, string? meterPrefix = null)
    {
        MeterPrefix = meterPrefix ?? "Musubi.Tests." + Guid.NewGuid().ToString("N");
        Time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddMusubiMonitoring(o =>
        {
            o.Metrics.Meters.Clear();
            o.Metrics.Meters.Add(MeterPrefix + "*");
            o.Metrics.MeterName = MeterPrefix + ".Convenience";
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Collector = _provider.GetRequiredService<MusubiMetricsCollector>();
        Metrics = _provider.GetRequiredService<MusubiMetrics>();
        Meter = _provider.GetRequiredService<IMeterFactory>().Create(MeterPrefix);
    }

    /// <summary>The prefix every meter of this harness starts with (the collector listens to <c>prefix*</c>).</summary>
    public string MeterPrefix { get; }

    public FakeTimeProvider Time { get; }

    public MusubiMetricsCollector Collector { get; }

    public MusubiMetrics Metrics { get; }

    /// <summary>A meter the collector listens to.</summary>
    public Meter Meter { get; }

    public IServiceProvider Services => _provider;

    /// <summary>Creates another meter the collector listens to.</summary>
    public Meter CreateMeter(string suffix) => _provider.GetRequiredService<IMeterFactory>().Create(MeterPrefix + "." + suffix);

    public string Scrape(ExpositionFormat format) => Scrape(Collector, format);

    public MetricsSnapshot Collect() => Collector.Collect();

    public static string Scrape(MusubiMetricsCollector collector, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        collector.Write(buffer, format);
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer.WrittenSpan);
    }

    public void Dispose() => _provider.Dispose();
}
