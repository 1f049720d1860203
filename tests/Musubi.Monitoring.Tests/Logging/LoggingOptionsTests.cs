using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Logging;

namespace Musubi.Monitoring.Tests.Logging;

public sealed class LoggingOptionsTests
{
    [Fact]
    public void FileLoggingOptions_Defaults_AreDocumentedValues()
    {
        var options = new FileLoggingOptions();
        Assert.Null(options.Path);
        Assert.Equal(LogFormat.Json, options.Format);
        Assert.Equal(10L * 1024 * 1024, options.FileSizeLimitBytes);
        Assert.Equal(LogRollInterval.Day, options.RollInterval);
        Assert.Equal(31, options.RetainedFileCountLimit);
        Assert.Equal(10_000, options.QueueCapacity);
        Assert.Equal(LogQueueFullMode.Block, options.FullMode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownTimeout);
    }

    [Fact]
    public void ConsoleLoggingOptions_Defaults_AreDocumentedValues() => Assert.Equal(LogFormat.Json, new ConsoleLoggingOptions().Format);

    /// <summary>A file name of 256 characters: over the 255 that file systems allow, before the date and sequence are added.</summary>
    private static readonly string LongFileNamePath = "logs/" + new string('n', 252) + ".log";

    private static readonly string LongDirectoryNamePath = "logs/" + new string('d', 256) + "/app.log";

    public static TheoryData<string, string, string> InvalidFileOptions => new()
    {
        { "Path null", "Path", "required" },
        { "Path blank", "Path", "required" },
        { "Path NUL", "Path", "logs/a\\u0000b.log" },
        { "Path directory", "Path", "logs/" },
        { "Path newline", "Path", "logs/a\\u000ab.log" },
        { "Path carriage return", "Path", "logs/app.log\\u000d" },
        { "Path file name too long", "Path", LongFileNamePath },
        { "Path directory name too long", "Path", LongDirectoryNamePath },
        { "size 0", "FileSizeLimitBytes", "is 0" },
        { "size negative", "FileSizeLimitBytes", "is -1" },
        { "retained 0", "RetainedFileCountLimit", "is 0" },
        { "capacity 0", "QueueCapacity", "is 0" },
        { "timeout 0", "ShutdownTimeout", "is 00:00:00" },
        { "timeout 60 days", "ShutdownTimeout", "is 60.00:00:00" },
        { "timeout max", "ShutdownTimeout", "is " + TimeSpan.MaxValue.ToString("c", System.Globalization.CultureInfo.InvariantCulture) },
        { "timeout just over an hour", "ShutdownTimeout", "is 01:00:00.0010000" },
        { "format undefined", "Format", "is 7" },
        { "roll undefined", "RollInterval", "is 9" },
        { "full mode undefined", "FullMode", "is 5" },
    };

    [Theory]
    [MemberData(nameof(InvalidFileOptions))]
    public async Task StartAsync_InvalidFileOptions_ThrowsNamingTheOptionAndValue(string scenario, string option, string value)
    {
        OptionsValidationException e = await StartHost(b => b.AddFileLogging(o =>
        {
            o.Path = "logs/app.log";
            switch (scenario)
            {
                case "Path null": o.Path = null!; break;
                case "Path blank": o.Path = " "; break;
                case "Path NUL": o.Path = "logs/a\0b.log"; break;
                case "Path directory": o.Path = "logs/"; break;
                case "Path newline": o.Path = "logs/a\nb.log"; break;
                case "Path carriage return": o.Path = "logs/app.log\r"; break;
                case "Path file name too long": o.Path = LongFileNamePath; break;
                case "Path directory name too long": o.Path = LongDirectoryNamePath; break;
                case "size 0": o.FileSizeLimitBytes = 0; break;
                case "size negative": o.FileSizeLimitBytes = -1; break;
                case "retained 0": o.RetainedFileCountLimit = 0; break;
                case "capacity 0": o.QueueCapacity = 0; break;
                case "timeout 0": o.ShutdownTimeout = TimeSpan.Zero; break;
                case "timeout 60 days": o.ShutdownTimeout = TimeSpan.FromDays(60); break;
                case "timeout max": o.ShutdownTimeout = TimeSpan.MaxValue; break;
                case "timeout just over an hour": o.ShutdownTimeout = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1); break;
                case "format undefined": o.Format = (LogFormat)7; break;
                case "roll undefined": o.RollInterval = (LogRollInterval)9; break;
                case "full mode undefined": o.FullMode = (LogQueueFullMode)5; break;
                default: throw new ArgumentOutOfRangeException(nameof(scenario));
            }
        }));

