using System.Globalization;
using System.Xml;

namespace Musubi.Monitoring.Quality;

/// <summary>Streams a Cobertura report into a <see cref="CoverageBuilder"/>.</summary>
/// <remarks>
/// Rates (<c>line-rate</c>, <c>branch-rate</c>) are ignored: coverage is recomputed from the <c>&lt;line&gt;</c>
/// elements. Lines listed both under a <c>&lt;method&gt;</c> and directly under their <c>&lt;class&gt;</c> (as
/// coverlet writes them) are one observation of the same run, so the larger hit count is kept, never the sum.
/// The <c>timestamp</c> is Unix time in seconds, or in milliseconds when it is above 10^11 (a seconds value that
/// large is past the year 5000). A relative <c>filename</c> is resolved against the report's single
/// <c>&lt;source&gt;</c>; with several sources, against the first one under which the file exists on this machine,
/// else the first one.
/// </remarks>
internal static class CoberturaReader
{
    private const long MillisecondsThreshold = 100_000_000_000L;

    public static void Read(XmlReader reader, string path, CoverageBuilder builder, CancellationToken cancellationToken)
    {
        reader.MoveToContent();
        ReadTimestamp(reader, path, builder);
        var sources = new List<string>();
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        int packageDepth = -1;
        int classDepth = -1;
        int methodDepth = -1;
        FileCoverageBuilder? file = null;
        string? methodName = null, methodSignature = null;
        List<int>? methodLines = null;
        int unwrappedClasses = 0, orphanLines = 0, badLines = 0;
        string? firstBadLine = null;
        long elements = 0;

        bool positioned = false;
        while (positioned || reader.Read())
        {
            positioned = false;
            if ((++elements & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.Depth == methodDepth)
                {
                    EndMethod();
                }
                else if (reader.Depth == classDepth)
                {
                    classDepth = -1;
                    file = null;
                }
                else if (reader.Depth == packageDepth)
                {
                    packageDepth = -1;
                }

                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "source":
                    if (!reader.IsEmptyElement)
                    {
                        string source = reader.ReadElementContentAsString().Trim();
                        positioned = true;
                        if (source.Length > 0)
                        {
                            sources.Add(source);
                        }
                    }

                    break;

                case "package":
                    if (!reader.IsEmptyElement)
                    {
                        packageDepth = reader.Depth;
                    }

                    break;

                case "class":
                    string? filename = reader.GetAttribute("filename");
                    if (packageDepth < 0)
                    {
                        unwrappedClasses++;
                    }

                    if (string.IsNullOrWhiteSpace(filename))
                    {
                        builder.Warnings.Add($"Report {ReportFiles.Where(path, reader)}: class '{reader.GetAttribute("name")}' has no filename; its lines are skipped.");
                        file = null;
                    }
                    else
                    {
                        file = builder.File(Resolve(filename, sources, resolved));
                    }

                    if (!reader.IsEmptyElement)
                    {
                        classDepth = reader.Depth;
                    }
                    else
                    {
                        file = null;
                    }

                    break;

                case "method":
                    if (!reader.IsEmptyElement && file is not null)
                    {
                        methodDepth = reader.Depth;
                        methodName = reader.GetAttribute("name") ?? string.Empty;
                        methodSignature = reader.GetAttribute("signature") ?? string.Empty;
                        methodLines = [];
                    }

                    break;

                case "line":
                    if (file is null)
                    {
                        orphanLines++;
                        break;
                    }

                    if (!TryReadLine(reader, file, methodLines))
                    {
                        badLines++;
                        firstBadLine ??= ReportFiles.Where(path, reader);
                    }

                    break;
            }
        }

        if (unwrappedClasses > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {unwrappedClasses} <class> element(s) outside <packages>/<package>; read anyway."));
        }

        if (orphanLines > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {orphanLines} <line> element(s) outside a <class> with a filename; skipped."));
        }

        if (badLines > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {badLines} <line> element(s) without a valid number or hits (first at {firstBadLine}); skipped."));
        }

        void EndMethod()
        {
            if (file is not null && methodLines is not null)
            {
                int first = methodLines.Count > 0 ? methodLines.Min() : 0;
                file.AddMethod(methodName!, methodSignature!, first, methodLines);
            }

            methodDepth = -1;
            methodLines = null;
        }
    }

