namespace Musubi.Monitoring.Metrics;

/// <summary>Matches meter names against names and <c>*</c> patterns (ordinal, case-sensitive like meter names).</summary>
internal sealed class MeterMatcher(IEnumerable<string> patterns)
{
    private readonly string[] _patterns = [.. patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())];

    public bool IsMatch(string meterName) => _patterns.Any(p => Glob(p, meterName));

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.SequenceEqual(text);
        }

        if (!text.StartsWith(pattern[..star]))
        {
            return false;
        }

        ReadOnlySpan<char> rest = pattern[(star + 1)..];
        text = text[star..];
        for (int i = 0; i <= text.Length; i++)
        {
            if (Glob(rest, text[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
