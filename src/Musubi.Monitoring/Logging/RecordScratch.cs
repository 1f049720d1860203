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

    /// <summary>
    /// The record's own properties then those of its key/value scopes (innermost first), copied before anything is
    /// written, so a state or scope that throws while enumerating cannot leave the JSON half-written.
    /// </summary>
    public List<KeyValuePair<string, object?>> Properties { get; } = [];

    /// <summary>The items of a sequence property, copied before its array is written, for the same reason.</summary>
    public List<object?> Items { get; } = [];

    /// <summary>The property names already written, when a record has too many properties to compare them one by one.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Encodes <see cref="Text"/> chunk by chunk; stateful, so a surrogate pair split across two chunks is encoded as
    /// one character, not as two U+FFFD.
    /// </summary>
    public Encoder Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

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
        scratch.Properties.Clear();
        scratch.Items.Clear();
        scratch.Keys.Clear();
        t_cached = scratch;
    }
}
