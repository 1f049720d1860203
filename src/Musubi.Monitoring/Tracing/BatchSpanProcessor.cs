using System.Diagnostics;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Tracing;

/// <summary>
/// Queues finished spans in a bounded ring and exports them in batches from a background task: when a batch is
/// full, when <see cref="BatchExportOptions.ScheduledDelay"/> has passed, on flush and on dispose. Ending a span
/// takes a short lock and never waits for the exporter; a full queue drops by the configured policy and counts it.
/// </summary>
internal sealed class BatchSpanProcessor : SpanProcessor
{
    private readonly Lock _lock = new();
    private readonly Activity?[] _ring;
    private readonly int _maxBatch;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _timeout;
    private readonly SpanQueueFullPolicy _policy;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _exportGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = NewSignal();
    private int _head;
    private int _count;
    private bool _signalled;
    private bool _fullReported;
    private long _dropped;
    private int _disposed;

    public BatchSpanProcessor(ISpanExporter exporter, BatchExportOptions options, TimeProvider timeProvider)
        : base(exporter)
    {
        _ring = new Activity?[options.MaxQueueSize];
        _maxBatch = Math.Min(options.MaxExportBatchSize, options.MaxQueueSize);
        _delay = options.ScheduledDelay;
        _timeout = options.ExportTimeout;
        _policy = options.FullQueuePolicy;
        _time = timeProvider;
        _loop = Task.Run(RunAsync);
    }

    public override long DroppedSpans => Volatile.Read(ref _dropped);

    /// <summary>Gets the number of spans waiting; for tests.</summary>
    internal int Queued
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public override void OnEnd(Activity span)
    {
        bool wake = false;
        bool reportFull = false;
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                _dropped++;
                reportFull = !_fullReported;
                _fullReported = true;
                if (_policy == SpanQueueFullPolicy.DropNewest)
                {
                    goto Report;
                }

                _ring[_head] = null;
                _head = (_head + 1) % _ring.Length;
                _count--;
            }

            _ring[(_head + _count) % _ring.Length] = span;
            _count++;
            if (_count >= _maxBatch && !_signalled)
            {
                _signalled = true;
                wake = true;
            }
        }

        if (wake)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }

    Report:
        if (reportFull)
        {
            MusubiMonitoringEventSource.Log.SpanQueueFull(ExporterName, _ring.Length);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await ExportQueuedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await ExportQueuedAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Task wake = Volatile.Read(ref _wake).Task;
            if (!wake.IsCompleted)
            {
                using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                Task delay = Task.Delay(_delay, _time, delayCancel.Token);
                await Task.WhenAny(wake, delay).ConfigureAwait(false);
                await delayCancel.CancelAsync().ConfigureAwait(false);
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            if (wake.IsCompleted)
            {
                Volatile.Write(ref _wake, NewSignal());
                lock (_lock)
                {
                    _signalled = false;
                }
            }

            await ExportQueuedAsync(stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Exports everything queued now, one batch at a time; export calls never overlap.</summary>
    private async Task ExportQueuedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _exportGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            while (TakeBatch() is { } batch)
            {
                await ExportAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            _exportGate.Release();
        }
    }

    private Activity[]? TakeBatch()
    {
        lock (_lock)
        {
            int n = Math.Min(_count, _maxBatch);
            if (n == 0)
            {
                _fullReported = false;
                return null;
            }

            // A fresh array per batch: an exporter abandoned after its timeout may still be reading the last one.
            var batch = new Activity[n];
            for (int i = 0; i < n; i++)
            {
                batch[i] = _ring[_head]!;
                _ring[_head] = null;
                _head = (_head + 1) % _ring.Length;
            }

            _count -= n;
            return batch;
        }
    }

    private async Task ExportAsync(Activity[] batch)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            CancellationToken token = timeout.Token;

            // Task.Run: an exporter that blocks before returning its task still cannot outlive the timeout.
            await Task.Run(() => Exporter.ExportAsync(batch, token), token)
                .WaitAsync(_timeout, _time)
                .ConfigureAwait(false);
            Completed(batch.Length);
        }
        catch (Exception ex)
        {
            Failed(batch.Length, ex is TimeoutException or OperationCanceledException
                ? new TimeoutException($"The export did not finish within {_timeout}.", ex)
                : ex);
        }
    }
}
