using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Logging;
using Serilog;
using Serilog.Formatting.Compact;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// One structured record, <c>LogInformation("Order {OrderId} shipped to {Country}", i, "NZ")</c>, through
/// <see cref="ILogger"/> to a JSON log file. Baseline: Serilog.Sinks.File with <see cref="CompactJsonFormatter"/>
/// behind Serilog.Extensions.Logging's provider.
/// </summary>
/// <remarks>
/// The configurations are matched as closely as the two designs allow, and both favour throughput:
/// <list type="bullet">
/// <item>Serilog is <c>buffered: true</c> (no flush per event; its writer flushes when its buffer fills), and formats and
/// writes on the calling thread. Musubi formats on the calling thread, queues, and a background task writes and
/// flushes after each batch; with the default <see cref="LogQueueFullMode.Block"/> the caller waits when the writer
/// is 10,000 records behind, so the figure is bounded by the disk, as Serilog's is.</item>
/// <item>Both roll daily and at 100 MB and keep 2 files, so a long run does not fill the disk.</item>
/// <item>Musubi's record carries more (service name, message and template); Serilog's compact JSON carries the
/// template and properties but not the rendered message.</item>
/// </list>
/// </remarks>
[MemoryDiagnoser]
public class FileLoggingBenchmarks
{
    private const long FileSizeLimit = 100L * 1024 * 1024;

    private string _directory = null!;
    private ILoggerFactory _factory = null!;
    private MusubiFileLoggerProvider? _musubi;
    private ILogger _logger = null!;
    private int _orderId;

    [GlobalSetup(Target = nameof(Serilog))]
    public void SetupSerilog()
    {
        _directory = NewDirectory();
        Serilog.Core.Logger serilog = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(_directory, "serilog.log"),
                buffered: true,
                fileSizeLimitBytes: FileSizeLimit,
                rollOnFileSizeLimit: true,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 2)
            .CreateLogger();
        _factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddSerilog(serilog, dispose: true));
        _logger = _factory.CreateLogger("Bench.Orders");
    }

    [GlobalSetup(Target = nameof(Musubi))]
    public void SetupMusubi()
    {
        _directory = NewDirectory();
        _musubi = new MusubiFileLoggerProvider(
            Options.Create(new FileLoggingOptions
            {
                Path = Path.Combine(_directory, "musubi.log"),
                FileSizeLimitBytes = FileSizeLimit,
                RollInterval = LogRollInterval.Day,
                RetainedFileCountLimit = 2,
            }),
            Options.Create(new MusubiMonitoringOptions { ServiceName = "bench" }),
            TimeProvider.System);
        _factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(_musubi));
        _logger = _factory.CreateLogger("Bench.Orders");
    }

    [Benchmark(Baseline = true)]
    public void Serilog() => _logger.LogInformation("Order {OrderId} shipped to {Country}", ++_orderId, "NZ");

    [Benchmark]
    public void Musubi() => _logger.LogInformation("Order {OrderId} shipped to {Country}", ++_orderId, "NZ");

    [GlobalCleanup]
    public void Cleanup()
    {
        // Disposing the factory disposes Serilog's logger (AddSerilog(dispose: true)), which flushes its file; a
        // provider added as an instance is not the factory's to dispose, so Musubi's is disposed here.
        _factory.Dispose();
        _musubi?.Dispose();
        string[] files = Directory.GetFiles(_directory);
        if (files.Length == 0 || files.All(f => new FileInfo(f).Length == 0))
        {
            throw new InvalidOperationException($"Nothing was written to {_directory}.");
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "musubi-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