    private static bool TryReadLine(XmlReader reader, FileCoverageBuilder file, List<int>? methodLines)
    {
        if (!int.TryParse(reader.GetAttribute("number"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) || number <= 0)
        {
            return false;
        }

        string? hitsText = reader.GetAttribute("hits");
        long hits;
        if (!long.TryParse(hitsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out hits))
        {
            // Some writers emit hits beyond long or as a decimal ("1.0"); anything that parses as a non-negative number counts.
            if (!decimal.TryParse(hitsText, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal big) || big < 0)
            {
                return false;
            }

            hits = big >= long.MaxValue ? long.MaxValue : (long)decimal.Ceiling(big);
        }

        file.AddLine(number, hits, sumHits: false);
        methodLines?.Add(number);
        // condition-coverage is only written on branch="True" lines; reading it first spares a string per line.
        if (reader.GetAttribute("condition-coverage") is { } condition
            && TryParseConditionCoverage(condition, out int covered, out int arms) && arms > 0
            && (reader.GetAttribute("branch") is not { } branch || !bool.TryParse(branch, out bool isBranch) || isBranch))
        {
            file.AddBranchCounts(number, arms, covered);
        }

        return true;
    }

    /// <summary>Parses <c>"50% (1/2)"</c>: the counts in parentheses, ignoring the percentage.</summary>
    internal static bool TryParseConditionCoverage(string? text, out int covered, out int arms)
    {
        covered = arms = 0;
        if (text is null)
        {
            return false;
        }

        int open = text.IndexOf('(', StringComparison.Ordinal);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        int close = text.IndexOf(')', StringComparison.Ordinal);
        return open >= 0 && slash > open && close > slash
            && int.TryParse(text.AsSpan(open + 1, slash - open - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out covered)
            && int.TryParse(text.AsSpan(slash + 1, close - slash - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out arms)
            && covered >= 0 && arms >= 0 && covered <= arms;
    }

    internal static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value) || value < 0)
        {
            return null;
        }

        long whole = (long)decimal.Truncate(Math.Min(value, long.MaxValue));
        try
        {
            return whole >= MillisecondsThreshold
                ? DateTimeOffset.FromUnixTimeMilliseconds(whole)
                : DateTimeOffset.FromUnixTimeSeconds(whole);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static void ReadTimestamp(XmlReader reader, string path, CoverageBuilder builder)
    {
        string? text = reader.GetAttribute("timestamp");
        if (text is null)
        {
            return;
        }

        if (ParseTimestamp(text) is { } timestamp)
        {
            builder.Timestamp = timestamp;
        }
        else
        {
            builder.Warnings.Add($"Report '{path}': timestamp '{text}' is not Unix seconds or milliseconds; ignored.");
        }
    }

    private static string Resolve(string filename, List<string> sources, Dictionary<string, string> cache)
    {
        if (CoveragePaths.IsRooted(filename) || sources.Count == 0)
        {
            return filename;
        }

        if (cache.TryGetValue(filename, out string? known))
        {
            return known;
        }

        string result = Combine(sources[0], filename);
        if (sources.Count > 1)
        {
            foreach (string source in sources)
            {
                string candidate = Combine(source, filename);
                if (File.Exists(candidate))
                {
                    result = candidate;
                    break;
                }
            }
        }

        cache[filename] = result;
        return result;
    }

    private static string Combine(string source, string filename) =>
        source.EndsWith('/') || source.EndsWith('\\') ? source + filename : source + "/" + filename;
}
