using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// The aggregation state of one instrument: a lock-free lookup table from tag sets to series, an
/// append-only list of series for scrapes, the cardinality limit with its overflow series, and counts of
/// what was refused.
/// </summary>
/// <remarks>
/// Recording is lock-free when the series exists: a probe of an immutable-once-published open-addressing
/// table. Creating a series takes a lock, re-checks, and publishes. Scrapes read the published list.
/// </remarks>
internal abstract class InstrumentState
{
    private const string OverflowKey = "otel.metric.overflow";
    private const int MaxRefusedTracked = 100_000;

    private readonly Lock _lock = new();
    private readonly int _limit;
    private Series?[] _table = new Series?[16];
    private Series[] _items = new Series[8];
    private int _count;
    private const int RecentSize = 128;

    private readonly Series?[] _recent = new Series?[RecentSize];
    private Series? _empty;
    private Series? _overflow;
    private HashSet<ulong>? _refusedHashes;
    private long _refused;
    private long _invalid;

    protected InstrumentState(Instrument instrument, MetricFamily family, int cardinalityLimit)
    {
        Instrument = instrument;
        Family = family;
        _limit = cardinalityLimit;
    }

    public Instrument Instrument { get; }

    public MetricFamily Family { get; }

    /// <summary>Distinct tag sets refused by the cardinality limit (exact up to 100,000, then a lower bound).</summary>
    public long RefusedSeries => Interlocked.Read(ref _refused);

    /// <summary>Measurements ignored because they were invalid for the instrument (NaN, negative counter adds).</summary>
    public long InvalidMeasurements => Interlocked.Read(ref _invalid);

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Records into a series resolved earlier (bound handles), skipping the lookup.</summary>
    public abstract void RecordTo(Series series, double value);

    /// <summary>The series published so far, in creation order (the overflow series last).</summary>
    public ReadOnlySpan<Series> SeriesSnapshot(out Series? overflow)
    {
        int count = Volatile.Read(ref _count);
        Series[] items = Volatile.Read(ref _items);
        overflow = Volatile.Read(ref _overflow);
        return items.AsSpan(0, count);
    }

