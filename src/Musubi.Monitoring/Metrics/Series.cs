using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Musubi.Monitoring.Metrics;

/// <summary>One label set of one instrument: its identity (tags as recorded, labels as exported) and its value cells.</summary>
/// <remarks>Identity fields are immutable; value cells are updated with interlocked operations.</remarks>
internal abstract class Series
{
    protected Series(SeriesIdentity identity)
    {
        Keys = identity.Keys;
        Values = identity.Values;
        Hash = identity.Hash;
        Labels = identity.Labels;
        _references = identity.References;
    }


    /// <summary>Tag keys as recorded (non-empty, first occurrence wins).</summary>
    public string[] Keys { get; }

    /// <summary>Tag values as text, parallel to <see cref="Keys"/>.</summary>
    public string[] Values { get; }

    /// <summary>Order-independent hash of keys and value texts.</summary>
    public ulong Hash { get; }

    /// <summary>Exported labels: sanitised names with values, sorted by name.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary>Cached UTF-8 <c>name="value",…</c> (escaped, no braces) for the text formats.</summary>
    public byte[] LabelsUtf8 { get; set; } = [];

    private readonly object?[] _references;

    /// <summary>
    /// Whether <paramref name="tags"/> are the very objects, in the same order, that created this series (a
    /// sufficient test of identity, never a necessary one; the overflow series has no references and never matches).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool SameReferences(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        object?[] references = _references;
        if (references.Length != tags.Length * 2)
        {
            return false;
        }

