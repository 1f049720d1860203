using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests;

public sealed class MusubiMonitoringServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMusubiMonitoring_NullServices_ThrowsArgumentNullException()
        => Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddMusubiMonitoring()).ParamName);

    [Fact]
    public void AddMusubiMonitoring_ReturnsBuilderOnTheSameServices()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
        Assert.Same(services, builder.Services);
    }

    [Fact]
    public void AddMusubiMonitoring_CalledTwice_RegistersEveryServiceOnce()
    {
        var once = new ServiceCollection();
        once.AddMusubiMonitoring(o => o.ServiceName = "a");
        var twice = new ServiceCollection();
        twice.AddMusubiMonitoring(o => o.ServiceName = "a");
        twice.AddMusubiMonitoring(o => o.ServiceVersion = "2");
        twice.AddMusubiMonitoring();

        // The only extra registration is the second configure delegate.
        Assert.Equal(once.Count + 1, twice.Count);
        Dictionary<Type, int> onceCounts = once.GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Count());
        Dictionary<Type, int> twiceCounts = twice.GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(onceCounts.Keys.OrderBy(t => t.FullName), twiceCounts.Keys.OrderBy(t => t.FullName));
        foreach ((Type type, int count) in onceCounts)
        {
            int expected = type == typeof(IConfigureOptions<MusubiMonitoringOptions>) ? count + 1 : count;
            Assert.True(expected == twiceCounts[type], $"{type} is registered {twiceCounts[type]} times, expected {expected}.");
        }

        foreach (Type single in new[] { typeof(MusubiMetricsCollector), typeof(MusubiMetrics), typeof(TimeProvider), typeof(IMeterFactory) })
        {
            Assert.Single(twice, d => d.ServiceType == single);
        }

        Assert.Single(twice, d => d.ServiceType == typeof(Musubi.Monitoring.Tracing.MusubiTracer));

        // Metrics start-up and tracing lifetime; data annotations, metrics rules and tracing rules.
        Assert.Equal(2, twice.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.Equal(3, twice.Count(d => d.ServiceType == typeof(IValidateOptions<MusubiMonitoringOptions>)));
    }

    [Fact]
    public void AddMusubiMonitoring_CalledTwice_BothConfigureDelegatesApplyInOrder()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o =>
        {
            o.ServiceName = "first";
            o.ServiceVersion = "1";
        });
        services.AddMusubiMonitoring(o => o.ServiceName = "second");
        using ServiceProvider provider = services.BuildServiceProvider();
        MusubiMonitoringOptions options = provider.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value;
        Assert.Equal("second", options.ServiceName);
        Assert.Equal("1", options.ServiceVersion);
    }

    [Fact]
    public void AddMusubiMonitoring_HostTimeProvider_IsKept()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);
        services.AddMusubiMonitoring();
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void AddMusubiMonitoring_NoHostTimeProvider_UsesSystem()
    {
        using ServiceProvider provider = new ServiceCollection().AddMusubiMonitoring().Services.BuildServiceProvider();
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddMusubiMonitoring_ResolvesSingletons()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o =>
        {
            o.Metrics.MeterName = "Musubi.Tests.Di." + Guid.NewGuid().ToString("N");
            o.Metrics.Meters.Clear();
        });
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Same(provider.GetRequiredService<MusubiMetricsCollector>(), provider.GetRequiredService<MusubiMetricsCollector>());
        Assert.Same(provider.GetRequiredService<MusubiMetrics>(), provider.GetRequiredService<MusubiMetrics>());
    }

    [Fact]
    public async Task Host_Start_CollectsMeasurementsRecordedBeforeTheFirstScrape()
    {
        string meterName = "Musubi.Tests.Host." + Guid.NewGuid().ToString("N");
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring(o =>
        {
            o.Metrics.Meters.Clear();
            o.Metrics.MeterName = meterName + ".Convenience";
        }).AddMeter(meterName);
        using IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        // Recorded before anyone resolved the collector: the hosted service created it at start.
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("early_jobs", null, "Jobs.").Add(4);
        Assert.Equal(4, host.Services.GetRequiredService<MusubiMetricsCollector>().Collect().Find("early_jobs")!.Sum());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
