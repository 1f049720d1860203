using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace Musubi.Monitoring.Correlation;

/// <summary>
/// Parses and formats the W3C Trace Context headers <c>traceparent</c> and <c>tracestate</c>
/// (W3C Trace Context Level 1, §3.2 and §3.3), to the letter of the specification.
/// </summary>
/// <remarks>
/// <para>
/// Unlike <see cref="ActivityContext.TryParse(string, string, out ActivityContext)"/>, the parser refuses separators other
/// than <c>-</c>, uppercase hex and version <c>ff</c>, and accepts higher versions by reading their version-00 prefix, as
/// the specification's versioning rules ask.
/// </para>
/// <para>
/// The parsers never throw and stop reading as soon as the outcome is known, so an untrusted header of any size costs
/// little. All members are thread-safe.
/// </para>
/// </remarks>
public static class W3CTraceContext
{
    /// <summary>The name of the header that carries the trace id, the parent id and the trace flags.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The name of the header that carries vendor-specific trace state.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>The most members a <c>tracestate</c> may have (§3.3.1.1).</summary>
    internal const int MaxTraceStateMembers = 32;

    // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2.
    private const int TraceParentLength = 55;
    private const int TraceIdLength = 32;
    private const int SpanIdLength = 16;

    // simple-key: lcalpha 0*255(keychar) = at most 256; tenant-id: (lcalpha / DIGIT) 0*240(keychar) = at most 241;
    // system-id: lcalpha 0*13(keychar) = at most 14; value: 0*255(chr) nblk-chr = 1 to 256 characters.
    private const int MaxSimpleKeyLength = 256;
    private const int MaxTenantIdLength = 241;
    private const int MaxSystemIdLength = 14;
    private const int MaxValueLength = 256;
    private const int MaxMemberLength = MaxSimpleKeyLength + 1 + MaxValueLength;
    private const int MaxTraceStateLength = (MaxTraceStateMembers * MaxMemberLength) + MaxTraceStateMembers - 1;

    // A truncated tracestate drops entries longer than this first (§3.3.1.5).
    private const int LongEntryLength = 128;

    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    private static readonly SearchValues<char> s_keyChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-*/");

    // chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E: printable ASCII except ',' and '='.
    private static readonly SearchValues<char> s_valueChars = SearchValues.Create(
        " !\"#$%&'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>
    /// Parses a <c>traceparent</c> header value: two lowercase hex digits of version (not <c>ff</c>), a 32-digit trace id
    /// and a 16-digit parent id in lowercase hex, neither all zeros, and two hex digits of flags, separated by <c>-</c>.
    /// Version <c>00</c> is exactly 55 characters; a higher version may carry more only after a <c>-</c> at position 55,
    /// and only its version-00 prefix is read. Spaces and tabs around the value are ignored.
    /// </summary>
    /// <param name="value">The header value.</param>
    /// <param name="context">
    /// The remote context on success: its <see cref="ActivityContext.TraceFlags"/> is
    /// <see cref="ActivityTraceFlags.Recorded"/> when the sampled bit is set and <see cref="ActivityTraceFlags.None"/>
    /// otherwise (other flag bits are ignored), its trace state is <see langword="null"/>; <see langword="default"/> on failure.
    /// </param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid <c>traceparent</c>.</returns>
    public static bool TryParseTraceParent(ReadOnlySpan<char> value, out ActivityContext context)
    {
        context = default;
        value = value.TrimStart(" \t");
        if (value.Length < TraceParentLength)
        {
            return false;
        }

        ReadOnlySpan<char> version = value[..2];
        ReadOnlySpan<char> traceId = value.Slice(3, TraceIdLength);
        ReadOnlySpan<char> spanId = value.Slice(36, SpanIdLength);
        ReadOnlySpan<char> flags = value.Slice(53, 2);
        if (value[2] != '-' || value[35] != '-' || value[52] != '-'
            || version.ContainsAnyExcept(s_lowerHex) || version is "ff"
            || traceId.ContainsAnyExcept(s_lowerHex) || !traceId.ContainsAnyExcept('0')
            || spanId.ContainsAnyExcept(s_lowerHex) || !spanId.ContainsAnyExcept('0')
            || flags.ContainsAnyExcept(s_lowerHex))
        {
            return false;
        }

        // What follows the version-00 fields: nothing but optional whitespace, or, for a higher version, "-" and fields
        // this version does not know (which are not read at all).
        ReadOnlySpan<char> rest = value[TraceParentLength..];
        if (!rest.IsEmpty && !(rest[0] == '-' && version is not "00") && rest.ContainsAnyExcept(" \t"))
        {
            return false;
        }

        ActivityTraceFlags traceFlags = (HexValue(flags[1]) & 1) != 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        context = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId),
            ActivitySpanId.CreateFromString(spanId),
            traceFlags,
            traceState: null,
            isRemote: true);
        return true;
    }

    /// <summary>
    /// Formats <paramref name="context"/> as a version-00 <c>traceparent</c>: <c>00-&lt;trace-id&gt;-&lt;parent-id&gt;-&lt;flags&gt;</c>,
    /// where the flags are <c>01</c> when <see cref="ActivityTraceFlags.Recorded"/> is set and <c>00</c> otherwise.
    /// </summary>
    /// <param name="context">The context whose span becomes the parent.</param>
    /// <returns>The 55-character header value.</returns>
    /// <exception cref="ArgumentException">The trace id or the span id of <paramref name="context"/> is all zeros (for example a <see langword="default"/> context).</exception>
    public static string FormatTraceParent(in ActivityContext context)
    {
        if (!IsValid(context.TraceId))
        {
            throw new ArgumentException(
                "The context's trace id is all zeros (a default context?); a traceparent needs a non-zero 16-byte trace id.",
                nameof(context));
        }

        if (!IsValid(context.SpanId))
        {
            throw new ArgumentException(
                "The context's span id is all zeros; a traceparent needs a non-zero 8-byte parent id.",
                nameof(context));
        }

        return FormatValidTraceParent(context.TraceId, context.SpanId, context.TraceFlags);
    }

    /// <summary>The longest raw <c>tracestate</c> (all header values together) that is read at all: 64 KiB.</summary>
    private const int MaxTraceStateRawLength = 64 * 1024;

    /// <summary>
    /// Parses <c>tracestate</c> header values, combined as if joined with <c>,</c>, and returns them normalized: the members
    /// joined by <c>,</c> without optional whitespace or empty members, and only the first member of each key.
    /// </summary>
    /// <remarks>
    /// A key is a simple key (a lowercase letter, then up to 255 of <c>a-z 0-9 _ - * /</c>) or a multi-tenant key
    /// <c>tenant@system</c> (a tenant of 1 to 241 characters starting with a lowercase letter or digit, a system of 1 to
    /// 14 characters starting with a lowercase letter). A value is 1 to 256 printable ASCII characters other than
    /// <c>,</c> and <c>=</c>, not ending in a space. One invalid member, or more than 32 members, discards the whole
    /// header (the specification's choice for a receiver that cannot trust it), as does a header longer than 64 KiB
    /// in all (32 valid members never need that much; it is not read further).
    /// </remarks>
    /// <param name="headerValues">The header values, in the order received; <see langword="null"/> values are skipped.</param>
    /// <returns>The normalized tracestate, or <see langword="null"/> when there is none or it is invalid.</returns>
    public static string? ParseTraceState(IEnumerable<string?>? headerValues)
    {
        if (headerValues is null)
        {
            return null;
        }

        char[] buffer = ArrayPool<char>.Shared.Rent(MaxTraceStateLength);
        try
        {
            Span<Range> keys = stackalloc Range[MaxTraceStateMembers];
            int count = 0;
            int length = 0;
            string? onlyInput = null;
            int inputs = 0;
            long rawLength = 0;
            foreach (string? headerValue in headerValues)
            {
                if (headerValue is null)
                {
                    continue;
                }

                // Bounded work: 32 members of at most 512 characters never need 64 KiB; longer is padding or an attack.
                rawLength += headerValue.Length;
                if (rawLength > MaxTraceStateRawLength)
                {
                    return null;
                }

                inputs++;
                onlyInput = headerValue;
                ReadOnlySpan<char> remaining = headerValue;
                while (true)
                {
                    int comma = remaining.IndexOf(',');
                    ReadOnlySpan<char> member = (comma < 0 ? remaining : remaining[..comma]).Trim(" \t");
                    if (!member.IsEmpty)
                    {
                        if (member.Length > MaxMemberLength)
                        {
                            return null;
                        }

                        int equals = member.IndexOf('=');
                        if (equals < 0 || !IsValidKey(member[..equals]) || !IsValidValue(member[(equals + 1)..]))
                        {
                            return null;
                        }

                        ReadOnlySpan<char> key = member[..equals];
                        if (!ContainsKey(buffer, keys[..count], key))
                        {
                            if (count == MaxTraceStateMembers)
                            {
                                return null;
                            }

                            if (count > 0)
                            {
                                buffer[length++] = ',';
                            }

                            keys[count++] = new Range(length, length + key.Length);
                            member.CopyTo(buffer.AsSpan(length));
                            length += member.Length;
                        }
                    }

                    if (comma < 0)
                    {
                        break;
                    }

                    remaining = remaining[(comma + 1)..];
                }
            }

            if (count == 0)
            {
                return null;
            }

            ReadOnlySpan<char> normalized = buffer.AsSpan(0, length);
            return inputs == 1 && normalized.SequenceEqual(onlyInput) ? onlyInput : new string(normalized);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The <c>tracestate</c> to send: <paramref name="traceState"/> validated as an incoming one would be (an invalid
    /// one — control characters, non-ASCII, bad keys, more than 32 members — is not sent at all, so a value that
    /// came from anywhere can never inject a header) and truncated to 512 characters.
    /// </summary>
    internal static string? ForSending(string? traceState) =>
        string.IsNullOrEmpty(traceState) || ParseTraceState([traceState]) is not { } valid
            ? null
            : TruncateTraceState(valid) is { Length: > 0 } truncated ? truncated : null;

    /// <summary>
    /// Shortens an outgoing <c>tracestate</c> to at most <paramref name="maxLength"/> characters by removing whole
    /// entries (§3.3.1.5): first the entries longer than 128 characters, from the end, until it fits; then entries from
    /// the end until it fits.
    /// </summary>
    /// <param name="traceState">The tracestate, members separated by <c>,</c>.</param>
    /// <param name="maxLength">The longest result allowed; the specification asks for at least 512.</param>
    /// <returns>
    /// <paramref name="traceState"/> itself when it fits; otherwise the remaining entries joined by <c>,</c>, which may be
    /// empty when no entry fits.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="traceState"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public static string TruncateTraceState(string traceState, int maxLength = 512)
    {
        ArgumentNullException.ThrowIfNull(traceState);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (traceState.Length <= maxLength)
        {
            return traceState;
        }

        var entries = new List<Range>();
        int length = -1;
        foreach (Range range in traceState.AsSpan().Split(','))
        {
            ReadOnlySpan<char> untrimmed = traceState.AsSpan(range);
            ReadOnlySpan<char> entry = untrimmed.Trim(" \t");
            if (!entry.IsEmpty)
            {
                int start = range.Start.Value + untrimmed.Length - untrimmed.TrimStart(" \t").Length;
                entries.Add(new Range(start, start + entry.Length));
                length += entry.Length + 1;
            }
        }

        // Entries are removed by marking them; the joined length drops by the entry and one comma.
        bool[] removed = new bool[entries.Count];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = entries.Count - 1; i >= 0 && length > maxLength; i--)
            {
                int entryLength = entries[i].GetOffsetAndLength(traceState.Length).Length;
                if (!removed[i] && (pass == 1 || entryLength > LongEntryLength))
                {
                    removed[i] = true;
                    length -= entryLength + 1;
                }
            }
        }

        var kept = new StringBuilder(Math.Max(0, length));
        for (int i = 0; i < entries.Count; i++)
        {
            if (!removed[i])
            {
                if (kept.Length > 0)
                {
                    kept.Append(',');
                }

                kept.Append(traceState.AsSpan(entries[i]));
            }
        }

        return kept.ToString();
    }

    /// <summary>Formats a version-00 traceparent when both ids are known to be valid, or returns <see langword="null"/>.</summary>
    internal static string? TryFormatTraceParent(in ActivityContext context) =>
        IsValid(context.TraceId) && IsValid(context.SpanId)
            ? FormatValidTraceParent(context.TraceId, context.SpanId, context.TraceFlags)
            : null;

    private static string FormatValidTraceParent(ActivityTraceId traceId, ActivitySpanId spanId, ActivityTraceFlags flags) =>
        string.Create(TraceParentLength, (traceId, spanId, flags), static (destination, state) =>
        {
            "00-".CopyTo(destination);
            state.traceId.ToHexString().CopyTo(destination[3..]);
            destination[35] = '-';
            state.spanId.ToHexString().CopyTo(destination[36..]);
            destination[52] = '-';
            destination[53] = '0';
            destination[54] = (state.flags & ActivityTraceFlags.Recorded) != 0 ? '1' : '0';
        });

    private static bool IsValid(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return bytes.ContainsAnyExcept((byte)0);
    }

    private static bool IsValid(ActivitySpanId spanId)
    {
        Span<byte> bytes = stackalloc byte[8];
        spanId.CopyTo(bytes);
        return bytes.ContainsAnyExcept((byte)0);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'a' + 10;

    private static bool ContainsKey(char[] buffer, ReadOnlySpan<Range> keys, ReadOnlySpan<char> key)
    {
        foreach (Range range in keys)
        {
            if (buffer.AsSpan(range).SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    // key = simple-key / multi-tenant-key (Level 1 §3.3.1.3.1).
    private static bool IsValidKey(ReadOnlySpan<char> key)
    {
        int at = key.IndexOf('@');
        if (at < 0)
        {
            return key.Length is > 0 and <= MaxSimpleKeyLength && char.IsAsciiLetterLower(key[0]) && !key.ContainsAnyExcept(s_keyChars);
        }

        ReadOnlySpan<char> tenant = key[..at];
        ReadOnlySpan<char> system = key[(at + 1)..];
        return tenant.Length is > 0 and <= MaxTenantIdLength
            && (char.IsAsciiLetterLower(tenant[0]) || char.IsAsciiDigit(tenant[0]))
            && !tenant.ContainsAnyExcept(s_keyChars)
            && system.Length is > 0 and <= MaxSystemIdLength
            && char.IsAsciiLetterLower(system[0])
            && !system.ContainsAnyExcept(s_keyChars);
    }

    // value = 0*255(chr) nblk-chr. The member was trimmed, so a value cannot end in a space here.
    private static bool IsValidValue(ReadOnlySpan<char> value) =>
        value.Length is > 0 and <= MaxValueLength && value[^1] != ' ' && !value.ContainsAnyExcept(s_valueChars);
}
