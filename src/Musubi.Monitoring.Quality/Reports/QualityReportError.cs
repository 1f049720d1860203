using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>A report file that could not be read, while the other reports of a <see cref="QualityReportSet"/> were.</summary>
/// <param name="FilePath">The file's path as given.</param>
/// <param name="Kind">Why it could not be read.</param>
/// <param name="Message">The message, naming the file and, when known, the line and position.</param>
/// <param name="LineNumber">The 1-based line of the problem, when known.</param>
/// <param name="LinePosition">The 1-based position on the line, when known.</param>
public sealed record QualityReportError(string FilePath, QualityReportErrorKind Kind, string Message, int? LineNumber = null, int? LinePosition = null)
{
    /// <inheritdoc/>
    public override string ToString() => Message;

    internal static string Describe(string filePath, string problem, int? lineNumber, int? linePosition) => lineNumber is { } line
        ? string.Create(CultureInfo.InvariantCulture, $"Report '{filePath}' (line {line}{(linePosition is { } position ? $", position {position}" : string.Empty)}): {problem}")
        : $"Report '{filePath}': {problem}";
}
