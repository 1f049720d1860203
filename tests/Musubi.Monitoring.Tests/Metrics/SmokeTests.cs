using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class SmokeTests
{
    [Fact]
    public void Write_CounterAndHistogram_PrintsExposition()
    {
        using ServiceProvider provider = new ServiceCollection().AddMusubiMonitoring(o => o.Metrics.Meters.Add("Test.*")).Services.BuildServiceProvider();
        var collector = provider.GetRequiredService<MusubiMetricsCollector>();
        var factory = provider.GetRequiredService<IMeterFactory>();
        Meter meter = factory.Create("Test.Smoke");
        Counter<long> counter = meter.CreateCounter<long>("requests", "{request}", "Requests served");
        counter.Add(2, new KeyValuePair<string, object?>("a", "x"), new("b", 1));
        counter.Add(3, new KeyValuePair<string, object?>("b", "1"), new("a", "x"));
        Histogram<double> h = meter.CreateHistogram<double>("latency", "s", "Latency");
        h.Record(0.02);
        h.Record(3);
        var metrics = provider.GetRequiredService<MusubiMetrics>();
        metrics.Counter("jobs", "Jobs done", "kind").WithLabels("x").Inc();
        metrics.RecordRequest("GET", "/api/{id}", 200, TimeSpan.FromMilliseconds(12));

        foreach (ExpositionFormat format in Enum.GetValues<ExpositionFormat>())
        {
            var buffer = new ArrayBufferWriter<byte>();
            collector.Write(buffer, format);
            string text = Encoding.UTF8.GetString(buffer.WrittenSpan);
            TestContext.Current.TestOutputHelper!.WriteLine(text);
            Assert.Contains("requests", text);
        }
    }
}
