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
            await ExportQueuedAsync(disposing: false, cancellationToken).ConfigureAwait(false);
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

        await ExportQueuedAsync(disposing: true, CancellationToken.None).ConfigureAwait(false);
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

            await ExportQueuedAsync(disposing: false, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Exports everything queued now, one batch at a time; export calls never overlap. Stops when
    /// <paramref name="cancellationToken"/> is cancelled (what is left stays queued). When disposing, an exporter that
    /// times out is not called again: the rest is counted as failed, so shutdown waits one export timeout at most
    /// for an exporter that hangs.
    /// </summary>
    private async Task ExportQueuedAsync(bool disposing, CancellationToken cancellationToken)
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
            bool unresponsive = false;
            while (!cancellationToken.IsCancellationRequested && TakeBatch() is { } batch)
            {
                if (unresponsive)
                {
                    Failed(batch.Length, new TimeoutException("Not exported: the exporter timed out while the tracer was shutting down."));
                    continue;
                }

                // The background loop's stop signal only ends the loop; an export in flight is left to finish.
                CancellationToken abandon = cancellationToken == _stopping.Token ? CancellationToken.None : cancellationToken;
                unresponsive = !await ExportAsync(batch, abandon).ConfigureAwait(false) && disposing;
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

    /// <summary>Exports one batch; returns false when the export timed out (or was abandoned by <paramref name="cancellationToken"/>).</summary>
    private async Task<bool> ExportAsync(Activity[] batch, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            CancellationToken token = linked.Token;

            // Task.Run: an exporter that blocks before returning its task still cannot outlive the timeout.
            Task export = Task.Run(() => Exporter.ExportAsync(batch, token)
                ?? throw new InvalidOperationException($"{ExporterName}.ExportAsync returned null instead of a task."), token);
            await export.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            Completed(batch.Length);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Failed(batch.Length, new TimeoutException(cancellationToken.IsCancellationRequested
                ? "The export was abandoned: the host is stopping."
                : $"The export did not finish within {_timeout}.", ex));
            return false;
        }
        catch (Exception ex)
        {
            Failed(batch.Length, ex);
            return true;
        }
    }
}
