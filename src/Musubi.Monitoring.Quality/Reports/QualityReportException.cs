namespace Musubi.Monitoring.Quality;

/// <summary>A report file could not be read; the message names the file and, when known, the line and position.</summary>
public sealed class QualityReportException : IOException
{
    /// <summary>Creates an exception with no details.</summary>
    public QualityReportException()
        : this("A quality report could not be read.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public QualityReportException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QualityReportException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    internal QualityReportException(string filePath, QualityReportErrorKind kind, string problem, int? lineNumber = null, int? linePosition = null, Exception? innerException = null)
        : base(QualityReportError.Describe(filePath, problem, lineNumber, linePosition), innerException)
    {
        FilePath = filePath;
        Kind = kind;
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    /// <summary>The report file's path as given.</summary>
    public string FilePath { get; }

    /// <summary>Why the file could not be read.</summary>
    public QualityReportErrorKind Kind { get; }

    /// <summary>The 1-based line of the problem, when known.</summary>
    public int? LineNumber { get; }

    /// <summary>The 1-based position on <see cref="LineNumber"/>, when known.</summary>
    public int? LinePosition { get; }

    /// <summary>The error as a value, for <see cref="QualityReportSet.Errors"/>.</summary>
    /// <returns>The error.</returns>
    public QualityReportError ToError() => new(FilePath, Kind, Message, LineNumber, LinePosition);
}
