using System.Diagnostics;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class BatchSpanProcessorTests
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OnEnd_BatchFull_ExportsWithoutTimePassing()
    {
        var time = new ObservedTimeProvider();
        var exporter = new RecordingExporter();
        await using var processor = new BatchSpanProcessor(exporter, Options(queue: 16, batch: 4), time);

        for (int i = 0; i < 4; i++)
        {
            processor.OnEnd(Spans.Ended(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await Eventually.TrueAsync(() => exporter.Names.Count == 4, "the full batch is exported");
        Assert.Equal(["0", "1", "2", "3"], Assert.Single(exporter.Batches));
        Assert.Equal(4, processor.ExportedSpans);
        Assert.Equal(time.Fake.Start, time.GetUtcNow());
    }

    [Fact]
    public async Task OnEnd_PartialBatch_ExportedAfterScheduledDelay()
    {
        var time = new ObservedTimeProvider();
        var exporter = new RecordingExporter();
        await using var processor = new BatchSpanProcessor(exporter, Options(queue: 16, batch: 4), time);
        processor.OnEnd(Spans.Ended("a"));
        processor.OnEnd(Spans.Ended("b"));
        processor.OnEnd(Spans.Ended("c"));

        // The loop is waiting on its delay; until the delay passes nothing can be exported.
        await Eventually.TrueAsync(() => time.TimersCreated(s_delay) >= 1, "the export loop waits on its scheduled delay");
        Assert.Equal(0, exporter.Calls);
        Assert.Equal(3, processor.Queued);

        time.Fake.Advance(s_delay);
        await Eventually.TrueAsync(() => exporter.Names.Count == 3, "the partial batch is exported");
        Assert.Equal(["a", "b", "c"], Assert.Single(exporter.Batches));
        Assert.Equal(0, processor.Queued);
    }

    [Fact]
    public async Task FlushAsync_QueuedSpans_ExportsEverything()
    {
        var time = new ObservedTimeProvider();
        var exporter = new RecordingExporter();
        await using var processor = new BatchSpanProcessor(exporter, Options(queue: 64, batch: 4), time);
        string[] names = [.. Enumerable.Range(0, 10).Select(i => "s" + i)];
        foreach (string name in names)
        {
            processor.OnEnd(Spans.Ended(name));
        }

        await processor.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(names, exporter.Names);
        Assert.All(exporter.Batches, b => Assert.InRange(b.Length, 1, 4));
        Assert.Equal(10, processor.ExportedSpans);
        Assert.Equal(0, processor.Queued);
    }

    [Fact]
    public async Task DisposeAsync_QueuedSpans_ExportsThem()
    {
        var time = new ObservedTimeProvider();
        var exporter = new RecordingExporter();
        var processor = new BatchSpanProcessor(exporter, Options(queue: 64, batch: 16), time);
        processor.OnEnd(Spans.Ended("a"));
        processor.OnEnd(Spans.Ended("b"));

        await processor.DisposeAsync();

        Assert.Equal(["a", "b"], exporter.Names);
        Assert.Equal(2, processor.ExportedSpans);
    }

    [Theory]
    [InlineData(SpanQueueFullPolicy.DropNewest)]
    [InlineData(SpanQueueFullPolicy.DropOldest)]
    public async Task OnEnd_SlowExporter_NeverWaitsAndDropsByPolicy(SpanQueueFullPolicy policy)
    {
        const int Queue = 100;
        const int Batch = 10;
        const int Total = 10_000;
        var time = new ObservedTimeProvider();
        using var exporter = new BlockingExporter(synchronous: false);
        await using var processor = new BatchSpanProcessor(exporter, Options(Queue, Batch, policy), time);
        string[] names = [.. Enumerable.Range(0, Total).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        // The first full batch goes to the exporter, which blocks holding it: the queue is empty again.
        for (int i = 0; i < Batch; i++)
        {
            processor.OnEnd(Spans.Ended(names[i]));
        }

        await Eventually.TrueAsync(() => exporter.Calls == 1, "the exporter has the first batch");

        // Every further span is ended on this thread while the exporter blocks; each OnEnd returns.
        for (int i = Batch; i < Total; i++)
        {
            processor.OnEnd(Spans.Ended(names[i]));
        }

        Assert.Equal(Queue, processor.Queued);
        Assert.Equal(Total - Batch - Queue, processor.DroppedSpans);

        exporter.Release();
        await processor.FlushAsync(TestContext.Current.CancellationToken);

        string[] kept = policy == SpanQueueFullPolicy.DropNewest
            ? names[Batch..(Batch + Queue)]
            : names[(Total - Queue)..];
        Assert.Equal([.. names[..Batch], .. kept], exporter.Names);
        Assert.Equal(Batch + Queue, processor.ExportedSpans);
        Assert.Equal(Total - Batch - Queue, processor.DroppedSpans);
        Assert.Equal(0, processor.FailedSpans);
    }

    [Fact]
    public async Task OnEnd_ExporterBlocksBeforeReturningItsTask_NeverWaits()
    {
        const int Queue = 100;
        const int Batch = 10;
        var time = new ObservedTimeProvider();
        using var exporter = new BlockingExporter(synchronous: true);
        await using var processor = new BatchSpanProcessor(exporter, Options(Queue, Batch), time);
        for (int i = 0; i < Batch; i++)
        {
            processor.OnEnd(Spans.Ended("first"));
        }

        await Eventually.TrueAsync(() => exporter.Calls == 1, "the exporter is blocking inside its first call");
        for (int i = 0; i < 2 * Queue; i++)
        {
            processor.OnEnd(Spans.Ended("later"));
        }

        Assert.Equal(Queue, processor.Queued);
        Assert.Equal(Queue, processor.DroppedSpans);

        exporter.Release();
        await processor.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Batch + Queue, processor.ExportedSpans);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExportAsync_ExporterThrows_CountsFailedAndKeepsExportingLaterBatches(bool throwSynchronously)
    {
        var time = new ObservedTimeProvider();
        var exporter = new FailingOnceExporter(throwSynchronously);
        await using var processor = new BatchSpanProcessor(exporter, Options(queue: 16, batch: 2), time);
        processor.OnEnd(Spans.Ended("lost-1"));
        processor.OnEnd(Spans.Ended("lost-2"));
        await Eventually.TrueAsync(() => processor.FailedSpans == 2, "the failed batch is counted");

        processor.OnEnd(Spans.Ended("kept-1"));
        processor.OnEnd(Spans.Ended("kept-2"));
        await Eventually.TrueAsync(() => processor.ExportedSpans == 2, "the next batch is exported");

        Assert.Equal(["kept-1", "kept-2"], exporter.Names);
        Assert.Equal(2, processor.FailedSpans);
    }

    [Fact]
    public async Task ExportAsync_ExporterNeverCompletes_FailsAfterTheTimeoutAndLaterBatchesExport()
    {
        var time = new ObservedTimeProvider();
        var exporter = new HangingOnceExporter();
        await using var processor = new BatchSpanProcessor(exporter, Options(queue: 16, batch: 2), time);
        processor.OnEnd(Spans.Ended("hung-1"));
        processor.OnEnd(Spans.Ended("hung-2"));

        // The export's timeout timers exist (its token and its wait) before the clock moves past them.
        await Eventually.TrueAsync(() => exporter.Calls == 1 && time.TimersCreated(s_timeout) >= 2, "the export is running under its timeout");
        Assert.Equal(0, processor.FailedSpans);

        time.Fake.Advance(s_timeout);
        await Eventually.TrueAsync(() => processor.FailedSpans == 2, "the hung batch counts as failed");

        processor.OnEnd(Spans.Ended("later-1"));
        processor.OnEnd(Spans.Ended("later-2"));
        await Eventually.TrueAsync(() => processor.ExportedSpans == 2, "a later batch is exported");
        Assert.Equal(["later-1", "later-2"], exporter.Names.Skip(2));
        Assert.Equal(2, processor.FailedSpans);
    }

    [Fact]
    public async Task DisposeAsync_ExporterHangs_WaitsOneTimeoutThenCountsTheRestFailed()
    {
        var time = new ObservedTimeProvider();
        var exporter = new HangingExporter();
        var processor = new BatchSpanProcessor(exporter, Options(queue: 100, batch: 2), time);
        for (int i = 0; i < 10; i++)
        {
            processor.OnEnd(Spans.Ended("s" + i));
        }

        await Eventually.TrueAsync(() => exporter.Calls == 1 && time.TimersCreated(s_timeout) >= 2, "the first batch is exporting");
        Task disposing = processor.DisposeAsync().AsTask();
        time.Fake.Advance(s_timeout);
        await Eventually.TrueAsync(() => exporter.Calls == 2 && time.TimersCreated(s_timeout) >= 4, "dispose tries the exporter once");
        time.Fake.Advance(s_timeout);
        await disposing.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(2, exporter.Calls);
        Assert.Equal(10, processor.FailedSpans);
        Assert.Equal(0, processor.ExportedSpans);
    }

    [Theory]
    [InlineData(SpanQueueFullPolicy.DropNewest)]
    [InlineData(SpanQueueFullPolicy.DropOldest)]
    public async Task OnEnd_ManyThreads_EverySpanIsExportedOrDroppedExactlyOnce(SpanQueueFullPolicy policy)
    {
        const int Threads = 4;
        const int PerThread = 5_000;
        var time = new ObservedTimeProvider();
        var exporter = new RecordingExporter();
        var processor = new BatchSpanProcessor(exporter, Options(queue: 256, batch: 64, policy), time);
        using var start = new Barrier(Threads);
        Task[] writers = [.. Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            for (int i = 0; i < PerThread; i++)
            {
                processor.OnEnd(Spans.Ended($"{t}-{i}"));
            }
        }))];
        await Task.WhenAll(writers);
        await processor.DisposeAsync();

        Assert.Equal(exporter.Names.Count, exporter.Names.Distinct().Count());
        Assert.Equal(Threads * PerThread, processor.ExportedSpans + processor.DroppedSpans);
        Assert.Equal(processor.ExportedSpans, exporter.Names.Count);
        Assert.Equal(0, processor.FailedSpans);
    }

    private static BatchExportOptions Options(int queue, int batch, SpanQueueFullPolicy policy = SpanQueueFullPolicy.DropNewest) => new()
    {
        MaxQueueSize = queue,
        MaxExportBatchSize = batch,
        ScheduledDelay = s_delay,
        ExportTimeout = s_timeout,
        FullQueuePolicy = policy,
    };

    /// <summary>Records each batch, then blocks (asynchronously, or synchronously before returning its task) until released.</summary>
    private sealed class BlockingExporter(bool synchronous) : RecordingExporter, IDisposable
    {
        private readonly SemaphoreSlim _gate = new(0);

        public void Dispose() => _gate.Dispose();

        public void Release() => _gate.Release(1_000);

        public override Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
        {
            base.ExportAsync(spans, cancellationToken);
            if (synchronous)
            {
                _gate.Wait(cancellationToken);
                return Task.CompletedTask;
            }

            return _gate.WaitAsync(cancellationToken);
        }
    }

    private sealed class FailingOnceExporter(bool throwSynchronously) : RecordingExporter
    {
        private int _calls;

        public override Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                var error = new InvalidOperationException("collector unavailable");
                return throwSynchronously ? throw error : Task.FromException(error);
            }

            return base.ExportAsync(spans, cancellationToken);
        }
    }

    /// <summary>Never completes its first call, whatever the token says; completes every later one.</summary>
    private sealed class HangingOnceExporter : RecordingExporter
    {
        public override Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
        {
            base.ExportAsync(spans, cancellationToken);
            return Calls == 1 ? new TaskCompletionSource().Task : Task.CompletedTask;
        }
    }

    /// <summary>Never completes, whatever the token says.</summary>
    private sealed class HangingExporter : RecordingExporter
    {
        public override Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
        {
            base.ExportAsync(spans, cancellationToken);
            return new TaskCompletionSource().Task;
        }
    }
}