        string failure = Assert.Single(e.Failures);
        Assert.Contains("FileLoggingOptions." + option, failure);
        Assert.Contains(value, failure);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3_600_000)]
    public async Task StartAsync_ShutdownTimeoutWithinAnHour_IsAccepted(int milliseconds)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        using var directory = new TempDirectory();
        builder.Services.AddMusubiMonitoring().AddFileLogging(o =>
        {
            o.Path = directory.Combine("app.log");
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(milliseconds);
        });
        using IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task StartAsync_RolledFileNameWouldPass255Characters_ThrowsNamingThePath()
    {
        // 243 characters: fits alone, but app.20261203_001.log adds 13, so the rolled files could not be created.
        string path = "logs/" + new string('r', 239) + ".log";
        OptionsValidationException e = await StartHost(b => b.AddFileLogging(o => o.Path = path));
        string failure = Assert.Single(e.Failures);
        Assert.Contains("FileLoggingOptions.Path", failure);
        Assert.Contains(path, failure);
    }

    [Fact]
    public async Task StartAsync_InvalidConsoleFormat_ThrowsNamingTheOptionAndValue()
    {
        OptionsValidationException e = await StartHost(b => b.AddConsoleLogging(o => o.Format = (LogFormat)9));
        Assert.Contains("ConsoleLoggingOptions.Format is 9", Assert.Single(e.Failures));
    }

    [Fact]
    public void Ctor_InvalidFileOptions_ThrowsOptionsValidationException()
    {
        OptionsValidationException e = Assert.Throws<OptionsValidationException>(() => new MusubiFileLoggerProvider(
            Options.Create(new FileLoggingOptions { Path = "logs/app.log", QueueCapacity = 0 }),
            Options.Create(new MusubiMonitoringOptions()),
            TimeProvider.System));
        Assert.Contains("FileLoggingOptions.QueueCapacity is 0", Assert.Single(e.Failures));
    }

    [Fact]
    public void Ctor_NullArguments_ThrowArgumentNullException()
    {
        IOptions<FileLoggingOptions> file = Options.Create(new FileLoggingOptions { Path = "logs/app.log" });
        IOptions<ConsoleLoggingOptions> console = Options.Create(new ConsoleLoggingOptions());
        IOptions<MusubiMonitoringOptions> service = Options.Create(new MusubiMonitoringOptions());
        Assert.Throws<ArgumentNullException>(() => new MusubiFileLoggerProvider(null!, service, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new MusubiFileLoggerProvider(file, null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new MusubiFileLoggerProvider(file, service, null!));
        Assert.Throws<ArgumentNullException>(() => new MusubiConsoleLoggerProvider(null!, service, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new MusubiConsoleLoggerProvider(console, null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new MusubiConsoleLoggerProvider(console, service, null!));
    }

    /// <summary>
    /// Builds and starts a host. Invalid logging options fail while the host is built (the logger factory creates the
    /// providers, which read their options) or, at the latest, when it starts.
    /// </summary>
    private static Task<OptionsValidationException> StartHost(Action<MusubiMonitoringBuilder> configure) =>
        Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.ClearProviders();
            configure(builder.Services.AddMusubiMonitoring());
            using IHost host = builder.Build();
            await host.StartAsync(TestContext.Current.CancellationToken);
        });
}
