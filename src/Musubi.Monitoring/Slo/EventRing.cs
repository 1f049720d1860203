namespace Musubi.Monitoring.Slo;

/// <summary>
/// A fixed ring of time buckets of event counts (all and bad), aligned to multiples of the bucket width since
/// 0001-01-01 UTC. A bucket is reused when its slot comes round again, so memory is the bucket count, whatever the
/// uptime.
/// </summary>
/// <remarks>Not thread-safe: the monitor serialises evaluations.</remarks>
internal sealed class EventRing
{
    private readonly long _width;
    private readonly long[] _index;
    private readonly double[] _total;
    private readonly double[] _bad;

    /// <summary>Creates a ring of <paramref name="width"/> buckets long enough to sum any window up to <paramref name="coverage"/>.</summary>
    public EventRing(TimeSpan width, TimeSpan coverage)
    {
        _width = width.Ticks;
        Coverage = coverage;
        // A window of length W starting inside a bucket touches at most ceil(W / width) + 1 buckets.
        int count = checked((int)((coverage.Ticks + _width - 1) / _width) + 1);
        _index = new long[count];
        Array.Fill(_index, -1);
        _total = new double[count];
        _bad = new double[count];
    }

    /// <summary>Gets the bucket width.</summary>
    public TimeSpan Width => TimeSpan.FromTicks(_width);

    /// <summary>Gets the longest window the ring can sum.</summary>
    public TimeSpan Coverage { get; }

    /// <summary>Gets the number of buckets (fixed).</summary>
    public int BucketCount => _index.Length;

    /// <summary>Adds events to the bucket that holds <paramref name="now"/>.</summary>
    public void Add(DateTimeOffset now, double total, double bad)
    {
        long index = now.UtcTicks / _width;
        int slot = (int)(index % _index.Length);
        if (_index[slot] != index)
        {
            _index[slot] = index;
            _total[slot] = 0;
            _bad[slot] = 0;
        }

        _total[slot] += total;
        _bad[slot] += bad;
    }

    /// <summary>
    /// Sums the events in (<paramref name="now"/> − <paramref name="window"/>, <paramref name="now"/>]: every bucket
    /// inside, and the share of the oldest bucket that lies inside (events taken as spread evenly over a bucket).
    /// Buckets never written (before the monitor started) count as empty, so a window longer than the data seen sums
    /// what exists.
    /// </summary>
    public (double Total, double Bad) Sum(DateTimeOffset now, TimeSpan window)
    {
        long end = now.UtcTicks;
        long start = end - Math.Min(window.Ticks, Coverage.Ticks);
        long current = end / _width;
        long first = start / _width;
        double total = 0;
        double bad = 0;
        for (long index = Math.Max(first, current - _index.Length + 1); index <= current; index++)
        {
            int slot = (int)(index % _index.Length);
            if (_index[slot] != index)
            {
                continue;
            }

            double weight = index == first ? (double)(((first + 1) * _width) - start) / _width : 1;
            total += _total[slot] * weight;
            bad += _bad[slot] * weight;
        }

        return (total, bad);
    }
}
