using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// An <see cref="ILoggerProvider"/> that writes records to rolling log files without making the logging thread wait
/// for the disk. Added by <c>AddFileLogging</c>; configure its levels under <c>Logging:MusubiFile</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ILogger.Log{TState}"/> formats the record on the calling thread (so the current
/// <see cref="System.Diagnostics.Activity"/>, correlation context and scopes are the caller's) and queues it; one
/// background task writes the queue to the file in batches and flushes after each batch. The caller waits only under
/// <see cref="LogQueueFullMode.Block"/> while the queue is full.
/// </para>
/// <para>
/// Logging never throws: a disk that fails is counted in <see cref="FailedWrites"/>, reported through the
/// <c>Musubi-Monitoring</c> event source, and the file is opened again for the next batch. Disposing drains and
/// flushes everything queued (waiting up to <see cref="FileLoggingOptions.ShutdownTimeout"/>) and closes the file.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
[ProviderAlias("MusubiFile")]
public sealed class MusubiFileLoggerProvider : ILoggerProvider, ISupportExternalScope, IAsyncDisposable
{
    private readonly FileLogSink _sink;
    private readonly LoggerPipeline _pipeline;

    /// <summary>Initializes a new instance of the <see cref="MusubiFileLoggerProvider"/> class and starts its background writer.</summary>
    /// <param name="options">The file options.</param>
    /// <param name="monitoringOptions">The service name, version and environment written on every record.</param>
    /// <param name="timeProvider">The clock of the records' timestamps and of the day rolling.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The file options are not valid (see <see cref="FileLoggingOptions"/>).</exception>
    public MusubiFileLoggerProvider(
        IOptions<FileLoggingOptions> options, IOptions<MusubiMonitoringOptions> monitoringOptions, TimeProvider timeProvider)
        : this(Validated(options), monitoringOptions?.Value!, timeProvider, beforeBatch: null)
    {
    }

    internal MusubiFileLoggerProvider(
        FileLoggingOptions options, MusubiMonitoringOptions monitoringOptions, TimeProvider timeProvider, Func<CancellationToken, Task>? beforeBatch)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(monitoringOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _sink = new FileLogSink(options, timeProvider, beforeBatch);
        _pipeline = new LoggerPipeline(new LogRecordFormatter(options.Format, monitoringOptions, timeProvider), _sink);
    }

    /// <summary>
    /// Gets how many records were dropped: logged while the queue was full under <see cref="LogQueueFullMode.DropNewest"/>
    /// or <see cref="LogQueueFullMode.DropOldest"/>, logged after disposal, still queued when the shutdown timeout
    /// passed, or not formattable.
    /// </summary>
    public long DroppedRecords => _sink.DroppedRecords;

    /// <summary>
    /// Gets how many records were lost to the file system: the file or its directory could not be opened, or a write or
    /// flush failed.
    /// </summary>
    public long FailedWrites => _sink.FailedWrites;

    internal string CurrentPath => _sink.CurrentPath;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        return _pipeline.GetLogger(categoryName);
    }

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _pipeline.ScopeProvider = scopeProvider;

    /// <summary>Waits until every record logged before the call is written to the file and flushed (or counted as lost).</summary>
    /// <param name="cancellationToken">Stops the wait (not the writing).</param>
    /// <returns>A task that completes when the records are flushed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _sink.FlushAsync(cancellationToken);

    /// <summary>Writes and flushes everything queued, waiting up to the shutdown timeout, and closes the file.</summary>
    public void Dispose() => _sink.Dispose();

    /// <summary>Writes and flushes everything queued, waiting up to the shutdown timeout, and closes the file.</summary>
    /// <returns>A task that completes when the file is closed or the timeout passed.</returns>
    public ValueTask DisposeAsync() => _sink.DisposeAsync();

    private static FileLoggingOptions Validated(IOptions<FileLoggingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FileLoggingOptions value = options.Value;
        var failures = new List<string>();
        foreach (IValidateOptions<FileLoggingOptions> validator in (IValidateOptions<FileLoggingOptions>[])[new FileLoggingOptionsValidator(), new FileLoggingOptionsRules()])
        {
            ValidateOptionsResult result = validator.Validate(Options.DefaultName, value);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        return failures.Count == 0 ? value : throw new OptionsValidationException(Options.DefaultName, typeof(FileLoggingOptions), failures);
    }
}
