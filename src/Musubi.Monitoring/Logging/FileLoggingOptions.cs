using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Logging;

/// <summary>Options for the Musubi rolling file logger (<c>AddFileLogging</c>).</summary>
/// <remarks>
/// <para>
/// Files are named from <see cref="Path"/>: with <see cref="LogRollInterval.Day"/> the UTC date of the records goes
/// between the name and the extension (<c>logs/app.log</c> writes <c>logs/app.20261203.log</c>); a file that reaches
/// <see cref="FileSizeLimitBytes"/> continues in <c>app.20261203_001.log</c>, <c>app.20261203_002.log</c> and so on.
/// With <see cref="LogRollInterval.None"/> the files are <c>app.log</c>, <c>app_001.log</c>, …. On start the logger
/// appends to the newest file of the current period.
/// </para>
/// <para>Read once when the provider is built; later changes to this object have no effect.</para>
/// </remarks>
public sealed class FileLoggingOptions
{
    /// <summary>Gets or sets the path of the log file; the rolled files are named from it (see the remarks).</summary>
    /// <value>
    /// The default is <see langword="null"/>, which fails validation: a path is required. A relative path is resolved
    /// against the current directory when the provider is built; a missing directory is created. The path must not
    /// contain control characters, and the rolled file names (the name plus up to 13 characters of date and sequence
    /// number) and every directory name must fit in 255 characters (bytes of UTF-8 on Linux and macOS).
    /// </value>
    [Required]
    public string Path { get; set; } = null!;

    /// <summary>Gets or sets how each record is written.</summary>
    /// <value>The default is <see cref="LogFormat.Json"/>.</value>
    public LogFormat Format { get; set; } = LogFormat.Json;

    /// <summary>
    /// Gets or sets the size in bytes at which a file rolls over to the next one. A record is never split across
    /// files, so every file stays within the limit unless one record alone is larger (it is then written alone).
    /// </summary>
    /// <value>The default is 10 MiB (10,485,760 bytes). <see langword="null"/> rolls on time only.</value>
    public long? FileSizeLimitBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Gets or sets when a new file is started regardless of size.</summary>
    /// <value>The default is <see cref="LogRollInterval.Day"/> (by the UTC date of the records' timestamps).</value>
    public LogRollInterval RollInterval { get; set; } = LogRollInterval.Day;

    /// <summary>
    /// Gets or sets how many log files (the current one included) are kept; when a new file is opened the oldest
    /// beyond this count are deleted.
    /// </summary>
    /// <value>The default is 31. <see langword="null"/> keeps every file.</value>
    public int? RetainedFileCountLimit { get; set; } = 31;

    /// <summary>Gets or sets how many formatted records may wait for the background writer.</summary>
    /// <value>The default is 10,000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets what happens to a record logged while the queue is full.</summary>
    /// <value>
    /// The default is <see cref="LogQueueFullMode.Block"/>: nothing is lost, and a logging thread waits only when the
    /// writer is <see cref="QueueCapacity"/> records behind. Choose <see cref="LogQueueFullMode.DropNewest"/> where
    /// latency matters more than completeness; drops are counted in <see cref="MusubiFileLoggerProvider.DroppedRecords"/>.
    /// </value>
    public LogQueueFullMode FullMode { get; set; } = LogQueueFullMode.Block;

    /// <summary>
    /// Gets or sets how long disposing the provider waits for the queued records to reach the file. Records still
    /// queued after it are counted as dropped.
    /// </summary>
    /// <value>The default is 5 seconds. It must be positive and at most 1 hour.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
