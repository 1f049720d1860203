using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// The durable half of the file logger: a bounded channel of formatted lines, and one background task that drains it
/// in batches into a <see cref="RollingFile"/>, flushing after each batch.
/// </summary>
/// <remarks>
/// <see cref="Write"/> is called from any thread and only copies the line into a pooled buffer and queues it; the
/// caller waits for the disk only under <see cref="LogQueueFullMode.Block"/> when the queue is full. Nothing here
/// throws into a caller: I/O failures are counted in <see cref="FailedWrites"/>, reported through
/// <see cref="MusubiMonitoringEventSource"/>, and the file is opened again for the next batch.
/// </remarks>
internal sealed class FileLogSink : ILogLineSink, IAsyncDisposable, IDisposable
{
    /// <summary>The most lines written between two flushes.</summary>
    private const int MaxBatch = 1024;

    private readonly Channel<QueuedLine> _channel;
    private readonly RollingFile _file;
    private readonly LogQueueFullMode _fullMode;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly Func<CancellationToken, Task>? _beforeBatch;
    private readonly CancellationTokenSource _abandon = new();
    private readonly List<QueuedLine> _batch = new(MaxBatch);
    private readonly Task _drain;

    private long _dropped;
    private long _failed;
    private long _reportedDropped;
    private int _disposed;

    /// <param name="options">The validated options.</param>
    /// <param name="timeProvider">The clock for the shutdown timeout.</param>
    /// <param name="beforeBatch">Test hook: awaited by the writer before each batch, so a test can hold it.</param>
    public FileLogSink(FileLoggingOptions options, TimeProvider timeProvider, Func<CancellationToken, Task>? beforeBatch = null)
    {
        _file = new RollingFile(options.Path, options.FileSizeLimitBytes, options.RollInterval, options.RetainedFileCountLimit);
        _fullMode = options.FullMode;
        _shutdownTimeout = options.ShutdownTimeout;
        _timeProvider = timeProvider;
        _beforeBatch = beforeBatch;
        var channelOptions = new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
            FullMode = options.FullMode == LogQueueFullMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _channel = options.FullMode == LogQueueFullMode.DropOldest
            ? Channel.CreateBounded<QueuedLine>(channelOptions, OnDroppedOldest)
            : Channel.CreateBounded<QueuedLine>(channelOptions);
        _drain = Task.Run(DrainAsync);
    }

    public long DroppedRecords => Interlocked.Read(ref _dropped);

    public long FailedWrites => Interlocked.Read(ref _failed);

    /// <summary>Gets the path of the file being written, or about to be; read it after the writer stopped for a stable value.</summary>
    public string CurrentPath => _file.CurrentPath;

    public void Write(ReadOnlySpan<byte> line, DateTimeOffset timestamp)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(buffer);
        var item = new QueuedLine(buffer, line.Length, _file.PeriodOf(timestamp), null);
        if (_channel.Writer.TryWrite(item))
        {
            return;
        }

        // Full (Block, DropNewest) or completed by Dispose (every mode; DropOldest is never full).
        if (_fullMode == LogQueueFullMode.Block && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                ValueTask wait = _channel.Writer.WriteAsync(item);
                if (!wait.IsCompletedSuccessfully)
                {
                    wait.AsTask().GetAwaiter().GetResult();
                }

                return;
            }
            catch (ChannelClosedException)
            {
                // Disposed while waiting: counted below.
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Increment(ref _dropped);
    }

    public void RecordLost() => Interlocked.Increment(ref _dropped);

