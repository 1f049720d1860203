namespace Musubi.Monitoring.Quality;

/// <summary>A thresholds-and-gate JSON document (see <see cref="QualityConfiguration"/>) cannot be read or has a bad entry.</summary>
/// <remarks>The message names the file (or "&lt;json&gt;"), the JSON path of the entry, the metric and the bad value.</remarks>
public sealed class QualityConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QualityConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public QualityConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QualityConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a document.</summary>
    /// <param name="file">The file, or a name such as "&lt;json&gt;".</param>
    /// <param name="message">The message, without the file.</param>
    /// <param name="innerException">The cause.</param>
    public QualityConfigurationException(string file, string message, Exception? innerException = null)
        : base($"{file}: {message}", innerException) => File = file;

    /// <summary>The file, or the name given to a JSON text; <see langword="null"/> when not known.</summary>
    public string? File { get; }
}
