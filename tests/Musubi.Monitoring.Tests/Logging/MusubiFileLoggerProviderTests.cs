using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Logging;
using static Musubi.Monitoring.Tests.Logging.LoggingTestSupport;

namespace Musubi.Monitoring.Tests.Logging;

public sealed class MusubiFileLoggerProviderTests
{
    [Fact]
    public async Task Log_TwoThreads100000RecordsEach_EveryRecordIsOneValidJsonLineInOrder()
    {
        const int PerThread = 100_000;
        using var directory = new TempDirectory();
        string path = directory.Combine("app.log");
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions
        {
            Path = path, FileSizeLimitBytes = null, RollInterval = LogRollInterval.None, FullMode = LogQueueFullMode.Block,
        });
        ILogger logger = provider.CreateLogger("Load");

        Thread[] threads = [.. Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                logger.LogInformation("Writer {Writer} record {Sequence}", t, i);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        await provider.DisposeAsync();

        Assert.Equal(["app.log"], directory.Files());
        string[] lines = ReadLines(path);
        Assert.Equal(2 * PerThread, lines.Length);
        int[] next = new int[2];
        foreach (string line in lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement attributes = document.RootElement.GetProperty("attributes");
            int writer = attributes.GetProperty("Writer").GetInt32();
            Assert.Equal(next[writer]++, attributes.GetProperty("Sequence").GetInt32());
        }

        Assert.Equal([PerThread, PerThread], next);
        Assert.Equal(0, provider.DroppedRecords);
        Assert.Equal(0, provider.FailedWrites);
    }

    [Fact]
    public async Task Log_PastSizeLimit_RollsWithoutSplittingRecordsAndKeepsRetainedCount()
    {
        const long Limit = 2000;
        using var directory = new TempDirectory();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions
        {
            Path = directory.Combine("app.log"), FileSizeLimitBytes = Limit, RollInterval = LogRollInterval.None, RetainedFileCountLimit = 3,
        });
        ILogger logger = provider.CreateLogger("Roll");
        for (int i = 0; i < 100; i++)
        {
            logger.LogInformation("Record {Sequence} {Padding}", i, new string('x', i % 50));
        }

        await provider.DisposeAsync();

