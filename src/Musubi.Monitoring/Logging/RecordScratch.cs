using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// The per-thread buffers one record is formatted into: the UTF-8 output, its <see cref="Utf8JsonWriter"/>, and the
/// lists the scopes are gathered into. Rented for one record and given back, so a logger that logs while formatting
/// (a <c>ToString</c> that logs) gets a fresh one instead of writing over the record in progress.
/// </summary>
internal sealed class RecordScratch
{
    /// <summary>A scratch that grew past this (one huge record) is dropped rather than kept for the thread's lifetime.</summary>
    private const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic]
    private static RecordScratch? t_cached;

    private RecordScratch()
    {
        Json = new Utf8JsonWriter(Buffer, LogRecordFormatter.JsonOptions);
    }

    public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

    public Utf8JsonWriter Json { get; }

    public StringBuilder Text { get; } = new(256);

    /// <summary>The scopes of the record, outermost first, as <see cref="Microsoft.Extensions.Logging.IExternalScopeProvider"/> gives them.</summary>
    public List<object?> Scopes { get; } = [];

    /// <summary>The property names already written, so a scope property does not repeat one.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    public static RecordScratch Rent()
    {
        RecordScratch? scratch = t_cached;
        if (scratch is null)
        {
            return new RecordScratch();
        }

        t_cached = null;
        return scratch;
    }

    public static void Return(RecordScratch scratch)
    {
        if (scratch.Buffer.Capacity > MaxRetainedBytes || scratch.Text.Capacity > MaxRetainedBytes)
        {
            return;
        }

        scratch.Buffer.ResetWrittenCount();
        scratch.Text.Clear();
        scratch.Scopes.Clear();
        scratch.Keys.Clear();
        t_cached = scratch;
    }
}
