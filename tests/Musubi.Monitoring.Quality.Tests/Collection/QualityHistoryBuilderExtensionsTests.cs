using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Musubi.Monitoring.Quality.Tests.QualitySamples;

namespace Musubi.Monitoring.Quality.Tests.Collection;

public sealed class QualityHistoryBuilderExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void AddQualityHistory_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>("builder", () => QualityHistoryBuilderExtensions.AddQualityHistory(null!));

    [Fact]
    public void AddQualityHistory_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IQualitySource>(new ScriptedSource(TimeProvider.System, 80m));

        services.AddMusubiMonitoring()
            .AddQualityHistory(o => o.Interval = TimeSpan.FromMinutes(5))
            .AddQualityHistory(o => o.CollectOnStart = false);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(QualityCollector));
        Assert.Single(services, d => d.ServiceType == typeof(IQualityHistoryStore));
        Assert.Single(services, d => d.ImplementationType == typeof(QualityCollectorHostedService));
        QualityHistoryOptions options = provider.GetRequiredService<IOptions<QualityHistoryOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(5), false), (options.Interval, options.CollectOnStart));
        Assert.Same(provider.GetRequiredService<QualityCollector>(), provider.GetRequiredService<QualityCollector>());
        Assert.IsType<InMemoryQualityHistoryStore>(provider.GetRequiredService<IQualityHistoryStore>());
    }

    [Fact]
    public void AddQualityHistory_WithAddQuality_AlertsOnAddQualitysThresholds()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring()
            .AddQuality(o =>
            {
                o.Sources.Add(new ScriptedSource(TimeProvider.System, 80m));
                o.Thresholds.Add(new QualityThreshold(QualityMetrics.LineCoverage, 90m, 75m));
            })
            .AddQualityHistory();
        using ServiceProvider provider = services.BuildServiceProvider();

        IReadOnlyList<QualityThreshold> thresholds = provider.GetRequiredService<QualityCollector>().Thresholds;

        Assert.Equal(provider.GetRequiredService<QualityConfiguration>().Thresholds.Thresholds, thresholds);
        Assert.Contains(new QualityThreshold(QualityMetrics.LineCoverage, 90m, 75m), thresholds);
    }

    [Fact]
    public void AddQualityHistory_OwnThresholds_WinOverAddQualitys()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring()
            .AddQuality(o => o.Sources.Add(new ScriptedSource(TimeProvider.System, 80m)))
            .AddQualityHistory(o => o.Thresholds.Add(new QualityThreshold(QualityMetrics.LineCoverage, 95m, 85m)));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal([new QualityThreshold(QualityMetrics.LineCoverage, 95m, 85m)], provider.GetRequiredService<QualityCollector>().Thresholds);
    }

    [Fact]
    public void AddQualityHistory_WithoutAddQuality_AlertsOnTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IQualitySource>(new ScriptedSource(TimeProvider.System, 80m));
        services.AddMusubiMonitoring().AddQualityHistory();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(QualityThresholds.Defaults, provider.GetRequiredService<QualityCollector>().Thresholds);
    }

    [Fact]
    public void AddQualityHistory_StoreRegisteredBefore_KeepsIt()
    {
        var services = new ServiceCollection();
        var store = new FlakyStore();
        services.AddSingleton<IQualityHistoryStore>(store);

        services.AddMusubiMonitoring().AddQualityHistory();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IQualityHistoryStore>());
    }

    [Fact]
    public async Task Host_InvalidOptions_FailsToStartNamingTheOption()
    {
        using IHost host = Build(o => o.Interval = TimeSpan.Zero, new FakeTimeProvider(T0));

        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains("QualityHistoryOptions.Interval is 00:00:00", e.Message);
    }

    [Fact]
    public async Task Host_NoQualitySource_FailsToStartSayingSo()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring().AddQualityHistory();
        using IHost host = builder.Build();

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Token));

        Assert.Contains("IQualitySource", e.Message);
    }

    [Fact]
    public async Task Host_StartedAndStopped_CollectsOnTheTimerAndRaisesAlertsToRegisteredSinks()
    {
        var time = new FakeTimeProvider(T0);
        var sink = new RecordingSink();
        using IHost host = Build(o => o.Interval = TimeSpan.FromMinutes(30), time, new ScriptedSource(time, 90m, 70m, 70m), sink);
        QualityCollector collector = host.Services.GetRequiredService<QualityCollector>();

        await host.StartAsync(Token);
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);
        time.Advance(TimeSpan.FromMinutes(30));
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);
        time.Advance(TimeSpan.FromMinutes(30));
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);
        await host.StopAsync(Token);
        time.Advance(TimeSpan.FromHours(5));

        IReadOnlyList<QualitySnapshot> stored = await host.Services.GetRequiredService<IQualityHistoryStore>().GetLatestAsync(100, Token);
        Assert.Equal(3, stored.Count);
        QualityAlert alert = Assert.Single(sink.Alerts);
        Assert.Equal((QualityStatus.Healthy, QualityStatus.Warning, T0.AddMinutes(30)), (alert.PreviousStatus, alert.Status, alert.Timestamp));
        Assert.False(collector.IsStarted);
    }

    private static IHost Build(Action<QualityHistoryOptions> configure, FakeTimeProvider time, IQualitySource? source = null, IQualityAlertSink? sink = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(source ?? new ScriptedSource(time, 80m));
        if (sink is not null)
        {
            builder.Services.AddSingleton(sink);
        }

        builder.Services.AddMusubiMonitoring().AddQualityHistory(configure);
        return builder.Build();
    }
}
