namespace Musubi.Monitoring.Costs;

/// <summary>
/// A configured mapping from model names to a catalogue key. <see cref="Pattern"/> must match the whole name;
/// <c>*</c> stands for any run of characters and every other character matches itself (case-insensitively), so
/// <c>gpt-4o-*</c> matches <c>gpt-4o-audio-preview</c> but not <c>my-gpt-4o-x</c>.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record ModelPattern
{
    /// <summary>Creates a pattern rule.</summary>
    /// <param name="pattern">The glob, for example <c>gpt-4o-*</c>.</param>
    /// <param name="key">The catalogue key the matching names are priced as.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument is empty or white space, or <paramref name="pattern"/> is only <c>*</c> characters (it would price every model).</exception>
    public ModelPattern(string pattern, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (pattern.Trim('*').Length == 0)
        {
            throw new ArgumentException($"Pattern \"{pattern}\" matches every model name; give a literal part such as \"gpt-4o-*\".", nameof(pattern));
        }

        Pattern = pattern;
        Key = key;
    }

    /// <summary>The glob the whole model name must match.</summary>
    public string Pattern { get; }

    /// <summary>The catalogue key the matching names are priced as.</summary>
    public string Key { get; }

    /// <summary>Whether <paramref name="model"/> matches the whole pattern.</summary>
    /// <param name="model">A model name.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public bool IsMatch(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Glob(Pattern.AsSpan(), model.AsSpan());
    }

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative wildcard match with backtracking to the last '*': linear in practice, no regex.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