    /// <summary>Completes when every line queued before the call is written and flushed (or lost and counted).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new QueuedLine(null, 0, 0, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Disposing: the writer drains what is queued; wait for that instead.
            await _drain.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _channel.Writer.TryComplete();
        try
        {
            await _drain.WaitAsync(_shutdownTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            MusubiMonitoringEventSource.Log.LogFileShutdownTimedOut(
                _file.CurrentPath, _channel.Reader.Count, _shutdownTimeout.ToString("c", CultureInfo.InvariantCulture));

            // The writer stops after its current batch, counts what is left as dropped, and closes the file.
            await _abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task DrainAsync()
    {
        ChannelReader<QueuedLine> reader = _channel.Reader;
        CancellationToken abandon = _abandon.Token;
        try
        {
            while (await reader.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                if (_beforeBatch is not null)
                {
                    await _beforeBatch(abandon).ConfigureAwait(false);
                }

                WriteBatch(reader);
                ReportDrops();
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The writer must not die silently; what it could not write is counted below.
        catch (Exception e)
#pragma warning restore CA1031
        {
            MusubiMonitoringEventSource.Log.LogFileWriteFailed(_file.CurrentPath, 0, e.ToString());
        }
        finally
        {
            while (reader.TryRead(out QueuedLine item))
            {
                if (item.Flushed is not null)
                {
                    item.Flushed.TrySetResult();
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer!);
                    Interlocked.Increment(ref _dropped);
                }
            }

            ReportDrops();
            try
            {
                _file.Close();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                MusubiMonitoringEventSource.Log.LogFileWriteFailed(_file.CurrentPath, 0, e.Message);
            }
        }
    }

    private void WriteBatch(ChannelReader<QueuedLine> reader)
    {
        List<QueuedLine> batch = _batch;
        while (batch.Count < MaxBatch && reader.TryRead(out QueuedLine item))
        {
            batch.Add(item);
        }

        long lost = 0;
        int unflushed = 0;
        Exception? failure = null;
        try
        {
            foreach (QueuedLine item in batch)
            {
                if (item.Buffer is null)
                {
                    continue;
                }

                if (failure is not null)
                {
                    // The file failed earlier in this batch; it is opened again for the next batch, not for every line.
                    lost++;
                    continue;
                }

                try
                {
                    if (_file.Prepare(item.Period, item.Length))
                    {
                        unflushed = 0; // the previous file was flushed and closed
                    }

                    _file.Write(item.Buffer.AsSpan(0, item.Length));
                    unflushed++;
                }
                catch (Exception e) when (IsIoFailure(e))
                {
                    failure = e;
                    lost += unflushed + 1;
                    unflushed = 0;
                    _file.Abandon();
                }
            }

            if (failure is null)
            {
                try
                {
                    _file.Flush();
                }
                catch (Exception e) when (IsIoFailure(e))
                {
                    failure = e;
                    lost += unflushed;
                    _file.Abandon();
                }
            }
        }
        finally
        {
            // Losses are counted and reported before any flush in this batch completes, so a caller that awaited
            // FlushAsync sees them.
            if (failure is not null)
            {
                Interlocked.Add(ref _failed, lost);
                MusubiMonitoringEventSource.Log.LogFileWriteFailed(_file.CurrentPath, lost, $"{failure.GetType().Name}: {failure.Message}");
            }

            foreach (QueuedLine item in batch)
            {
                if (item.Buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
                else
                {
                    item.Flushed?.TrySetResult();
                }
            }

            batch.Clear();
        }
    }

    private static bool IsIoFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException or ArgumentException;

    private void ReportDrops()
    {
        long dropped = Interlocked.Read(ref _dropped);
        if (dropped != _reportedDropped)
        {
            MusubiMonitoringEventSource.Log.LogRecordsDropped(_file.CurrentPath, dropped - _reportedDropped, dropped);
            _reportedDropped = dropped;
        }
    }

    private void OnDroppedOldest(QueuedLine item)
    {
        if (item.Flushed is not null)
        {
            item.Flushed.TrySetResult();
            return;
        }

        ArrayPool<byte>.Shared.Return(item.Buffer!);
        Interlocked.Increment(ref _dropped);
    }

    /// <summary>A formatted line in a pooled buffer, or (with <see cref="Flushed"/>) a flush request.</summary>
    private readonly record struct QueuedLine(byte[]? Buffer, int Length, int Period, TaskCompletionSource? Flushed);
}
