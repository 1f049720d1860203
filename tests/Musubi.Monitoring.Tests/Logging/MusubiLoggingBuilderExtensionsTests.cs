using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Logging;
using static Musubi.Monitoring.Tests.Logging.LoggingTestSupport;

namespace Musubi.Monitoring.Tests.Logging;

public sealed class MusubiLoggingBuilderExtensionsTests
{
    [Fact]
    public void AddConsoleLogging_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => MusubiLoggingBuilderExtensions.AddConsoleLogging(null!));

    [Fact]
    public void AddFileLogging_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => MusubiLoggingBuilderExtensions.AddFileLogging(null!, _ => { }));

    [Fact]
    public void AddFileLogging_NullConfigure_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddMusubiMonitoring().AddFileLogging(null!));

    [Fact]
    public void AddConsoleLogging_CalledTwice_RegistersOnceAndAppliesBothConfigures()
    {
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
        Assert.Same(builder, builder.AddConsoleLogging());
        builder.AddConsoleLogging(o => o.Format = LogFormat.Text);
        int count = services.Count;
        builder.AddConsoleLogging();
        Assert.Equal(count, services.Count);

        Assert.Single(services, d => d.ServiceType == typeof(ILoggerProvider));
        Assert.Single(services, d => d.ServiceType == typeof(MusubiConsoleLoggerProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ConsoleLoggingOptions>));
        using ServiceProvider provider = services.AddLogging().BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<MusubiConsoleLoggerProvider>(), Assert.Single(provider.GetServices<ILoggerProvider>()));
        Assert.Equal(LogFormat.Text, provider.GetRequiredService<IOptions<ConsoleLoggingOptions>>().Value.Format);
    }

    [Fact]
    public void AddFileLogging_CalledTwice_RegistersOnceAndAppliesBothConfigures()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection();
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
        Assert.Same(builder, builder.AddFileLogging(o => o.Path = directory.Combine("app.log")));
        builder.AddFileLogging(o => o.QueueCapacity = 7);

        Assert.Single(services, d => d.ServiceType == typeof(ILoggerProvider));
        Assert.Single(services, d => d.ServiceType == typeof(MusubiFileLoggerProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(FileLoggingFlushService));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IValidateOptions<FileLoggingOptions>)));
        using ServiceProvider provider = services.AddLogging().BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<MusubiFileLoggerProvider>(), Assert.Single(provider.GetServices<ILoggerProvider>()));
        FileLoggingOptions options = provider.GetRequiredService<IOptions<FileLoggingOptions>>().Value;
        Assert.Equal(directory.Combine("app.log"), options.Path);
        Assert.Equal(7, options.QueueCapacity);
    }

    [Fact]
    public async Task StopAsync_HostWithFileLogging_FlushesEveryRecordBeforeDispose()
    {
        using var directory = new TempDirectory();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(Clock());
        builder.Services.AddMusubiMonitoring(o => o.ServiceName = "host-test")
            .AddFileLogging(o => o.Path = directory.Combine("app.log"));
        using IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        ILogger logger = host.Services.GetRequiredService<ILogger<MusubiLoggingBuilderExtensionsTests>>();
        for (int i = 0; i < 1000; i++)
        {
            logger.LogInformation("Record {Sequence}", i);
        }

        await host.StopAsync(TestContext.Current.CancellationToken);

        // Stopped, not yet disposed: the records are on disk already.
        string category = $"\"category\":\"{typeof(MusubiLoggingBuilderExtensionsTests).FullName}\"";
        string[] lines = [.. ReadLines(directory.Combine("app.20261203.log")).Where(l => l.Contains(category, StringComparison.Ordinal))];
        Assert.Equal(1000, lines.Length);
        Assert.Contains("\"service.name\":\"host-test\"", lines[0]);
    }
}
