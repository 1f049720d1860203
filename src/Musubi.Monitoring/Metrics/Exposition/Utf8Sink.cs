using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Musubi.Monitoring.Metrics.Exposition;

/// <summary>Appends UTF-8 to an <see cref="IBufferWriter{T}"/> in large chunks.</summary>
internal ref struct Utf8Sink
{
    private const int ChunkSize = 16 * 1024;
    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _position;

    public Utf8Sink(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = writer.GetSpan(ChunkSize);
        _position = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _position < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte b)
    {
        if (_position == _span.Length)
        {
            Grow(1);
        }

        _span[_position++] = b;
    }

    public void WriteLong(long value)
    {
        if (_span.Length - _position < 20)
        {
            Grow(20);
        }

        Utf8Formatter.TryFormat(value, _span[_position..], out int written);
        _position += written;
    }

    /// <summary>Writes a number: canonical OpenMetrics form, or plain text-format form.</summary>
    public void WriteNumber(double value, bool openMetrics)
    {
        if (_span.Length - _position < PrometheusNumber.MaxLength)
        {
            Grow(PrometheusNumber.MaxLength);
        }

        _position += openMetrics
            ? PrometheusNumber.Format(value, _span[_position..], canonical: true)
            : PrometheusNumber.FormatPlain(value, _span[_position..]);
    }

    public void Flush()
    {
        _writer.Advance(_position);
        _position = 0;
        _span = default;
    }

    private void Grow(int needed)
    {
        _writer.Advance(_position);
        _position = 0;
        _span = _writer.GetSpan(Math.Max(needed, ChunkSize));
    }
}
