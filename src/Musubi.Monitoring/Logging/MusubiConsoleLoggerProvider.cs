using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// An <see cref="ILoggerProvider"/> that writes one line per record to standard output, as JSON (the default, for log
/// collectors) or text. Added by <c>AddConsoleLogging</c>; configure its levels under <c>Logging:MusubiConsole</c>.
/// </summary>
/// <remarks>
/// Records are formatted on the logging thread and written whole under a lock, so lines from different threads never
/// interleave. Logging never throws: a failing console is reported through the <c>Musubi-Monitoring</c> event source.
/// All members are thread-safe.
/// </remarks>
[ProviderAlias("MusubiConsole")]
public sealed class MusubiConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly LoggerPipeline _pipeline;

    /// <summary>Initializes a new instance of the <see cref="MusubiConsoleLoggerProvider"/> class writing to <see cref="Console.Out"/>.</summary>
    /// <param name="options">The console options.</param>
    /// <param name="monitoringOptions">The service name, version and environment written on every record.</param>
    /// <param name="timeProvider">The clock of the records' timestamps.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public MusubiConsoleLoggerProvider(
        IOptions<ConsoleLoggingOptions> options, IOptions<MusubiMonitoringOptions> monitoringOptions, TimeProvider timeProvider)
        : this(options?.Value!, monitoringOptions?.Value!, timeProvider, Console.Out)
    {
    }

    internal MusubiConsoleLoggerProvider(
        ConsoleLoggingOptions options, MusubiMonitoringOptions monitoringOptions, TimeProvider timeProvider, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(monitoringOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(writer);
        _pipeline = new LoggerPipeline(new LogRecordFormatter(options.Format, monitoringOptions, timeProvider), new ConsoleSink(writer));
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        return _pipeline.GetLogger(categoryName);
    }

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _pipeline.ScopeProvider = scopeProvider;

    /// <summary>Does nothing: the console is not this provider's to close.</summary>
    public void Dispose()
    {
    }

    private sealed class ConsoleSink(TextWriter writer) : ILogLineSink
    {
        private readonly Lock _lock = new();

        public void Write(ReadOnlySpan<byte> line, DateTimeOffset timestamp)
        {
            string text = Encoding.UTF8.GetString(line);
            try
            {
                lock (_lock)
                {
                    writer.Write(text);
                }
            }
#pragma warning disable CA1031 // Logging never throws into the caller; the failure is reported.
            catch (Exception e)
#pragma warning restore CA1031
            {
                MusubiMonitoringEventSource.Log.ConsoleLogWriteFailed(e.Message);
            }
        }

        public void RecordLost()
        {
        }
    }
}
