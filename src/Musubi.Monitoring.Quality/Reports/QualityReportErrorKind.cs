namespace Musubi.Monitoring.Quality;

/// <summary>Why a report file could not be read.</summary>
public enum QualityReportErrorKind
{
    /// <summary>The content is not well formed: truncated XML, a bad number in a record.</summary>
    Malformed = 0,

    /// <summary>No file exists at the path.</summary>
    NotFound = 1,

    /// <summary>The path is a directory.</summary>
    IsDirectory = 2,

    /// <summary>The file could not be opened or read (permissions, an I/O failure).</summary>
    Unreadable = 3,

    /// <summary>The file is empty or white space.</summary>
    Empty = 4,

    /// <summary>The file is binary, not text.</summary>
    Binary = 5,

    /// <summary>The file is text but of no format Musubi.Monitoring reads.</summary>
    UnknownFormat = 6,

    /// <summary>A test report was given where coverage was expected, or the reverse.</summary>
    WrongKind = 7,
}