        for (int i = 0; i < tags.Length; i++)
        {
            if (!ReferenceEquals(references[2 * i], tags[i].Key) || !ReferenceEquals(references[(2 * i) + 1], tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="tags"/> (non-empty keys, no duplicates) name this series.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string[] keys = Keys;
        string[] values = Values;
        int effective = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            string key = tags[i].Key;
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            object? value = tags[i].Value;
            string? text = value as string;
            if (text is null && value is not null)
            {
                // Non-string values are compared by their text, off the common path.
                if (!MatchesFormatted(key, value, ref effective))
                {
                    return false;
                }

                continue;
            }

            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            int at = effective < keys.Length && ReferenceEquals(keys[effective], key) ? effective : IndexOf(keys, key);
            effective++;
            if (at < 0 || (!ReferenceEquals(text, values[at]) && !string.Equals(text, values[at], StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return effective == keys.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool MatchesFormatted(string key, object value, ref int effective)
    {
        Span<char> buffer = stackalloc char[TagText.BufferLength];
        ReadOnlySpan<char> text = TagText.AsSpan(value, buffer, out _);
        if (text.IsEmpty)
        {
            return true;
        }

        int at = IndexOf(Keys, key);
        effective++;
        return at >= 0 && text.SequenceEqual(Values[at]);
    }

    private static int IndexOf(string[] keys, string key)
    {
        for (int i = 0; i < keys.Length; i++)
        {
            if (ReferenceEquals(keys[i], key) || string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The identity of a series, computed once when it is created.</summary>
/// <param name="Keys">Tag keys as recorded.</param>
/// <param name="Values">Tag values as text.</param>
/// <param name="Hash">Order-independent hash of keys and value texts.</param>
/// <param name="Labels">Exported labels.</param>
/// <param name="References">The keys and values, interleaved, of the call that created the series.</param>
internal sealed record SeriesIdentity(
    string[] Keys, string[] Values, ulong Hash, KeyValuePair<string, string>[] Labels, object?[] References);

/// <summary>
/// A cell whose two hot fields have 64 bytes of padding on both sides, so that neither a neighbouring series'
/// hot fields nor its object header (read on every type check) ever shares their cache line.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct PaddedCell
{
    [FieldOffset(64)]
    public long Long;

    [FieldOffset(72)]
    public double Double;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddDouble(ref double target, double value)
    {
        double current = Volatile.Read(ref target);
        while (true)
        {
            double seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>
/// A running sum (counters and up-down counters): integers exactly, floating values beside them. It starts as
/// one cell; the first time two threads collide on it, it grows one cell per processor (like Java's
/// <c>LongAdder</c>), so a hot series shared by many threads does not bounce one cache line between cores.
/// </summary>
internal sealed class SumSeries(SeriesIdentity identity) : Series(identity)
{
    private static readonly int s_stripeCount = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 2, 64));

    private PaddedCell _cell;
    private PaddedCell[]? _stripes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long value)
    {
        PaddedCell[]? stripes = _stripes;
        if (stripes is null)
        {
            long current = Volatile.Read(ref _cell.Long);
            long next = current + value;
            if (Overflows(current, value, next))
            {
                // Past long's range the integer cell would wrap negative: the rest goes to the floating cell.
                PaddedCell.AddDouble(ref _cell.Double, value);
                return;
            }

            if (Interlocked.CompareExchange(ref _cell.Long, next, current) == current)
            {
                return;
            }

            stripes = Inflate();
        }

        ref PaddedCell stripe = ref stripes[Thread.GetCurrentProcessorId() & (stripes.Length - 1)];
        long after = Interlocked.Add(ref stripe.Long, value);
        if (Overflows(after - value, value, after))
        {
            Interlocked.Add(ref stripe.Long, -value);
            PaddedCell.AddDouble(ref stripe.Double, value);
        }
    }

    /// <summary>Whether <paramref name="before"/> + <paramref name="value"/> wrapped around to <paramref name="after"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Overflows(long before, long value, long after) => ((before ^ after) & (value ^ after)) < 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        PaddedCell[]? stripes = _stripes;
        if (stripes is null)
        {
            double current = Volatile.Read(ref _cell.Double);
            if (BitConverter.DoubleToInt64Bits(Interlocked.CompareExchange(ref _cell.Double, current + value, current))
                == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            stripes = Inflate();
        }

        PaddedCell.AddDouble(ref stripes[Thread.GetCurrentProcessorId() & (stripes.Length - 1)].Double, value);
    }

    public double Value
    {
        get
        {
            long integral = Volatile.Read(ref _cell.Long);
            double floating = Volatile.Read(ref _cell.Double);
            if (Volatile.Read(ref _stripes) is { } stripes)
            {
                for (int i = 0; i < stripes.Length; i++)
                {
                    integral += Volatile.Read(ref stripes[i].Long);
                    floating += Volatile.Read(ref stripes[i].Double);
                }
            }

            return integral + floating;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PaddedCell[] Inflate()
    {
        Interlocked.CompareExchange(ref _stripes, new PaddedCell[s_stripeCount], null);
        return _stripes!;
    }
}

/// <summary>The last recorded value (gauges and observable instruments).</summary>
internal sealed class LastValueSeries(SeriesIdentity identity) : Series(identity)
{
    private PaddedCell _cell;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(double value) => Volatile.Write(ref _cell.Double, value);

    public double Value => Volatile.Read(ref _cell.Double);
}

/// <summary>Explicit-bucket histogram: per-bucket counts (not cumulative) and the sum.</summary>
internal sealed class HistogramSeries : Series
{
    private readonly long[] _counts;
    private PaddedCell _sum;

    public HistogramSeries(SeriesIdentity identity, int bucketCount)
        : base(identity)
    {
        // Spare slots at both ends keep neighbouring arrays' hot counts off this array's cache lines.
        _counts = new long[bucketCount + 16];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(int bucket, double value)
    {
        Interlocked.Increment(ref _counts[bucket + 8]);
        PaddedCell.AddDouble(ref _sum.Double, value);
    }

    public double Sum => Volatile.Read(ref _sum.Double);

    /// <summary>Copies the per-bucket counts (the last is the +Inf bucket) and returns their total.</summary>
    public long CopyCounts(Span<long> destination)
    {
        long total = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            long c = Volatile.Read(ref _counts[i + 8]);
            destination[i] = c;
            total += c;
        }

        return total;
    }
}
