using System.Diagnostics;

namespace Musubi.Monitoring.Tracing;

/// <summary>
/// Keeps the most recent finished spans in memory, for tests, diagnostics pages and samples. Registered with
/// <c>AddInMemorySpanExporter</c>, it receives each span as it ends (no batching delay).
/// </summary>
/// <remarks>Thread-safe. When full, the oldest span is evicted and counted in <see cref="EvictedSpans"/>.</remarks>
public sealed class InMemorySpanExporter : ISpanExporter
{
    private readonly Lock _lock = new();
    private readonly Activity?[] _ring;
    private int _next;
    private int _count;
    private long _evicted;

    /// <summary>Initializes a new instance of the <see cref="InMemorySpanExporter"/> class.</summary>
    /// <param name="capacity">The most spans kept; older ones are evicted.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1 or more than 1,000,000.</exception>
    public InMemorySpanExporter(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1_000_000);
        _ring = new Activity?[capacity];
    }

    /// <summary>Gets the most spans kept.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Gets how many spans were evicted to make room for newer ones.</summary>
    public long EvictedSpans => Volatile.Read(ref _evicted);

    /// <inheritdoc/>
    public Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_lock)
        {
            foreach (Activity span in spans)
            {
                if (span is null)
                {
                    continue;
                }

                if (_count == _ring.Length)
                {
                    _evicted++;
                }
                else
                {
                    _count++;
                }

                _ring[_next] = span;
                _next = (_next + 1) % _ring.Length;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Returns the spans kept, oldest first (in the order they ended).</summary>
    /// <returns>A snapshot; later spans do not change it.</returns>
    public IReadOnlyList<Activity> GetFinishedSpans()
    {
        lock (_lock)
        {
            var spans = new Activity[_count];
            int start = (_next - _count + _ring.Length) % _ring.Length;
            for (int i = 0; i < _count; i++)
            {
                spans[i] = _ring[(start + i) % _ring.Length]!;
            }

            return spans;
        }
    }

    /// <summary>Returns the finished spans of one trace, ordered by start time.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <returns>The spans; empty when none of that trace is kept.</returns>
    public IReadOnlyList<Activity> GetTrace(ActivityTraceId traceId) =>
        [.. GetFinishedSpans().Where(s => s.TraceId == traceId).OrderBy(s => s.StartTimeUtc)];

    /// <summary>Forgets every span kept.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _next = 0;
            _count = 0;
        }
    }
}
