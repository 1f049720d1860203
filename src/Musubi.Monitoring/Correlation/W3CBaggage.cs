using System.Buffers;
using System.Text;

namespace Musubi.Monitoring.Correlation;

/// <summary>Parses and formats the W3C Baggage header (<c>baggage</c>), to the letter of the W3C Baggage specification.</summary>
/// <remarks>
/// <para>
/// A member is <c>key OWS "=" OWS value *(OWS ";" OWS property)</c>: the key is an HTTP token (RFC 7230 <c>tchar</c>s,
/// case-sensitive, never percent-decoded), the value is percent-encoded UTF-8 made of baggage-octets, and properties are
/// read past and dropped.
/// </para>
/// <para>
/// Limits: at most <see cref="MaxMembers"/> members and <see cref="MaxBytes"/> bytes, counted as the members would be
/// sent (<c>key=value</c> in its encoded form, without properties or optional whitespace, plus one <c>,</c> between
/// members) across all header values together. The first member that does not fit ends the list: it and every member
/// after it are dropped whole, never cut, so an oversized header costs no more than the limits.
/// </para>
/// <para>
/// Duplicate keys: the first member with a key wins, later ones are dropped and do not count against the limits, the
/// same rule as <see cref="CorrelationContext.GetBaggage(string)"/> and as <see cref="System.Diagnostics.Activity.Baggage"/>,
/// which lists the newest item first.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class W3CBaggage
{
    /// <summary>The name of the baggage header.</summary>
    public const string HeaderName = "baggage";

    /// <summary>The most members read or written: 64, the specification's minimum to propagate.</summary>
    public const int MaxMembers = 64;

    /// <summary>The most bytes read or written: 8192, the specification's minimum to propagate.</summary>
    public const int MaxBytes = 8192;

    /// <summary>
    /// The most raw header characters <see cref="Parse"/> reads, across all header values: 65,536. Members that
    /// start beyond it are not read (a header that long is padding or an attack, since at most
    /// <see cref="MaxBytes"/> of members are kept).
    /// </summary>
    public const int MaxScannedChars = 64 * 1024;

    // RFC 7230 §3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
    private static readonly SearchValues<char> s_tokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Whether <paramref name="value"/> is a non-empty RFC 7230 token (a valid baggage key or HTTP header name).</summary>
    internal static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExcept(s_tokenChars);

    // baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII except space, '"', ',', ';' and '\'.
    // '%' is one of them, but a value sent must encode it, because the receiver decodes once.
    private static readonly SearchValues<char> s_baggageOctets = SearchValues.Create(
        "!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> s_sentAsIs = SearchValues.Create(
        "!#$&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>
    /// Parses baggage header values, combined as if joined with <c>,</c>, into their members in order: keys as sent,
    /// values percent-decoded once as UTF-8.
    /// </summary>
    /// <remarks>
    /// Optional whitespace around members, keys and values is ignored. A member without <c>=</c>, whose key is not a
    /// token or whose value holds anything but baggage-octets is skipped and the rest are read. In a value, <c>+</c> stays
    /// <c>+</c>, and a <c>%</c> not followed by two hex digits, or escapes that are not UTF-8, become U+FFFD. See the
    /// type's remarks for the limits and for duplicate keys.
    /// </remarks>
    /// <param name="headerValues">The header values, in the order received; <see langword="null"/> values are skipped.</param>
    /// <returns>The members, in the order received; empty when there are none.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string?>? headerValues)
    {
        if (headerValues is null)
        {
            return [];
        }

        List<KeyValuePair<string, string>>? members = null;
        int bytes = -1; // no ',' before the first member
        int scanned = 0;
        foreach (string? headerValue in headerValues)
        {
            ReadOnlySpan<char> remaining = headerValue;
            while (!remaining.IsEmpty)
            {
                // Bounded work: a member that starts past MaxScannedChars of raw header is not read.
                if (scanned >= MaxScannedChars)
                {
                    return members ?? (IReadOnlyList<KeyValuePair<string, string>>)[];
                }

                int comma = remaining.IndexOf(',');
                ReadOnlySpan<char> member = comma < 0 ? remaining : remaining[..comma];
                remaining = comma < 0 ? default : remaining[(comma + 1)..];
                scanned += member.Length + 1;
                if (!TrySplitMember(member, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
                    || (members is not null && ContainsKey(members, key)))
                {
                    continue;
                }

                bytes += key.Length + 1 + value.Length + 1;
                if (bytes > MaxBytes)
                {
                    return members ?? (IReadOnlyList<KeyValuePair<string, string>>)[];
                }

                members ??= [];
                members.Add(new(key.ToString(), Decode(value)));
                if (members.Count == MaxMembers)
                {
                    return members;
                }
            }
        }

        return members ?? (IReadOnlyList<KeyValuePair<string, string>>)[];
    }

    /// <summary>
    /// Formats members as a baggage header value: <c>key=value</c> joined by <c>,</c>, each value's UTF-8 bytes
    /// percent-encoded (uppercase hex) where they are not baggage-octets, and <c>%</c> itself, so that
    /// <see cref="Parse(IEnumerable{string})"/> gives the values back.
    /// </summary>
    /// <remarks>
    /// A member whose key is null or not a token is skipped (never sent). A <see langword="null"/> value is sent as empty.
    /// Lone surrogates in a value are sent as U+FFFD. See the type's remarks for the limits and for duplicate keys.
    /// </remarks>
    /// <param name="members">The members, in order.</param>
    /// <returns>The header value, or <see langword="null"/> when no member is left to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="members"/> is <see langword="null"/>.</exception>
    public static string? Format(IEnumerable<KeyValuePair<string, string>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return FormatCore(members);
    }

    /// <inheritdoc cref="Format(IEnumerable{KeyValuePair{string, string}})"/>
    internal static string? FormatCore<TValue>(IEnumerable<KeyValuePair<string, TValue>> members)
        where TValue : class?
    {
        var builder = new StringBuilder();
        var keys = new List<string>();
        foreach (KeyValuePair<string, TValue> member in members)
        {
            string? key = member.Key;
            string value = member.Value as string ?? string.Empty;
            if (string.IsNullOrEmpty(key) || key.AsSpan().ContainsAnyExcept(s_tokenChars) || keys.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            int separator = builder.Length == 0 ? 0 : 1;
            int budget = MaxBytes - builder.Length - separator - key.Length - 1;
            int encodedLength = EncodedLength(value, budget);
            if (encodedLength < 0)
            {
                break;
            }

            if (separator != 0)
            {
                builder.Append(',');
            }

            builder.Append(key).Append('=');
            AppendEncoded(builder, value);
            keys.Add(key);
            if (keys.Count == MaxMembers)
            {
                break;
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    // member = key OWS "=" OWS value *(OWS ";" OWS property); false when the member is empty or invalid.
    private static bool TrySplitMember(ReadOnlySpan<char> member, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        value = default;
        int equals = member.IndexOf('=');
        key = equals < 0 ? default : member[..equals].Trim(" \t");
        if (key.IsEmpty || key.ContainsAnyExcept(s_tokenChars))
        {
            return false;
        }

        value = member[(equals + 1)..];
        int semicolon = value.IndexOf(';');
        value = (semicolon < 0 ? value : value[..semicolon]).Trim(" \t");
        return !value.ContainsAnyExcept(s_baggageOctets);
    }

    private static bool ContainsKey(List<KeyValuePair<string, string>> members, ReadOnlySpan<char> key)
    {
        foreach (KeyValuePair<string, string> member in members)
        {
            if (key.SequenceEqual(member.Key))
            {
                return true;
            }
        }

        return false;
    }

    // The value is at most MaxBytes ASCII characters (checked before decoding), and decoding never makes it longer.
    private static string Decode(ReadOnlySpan<char> value)
    {
        if (!value.Contains('%'))
        {
            return value.ToString();
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(value.Length * 3);
        try
        {
            int length = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c != '%')
                {
                    rented[length++] = (byte)c;
                }
                else if (i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
                {
                    rented[length++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                    i += 2;
                }
                else
                {
                    // A '%' that starts no escape: U+FFFD in UTF-8; the characters after it are read as they are.
                    rented[length++] = 0xEF;
                    rented[length++] = 0xBF;
                    rented[length++] = 0xBD;
                }
            }

            // Encoding.UTF8 replaces invalid sequences with U+FFFD.
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // The length of the encoded value, or -1 once it is known to exceed the budget.
    private static int EncodedLength(string value, int budget)
    {
        int length = 0;
        int index = 0;
        while (index < value.Length && length <= budget)
        {
            int asIs = value.AsSpan(index).IndexOfAnyExcept(s_sentAsIs);
            if (asIs < 0)
            {
                length += value.Length - index;
                break;
            }

            length += asIs;
            index += asIs;
            Rune.DecodeFromUtf16(value.AsSpan(index), out Rune rune, out int consumed);
            length += rune.Utf8SequenceLength * 3;
            index += consumed;
        }

        return length <= budget ? length : -1;
    }

    private static void AppendEncoded(StringBuilder builder, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        int index = 0;
        while (index < value.Length)
        {
            int asIs = value.AsSpan(index).IndexOfAnyExcept(s_sentAsIs);
            if (asIs < 0)
            {
                builder.Append(value.AsSpan(index));
                return;
            }

            builder.Append(value.AsSpan(index, asIs));
            index += asIs;
            Rune.DecodeFromUtf16(value.AsSpan(index), out Rune rune, out int consumed);
            int written = rune.EncodeToUtf8(utf8);
            foreach (byte b in utf8[..written])
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }

            index += consumed;
        }

        static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
    }
}
