namespace Musubi.Monitoring.Quality;

/// <summary>How source file paths from different reports are recognised as the same file.</summary>
/// <remarks>
/// A path is normalised by turning every <c>\</c> into <c>/</c>, collapsing repeated separators, dropping <c>.</c>
/// segments, resolving <c>..</c> against the segment before it, removing a trailing separator and upper-casing a
/// Windows drive letter (<c>c:\</c> is <c>C:/</c> on every operating system). Paths are then
/// compared ignoring case on Windows and macOS, whose default file systems ignore case, and ordinally elsewhere.
/// Relative and absolute paths of one file are different identities: readers resolve a report's relative paths
/// against the report's own source roots first (Cobertura <c>&lt;source&gt;</c>).
/// </remarks>
public static class CoveragePaths
{
    /// <summary>The comparer of normalised paths on this operating system.</summary>
    public static StringComparer Comparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>Normalises a source file path as described on <see cref="CoveragePaths"/>.</summary>
    /// <param name="path">The path as a report gives it.</param>
    /// <returns>The normalised path.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    public static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string unified = path.Trim().Replace('\\', '/');
        bool rooted = unified.StartsWith('/');
        bool unc = unified.StartsWith("//", StringComparison.Ordinal);
        var segments = new List<string>();
        foreach (string segment in unified.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[^1] != ".." && !segments[^1].EndsWith(':'))
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        // A drive letter's case never matters (C:\ and c:\ are one drive), whatever OS reads the report.
        if (!rooted && segments.Count > 0 && segments[0] is [char drive, ':'] && char.IsAsciiLetterLower(drive))
        {
            segments[0] = char.ToUpperInvariant(drive) + ":";
        }

        string joined = string.Join('/', segments);
        return unc ? "//" + joined : rooted ? "/" + joined : joined;
    }

    internal static bool IsRooted(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');
}
