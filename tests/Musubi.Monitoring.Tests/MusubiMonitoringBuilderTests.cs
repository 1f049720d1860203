using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests;

public sealed class MusubiMonitoringBuilderTests
{
    [Fact]
    public void AddMeter_NullArray_ThrowsArgumentNullException()
        => Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddMusubiMonitoring().AddMeter(null!));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public void AddMeter_EmptyName_ThrowsArgumentException(string? name)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddMusubiMonitoring().AddMeter("Ok", name!));
        Assert.Equal("meterNames", e.ParamName);
    }

    [Fact]
    public void AddMeter_Names_AreAddedToOptionsAndCollected()
    {
        string prefix = "Musubi.Tests.Builder." + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring(o =>
        {
            o.Metrics.Meters.Clear();
            o.Metrics.MeterName = prefix + ".Convenience";
        });
        Assert.Same(builder, builder.AddMeter(prefix + ".Exact", prefix + ".Wild.*"));
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal([prefix + ".Exact", prefix + ".Wild.*"], provider.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value.Metrics.Meters);

        var collector = provider.GetRequiredService<MusubiMetricsCollector>();
        using var exact = new Meter(prefix + ".Exact");
        using var wild = new Meter(prefix + ".Wild.Child");
        using var other = new Meter(prefix + ".Other");
        exact.CreateCounter<long>("exact_things").Add(1);
        wild.CreateCounter<long>("wild_things").Add(1);
        other.CreateCounter<long>("other_things").Add(1);
        MetricsSnapshot snapshot = collector.Collect();
        Assert.NotNull(snapshot.Find("exact_things"));
        Assert.NotNull(snapshot.Find("wild_things"));
        Assert.Null(snapshot.Find("other_things"));
    }
}