        string[] files = directory.Files();
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.Matches(@"^app_\d{3}\.log$", f));
        var sequences = new List<int>();
        foreach (string file in files)
        {
            Assert.InRange(new FileInfo(directory.Combine(file)).Length, 1, Limit);
            foreach (string line in ReadLines(directory.Combine(file)))
            {
                using JsonDocument document = JsonDocument.Parse(line);
                sequences.Add(document.RootElement.GetProperty("attributes").GetProperty("Sequence").GetInt32());
            }
        }

        // The newest files are kept, and together they hold the last records in order, none split.
        Assert.Equal(99, sequences[^1]);
        Assert.Equal(Enumerable.Range(sequences[0], sequences.Count), sequences);
    }

    [Fact]
    public async Task Log_NextUtcDay_OpensANewDatedFile()
    {
        using var directory = new TempDirectory();
        var clock = Clock();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = directory.Combine("app.log") }, clock);
        ILogger logger = provider.CreateLogger("Days");
        logger.LogInformation("day one");
        await provider.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["app.20261203.log"], directory.Files());

        clock.Advance(TimeSpan.FromDays(1));
        logger.LogInformation("day two");
        await provider.DisposeAsync();

        Assert.Equal(["app.20261203.log", "app.20261204.log"], directory.Files());
        Assert.Contains("day one", Assert.Single(ReadLines(directory.Combine("app.20261203.log"))));
        Assert.Contains("day two", Assert.Single(ReadLines(directory.Combine("app.20261204.log"))));
    }

    [Fact]
    public async Task Log_SizeRollWithDayRolling_NamesFilesWithDateAndSequence()
    {
        using var directory = new TempDirectory();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = directory.Combine("app.log"), FileSizeLimitBytes = 600 }, Clock());
        ILogger logger = provider.CreateLogger("Names");
        for (int i = 0; i < 6; i++)
        {
            logger.LogInformation("Record {Sequence}", i);
        }

        await provider.DisposeAsync();

        string[] files = directory.Files();
        Assert.True(files.Length >= 2, string.Join(", ", files));
        Assert.Equal("app.20261203.log", files[0]);
        Assert.Equal("app.20261203_001.log", files[1]);
    }

    [Fact]
    public async Task Ctor_ExistingFileOfToday_AppendsToIt()
    {
        using var directory = new TempDirectory();
        var options = new FileLoggingOptions { Path = directory.Combine("app.log") };
        for (int run = 0; run < 2; run++)
        {
            MusubiFileLoggerProvider provider = FileProvider(options, Clock());
            provider.CreateLogger("Append").LogInformation("run {Run}", run);
            await provider.DisposeAsync();
        }

        Assert.Equal(2, ReadLines(directory.Combine("app.20261203.log")).Length);
    }

    [Fact]
    public async Task Log_DirectoryUnderARegularFile_CountsFailedWritesReportsAndRecovers()
    {
        using var directory = new TempDirectory();
        string blocker = directory.Combine("blocker");
        await System.IO.File.WriteAllTextAsync(blocker, "not a directory", TestContext.Current.CancellationToken);
        string path = System.IO.Path.Combine(blocker, "logs", "app.log");
        using var listener = new MonitoringEventListener();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = path, RollInterval = LogRollInterval.None });
        ILogger logger = provider.CreateLogger("Broken");

        for (int i = 0; i < 10; i++)
        {
            logger.LogError("cannot be written {Sequence}", i);
        }

        await provider.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(10, provider.FailedWrites);
        Assert.NotEmpty(listener.Named("LogFileWriteFailed", blocker));

        // The writer keeps going: once the directory can be made, the next batch is written.
        System.IO.File.Delete(blocker);
        logger.LogInformation("written after recovery");
        await provider.DisposeAsync();

        Assert.Contains("written after recovery", Assert.Single(ReadLines(path)));
        Assert.Equal(10, provider.FailedWrites);
        Assert.Equal(0, provider.DroppedRecords);
    }

    [Fact]
    public async Task Log_DropNewestWithQueueFull_DropsTheNewRecordsAndCountsThemExactly()
    {
        using var directory = new TempDirectory();
        var gate = new TaskCompletionSource();
        using var listener = new MonitoringEventListener();
        MusubiFileLoggerProvider provider = FileProvider(
            new FileLoggingOptions { Path = directory.Combine("app.log"), RollInterval = LogRollInterval.None, QueueCapacity = 4, FullMode = LogQueueFullMode.DropNewest },
            beforeBatch: ct => gate.Task.WaitAsync(ct));
        ILogger logger = provider.CreateLogger("Drop");

        for (int i = 0; i < 10; i++)
        {
            logger.LogInformation("Record {Sequence}", i);
        }

        Assert.Equal(6, provider.DroppedRecords);
        gate.SetResult();
        await provider.DisposeAsync();

        Assert.Equal([0, 1, 2, 3], Sequences(ReadLines(directory.Combine("app.log"))));
        Assert.Equal(6, provider.DroppedRecords);
        Assert.NotEmpty(listener.Named("LogRecordsDropped", directory.Path));
    }

    [Fact]
    public async Task Log_DropOldestWithQueueFull_KeepsTheNewestRecords()
    {
        using var directory = new TempDirectory();
        var gate = new TaskCompletionSource();
        MusubiFileLoggerProvider provider = FileProvider(
            new FileLoggingOptions { Path = directory.Combine("app.log"), RollInterval = LogRollInterval.None, QueueCapacity = 4, FullMode = LogQueueFullMode.DropOldest },
            beforeBatch: ct => gate.Task.WaitAsync(ct));
        ILogger logger = provider.CreateLogger("Drop");

        for (int i = 0; i < 10; i++)
        {
            logger.LogInformation("Record {Sequence}", i);
        }

        Assert.Equal(6, provider.DroppedRecords);
        gate.SetResult();
        await provider.DisposeAsync();

        Assert.Equal([6, 7, 8, 9], Sequences(ReadLines(directory.Combine("app.log"))));
    }

    [Fact]
    public async Task Log_BlockWithQueueFull_WaitsForRoomAndLosesNothing()
    {
        using var directory = new TempDirectory();
        var gate = new TaskCompletionSource();
        MusubiFileLoggerProvider provider = FileProvider(
            new FileLoggingOptions { Path = directory.Combine("app.log"), RollInterval = LogRollInterval.None, QueueCapacity = 2, FullMode = LogQueueFullMode.Block },
            beforeBatch: ct => gate.Task.WaitAsync(ct));
        ILogger logger = provider.CreateLogger("Block");
        logger.LogInformation("Record {Sequence}", 0);
        logger.LogInformation("Record {Sequence}", 1);

        Task blocked = Task.Factory.StartNew(() => logger.LogInformation("Record {Sequence}", 2), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.False(blocked.IsCompleted);
        gate.SetResult();
        await blocked.WaitAsync(TestContext.Current.CancellationToken);
        await provider.DisposeAsync();

        Assert.Equal([0, 1, 2], Sequences(ReadLines(directory.Combine("app.log"))));
        Assert.Equal(0, provider.DroppedRecords);
    }

    [Fact]
    public async Task Log_AfterDispose_DoesNotThrowAndCountsTheRecordAsDropped()
    {
        using var directory = new TempDirectory();
        MusubiFileLoggerProvider provider = FileProvider(new FileLoggingOptions { Path = directory.Combine("app.log") });
        ILogger logger = provider.CreateLogger("Late");
        await provider.DisposeAsync();
        provider.Dispose();

        logger.LogInformation("too late");

        Assert.Equal(1, provider.DroppedRecords);
    }

    [Fact]
    public async Task DisposeAsync_WriterStuckPastShutdownTimeout_ReturnsAndReports()
    {
        using var directory = new TempDirectory();
        var clock = Clock();
        using var listener = new MonitoringEventListener();
        MusubiFileLoggerProvider provider = FileProvider(
            new FileLoggingOptions { Path = directory.Combine("app.log"), ShutdownTimeout = TimeSpan.FromSeconds(5) },
            clock,
            beforeBatch: ct => Task.Delay(Timeout.Infinite, ct));
        provider.CreateLogger("Stuck").LogInformation("never written");

        ValueTask disposing = provider.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        await disposing;

        Assert.NotEmpty(listener.Named("LogFileShutdownTimedOut", directory.Path));
    }

    private static int[] Sequences(string[] lines) =>
        [.. lines.Select(l =>
        {
            using JsonDocument document = JsonDocument.Parse(l);
            return document.RootElement.GetProperty("attributes").GetProperty("Sequence").GetInt32();
        })];
}
