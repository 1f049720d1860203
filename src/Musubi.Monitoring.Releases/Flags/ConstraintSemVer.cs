namespace Musubi.Monitoring.Releases;

/// <summary>
/// A strict Semantic Versioning 2.0.0 version for SEMVER_* constraints (no leading <c>v</c>, no leading zeros), parsed
/// without allocating (the public <see cref="SemanticVersion"/> keeps its identifiers as strings; this one is on the
/// evaluation hot path):
/// the pre-release identifiers stay in the source string. Build metadata is ignored in comparisons.
/// </summary>
internal readonly struct ConstraintSemVer
{
    private readonly string _source;
    private readonly int _preStart;
    private readonly int _preLength;

    private ConstraintSemVer(ulong major, ulong minor, ulong patch, string source, int preStart, int preLength)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _source = source;
        _preStart = preStart;
        _preLength = preLength;
    }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    private ReadOnlySpan<char> PreRelease => _source.AsSpan(_preStart, _preLength);

    public static bool TryParse(string? text, out ConstraintSemVer version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ReadOnlySpan<char> s = text;
        int pos = 0;
        if (!Numeric(s, ref pos, out ulong major) || !Dot(s, ref pos) ||
            !Numeric(s, ref pos, out ulong minor) || !Dot(s, ref pos) ||
            !Numeric(s, ref pos, out ulong patch))
        {
            return false;
        }

        int preStart = 0;
        int preLength = 0;
        if (pos < s.Length && s[pos] == '-')
        {
            pos++;
            preStart = pos;
            if (!Identifiers(s, ref pos, checkLeadingZeros: true))
            {
                return false;
            }

            preLength = pos - preStart;
        }

        if (pos < s.Length && s[pos] == '+')
        {
            pos++;
            if (!Identifiers(s, ref pos, checkLeadingZeros: false))
            {
                return false;
            }
        }

        if (pos != s.Length)
        {
            return false;
        }

        version = new ConstraintSemVer(major, minor, patch, text, preStart, preLength);
        return true;
    }

    /// <summary>
    /// Compares a plain <c>major.minor.patch</c> (no pre-release, no build metadata) with <paramref name="other"/>
    /// without building a version; the answer is the one <see cref="TryParse"/> and <see cref="CompareTo"/> give.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="text"/> is anything else (the caller parses it fully).</returns>
    public static bool TryCompareRelease(string? text, in ConstraintSemVer other, out int result)
    {
        result = 0;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> s = text;
        int pos = 0;
        if (!Numeric(s, ref pos, out ulong major) || !Dot(s, ref pos) ||
            !Numeric(s, ref pos, out ulong minor) || !Dot(s, ref pos) ||
            !Numeric(s, ref pos, out ulong patch) || pos != s.Length)
        {
            return false;
        }

        result = major != other.Major ? (major > other.Major ? 1 : -1)
            : minor != other.Minor ? (minor > other.Minor ? 1 : -1)
            : patch != other.Patch ? (patch > other.Patch ? 1 : -1)
            : (other._preLength == 0 ? 0 : 1); // A release ranks above a pre-release of the same version.
        return true;
    }

    public int CompareTo(in ConstraintSemVer other)
    {
        int c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        if (c != 0)
        {
            return c;
        }

        c = Patch.CompareTo(other.Patch);
        if (c != 0)
        {
            return c;
        }

        ReadOnlySpan<char> a = PreRelease;
        ReadOnlySpan<char> b = other.PreRelease;
        if (a.IsEmpty || b.IsEmpty)
        {
            // A version without pre-release ranks above one with.
            return a.IsEmpty && b.IsEmpty ? 0 : (a.IsEmpty ? 1 : -1);
        }

        while (true)
        {
            int ia = a.IndexOf('.');
            int ib = b.IndexOf('.');
            ReadOnlySpan<char> pa = ia < 0 ? a : a[..ia];
            ReadOnlySpan<char> pb = ib < 0 ? b : b[..ib];
            c = CompareIdentifier(pa, pb);
            if (c != 0)
            {
                return c;
            }

            if (ia < 0 || ib < 0)
            {
                return ia < 0 && ib < 0 ? 0 : (ia < 0 ? -1 : 1);
            }

            a = a[(ia + 1)..];
            b = b[(ib + 1)..];
        }
    }

    private static int CompareIdentifier(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        bool na = AllDigits(a);
        bool nb = AllDigits(b);
        if (na && nb)
        {
            // No leading zeros, so the longer number is the larger; equal lengths compare digit by digit.
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(a.SequenceCompareTo(b));
        }

        if (na != nb)
        {
            return na ? -1 : 1;
        }

        return Math.Sign(a.SequenceCompareTo(b));
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char ch in s)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Dot(ReadOnlySpan<char> s, ref int pos)
    {
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            return true;
        }

        return false;
    }

    private static bool Numeric(ReadOnlySpan<char> s, ref int pos, out ulong value)
    {
        value = 0;
        int start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            if (value > (ulong.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[pos] - '0');
            pos++;
        }

        int length = pos - start;
        return length > 0 && !(length > 1 && s[start] == '0');
    }

    private static bool Identifiers(ReadOnlySpan<char> s, ref int pos, bool checkLeadingZeros)
    {
        while (true)
        {
            int start = pos;
            bool digitsOnly = true;
            while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '-'))
            {
                digitsOnly &= char.IsAsciiDigit(s[pos]);
                pos++;
            }

            int length = pos - start;
            if (length == 0 || (checkLeadingZeros && digitsOnly && length > 1 && s[start] == '0'))
            {
                return false;
            }

            if (pos < s.Length && s[pos] == '.')
            {
                pos++;
                continue;
            }

            return true;
        }
    }
}