    /// <summary>Finds or creates the series for <paramref name="tags"/>; never throws.</summary>
    /// <remarks>
    /// Most callers pass the same string instances every time (literals, cached route templates), so a small
    /// direct-mapped cache keyed by the identity of the tag values is tried first: a hit costs a few reference
    /// comparisons instead of hashing every key and value. A miss falls back to the content lookup, which is
    /// what decides identity (values that print the same are one series).
    /// </remarks>
    public Series GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return Volatile.Read(ref _empty) ?? CreateSlow(tags);
        }

        int slot = RecentSlot(tags);
        Series? recent = Volatile.Read(ref _recent[slot]);
        if (recent is not null && recent.SameReferences(tags))
        {
            return recent;
        }

        Series found = FindByContent(tags);
        if (found.SameReferences(tags))
        {
            Volatile.Write(ref _recent[slot], found);
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RecentSlot(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        uint hash = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            hash = (hash ^ (uint)RuntimeHelpers.GetHashCode(tags[i].Value)) * 0x9E3779B1u;
        }

        return (int)(hash >> 25);
    }

    private Series FindByContent(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        ulong hash = HashOf(tags);
        Series?[] table = Volatile.Read(ref _table);
        int mask = table.Length - 1;
        int i = (int)hash & mask;
        while (true)
        {
            Series? candidate = table[i];
            if (candidate is null)
            {
                break;
            }

            if (candidate.Hash == hash && candidate.Matches(tags))
            {
                return candidate;
            }

            i = (i + 1) & mask;
        }

        // Tags whose values are all empty name the series without labels.
        if (hash == 0 && Volatile.Read(ref _empty) is { } empty && empty.Matches(tags))
        {
            return empty;
        }

        return CreateSlow(tags);
    }

    protected void CountInvalid() => Interlocked.Increment(ref _invalid);

    protected abstract Series NewSeries(SeriesIdentity identity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        ulong hash = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            string key = tags[i].Key;
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            object? value = tags[i].Value;
            if (value is string text)
            {
                if (text.Length != 0)
                {
                    hash += Mix(TagText.Hash(key), TagText.Hash(text));
                }
            }
            else
            {
                hash += HashFormatted(key, value);
            }
        }

        return hash;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong HashFormatted(string key, object? value)
    {
        Span<char> buffer = stackalloc char[TagText.BufferLength];
        ReadOnlySpan<char> text = TagText.AsSpan(value, buffer, out _);
        return text.IsEmpty ? 0 : Mix(TagText.Hash(key), TagText.Hash(text));
    }

    private static ulong Mix(ulong key, ulong value)
    {
        ulong h = (key * 0x9E3779B97F4A7C15UL) ^ value;
        h ^= h >> 32;
        return h * 0xD6E8FEB86659FD93UL;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Series CreateSlow(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Normalise: drop empty keys and empty values, keep the first of duplicate keys, values as text.
        var keys = new List<string>(tags.Length);
        var values = new List<string>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            // An empty value is no label in Prometheus: such a tag is left out, so {a=""} and {} are one series.
            string text = string.IsNullOrEmpty(tag.Key) ? string.Empty : TagText.ToText(tag.Value);
            if (text.Length == 0 || keys.Contains(tag.Key))
            {
                continue;
            }

            keys.Add(tag.Key);
            values.Add(text);
        }

        ulong hash = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            hash += Mix(TagText.Hash(keys[i]), TagText.Hash(values[i]));
        }

        lock (_lock)
        {
            if (keys.Count == 0 && _empty is { } empty)
            {
                return empty;
            }

            Series? existing = Probe(hash, keys, values);
            if (existing is not null)
            {
                return existing;
            }

            if (_count >= _limit)
            {
                _refusedHashes ??= [];
                if (_refusedHashes.Count < MaxRefusedTracked ? _refusedHashes.Add(hash) : !_refusedHashes.Contains(hash))
                {
                    _refused++;
                    if (_refused == 1)
                    {
                        MusubiMonitoringEventSource.Log.CardinalityLimitReached(Instrument.Meter.Name, Instrument.Name, _limit);
                    }
                }

                return _overflow ??= NewSeries(new SeriesIdentity(
                    [OverflowKey], ["true"], 0, [new("otel_metric_overflow", "true")], []));
            }

            Series series = NewSeries(new SeriesIdentity([.. keys], [.. values], hash, Family.ToLabels(keys, values), References(tags)));
            series.LabelsUtf8 = Exposition.PrometheusTextWriter.EncodeLabels(series.Labels);
            Append(series);
            if (keys.Count == 0)
            {
                Volatile.Write(ref _empty, series);
            }
            else
            {
                Insert(series);
            }

            return series;
        }
    }

    /// <summary>The tag objects of the call that created a series, for the identity cache.</summary>
    private static object?[] References(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var references = new object?[tags.Length * 2];
        for (int i = 0; i < tags.Length; i++)
        {
            references[2 * i] = tags[i].Key;
            references[(2 * i) + 1] = tags[i].Value;
        }

        return references;
    }

    private Series? Probe(ulong hash, List<string> keys, List<string> values)
    {
        Series?[] table = _table;
        int mask = table.Length - 1;
        for (int i = (int)hash & mask; table[i] is { } candidate; i = (i + 1) & mask)
        {
            if (candidate.Hash == hash && candidate.Keys.Length == keys.Count && SameTags(candidate, keys, values))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool SameTags(Series series, List<string> keys, List<string> values)
    {
        for (int i = 0; i < keys.Count; i++)
        {
            int at = Array.IndexOf(series.Keys, keys[i]);
            if (at < 0 || !string.Equals(series.Values[at], values[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void Append(Series series)
    {
        if (_count == _items.Length)
        {
            var grown = new Series[_items.Length * 2];
            _items.AsSpan().CopyTo(grown);
            Volatile.Write(ref _items, grown);
        }

        _items[_count] = series;
        Volatile.Write(ref _count, _count + 1);
    }

    private void Insert(Series series)
    {
        Series?[] table = _table;
        if ((_count + 1) * 2 > table.Length)
        {
            var grown = new Series?[table.Length * 2];
            foreach (Series? s in table)
            {
                if (s is not null)
                {
                    Place(grown, s);
                }
            }

            Place(grown, series);
            Volatile.Write(ref _table, grown);
            return;
        }

        Place(table, series);
    }

    private static void Place(Series?[] table, Series series)
    {
        int mask = table.Length - 1;
        int i = (int)series.Hash & mask;
        while (table[i] is not null)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref table[i], series);
    }
}

/// <summary>Counters and up-down counters: a running sum per series.</summary>
internal sealed class SumState(Instrument instrument, MetricFamily family, int limit, bool monotonic)
    : InstrumentState(instrument, family, limit)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (monotonic && value < 0)
        {
            CountInvalid();
            return;
        }

        ((SumSeries)GetSeries(tags)).Add(value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value) || (monotonic && value < 0))
        {
            CountInvalid();
            return;
        }

        ((SumSeries)GetSeries(tags)).Add(value);
    }

    public override void RecordTo(Series series, double value)
    {
        if (!double.IsFinite(value) || (monotonic && value < 0))
        {
            CountInvalid();
            return;
        }

        ((SumSeries)series).Add(value);
    }

    protected override Series NewSeries(SeriesIdentity identity) => new SumSeries(identity);
}

/// <summary>Gauges and observable instruments: the last value per series.</summary>
internal sealed class LastValueState(Instrument instrument, MetricFamily family, int limit)
    : InstrumentState(instrument, family, limit)
{
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        => ((LastValueSeries)GetSeries(tags)).Set(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        => ((LastValueSeries)GetSeries(tags)).Set(value);

    public override void RecordTo(Series series, double value) => ((LastValueSeries)series).Set(value);

    protected override Series NewSeries(SeriesIdentity identity) => new LastValueSeries(identity);
}

/// <summary>Explicit-bucket histograms (Prometheus <c>le</c> semantics: a value equal to a bound counts in that bucket).</summary>
internal sealed class HistogramState(Instrument instrument, MetricFamily family, int limit)
    : InstrumentState(instrument, family, limit)
{
    private readonly double[] _bounds = family.Bounds!;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            CountInvalid();
            return;
        }

        ((HistogramSeries)GetSeries(tags)).Observe(BucketOf(value), value);
    }

    public override void RecordTo(Series series, double value)
    {
        if (double.IsNaN(value))
        {
            CountInvalid();
            return;
        }

        ((HistogramSeries)series).Observe(BucketOf(value), value);
    }

    protected override Series NewSeries(SeriesIdentity identity) => new HistogramSeries(identity, _bounds.Length + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketOf(double value)
    {
        double[] bounds = _bounds;
        if (bounds.Length <= 16)
        {
            int i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            return i;
        }

        int found = Array.BinarySearch(bounds, value);
        return found >= 0 ? found : ~found;
    }
}
