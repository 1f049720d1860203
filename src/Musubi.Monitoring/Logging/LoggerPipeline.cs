using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Logging;

/// <summary>Where a formatted line goes: the console writer or the file queue.</summary>
internal interface ILogLineSink
{
    /// <summary>Takes one formatted line (ending in <c>\n</c>); copies it if it keeps it. Never throws.</summary>
    public void Write(ReadOnlySpan<byte> line, DateTimeOffset timestamp);

    /// <summary>Counts a record that could not be formatted.</summary>
    public void RecordLost();
}

/// <summary>
/// What the loggers of one provider share: the formatter, the sink, the scope provider, and the logger per category.
/// Thread-safe.
/// </summary>
internal sealed class LoggerPipeline
{
    private readonly ConcurrentDictionary<string, MusubiLogger> _loggers = new(StringComparer.Ordinal);
    private readonly LogRecordFormatter _formatter;
    private readonly ILogLineSink _sink;
    private volatile IExternalScopeProvider? _scopeProvider;

    public LoggerPipeline(LogRecordFormatter formatter, ILogLineSink sink)
    {
        _formatter = formatter;
        _sink = sink;
    }

    public IExternalScopeProvider? ScopeProvider
    {
        get => _scopeProvider;
        set => _scopeProvider = value;
    }

    public ILogger GetLogger(string category) => _loggers.GetOrAdd(category, static (name, pipeline) => new MusubiLogger(name, pipeline), this);

    public void Log<TState>(
        string category, JsonEncodedText encodedCategory, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string>? formatter)
    {
        RecordScratch scratch = RecordScratch.Rent();
        try
        {
            DateTimeOffset timestamp = _formatter.Format(scratch, category, encodedCategory, level, eventId, state, exception, formatter, _scopeProvider);
            _sink.Write(scratch.Buffer.WrittenSpan, timestamp);
        }
#pragma warning disable CA1031 // Logging never throws into the caller; the failure is counted and reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _sink.RecordLost();
            MusubiMonitoringEventSource.Log.LogRecordFormatFailed(category, e.ToString());
        }
        finally
        {
            RecordScratch.Return(scratch);
        }
    }
}

/// <summary>The <see cref="ILogger"/> of one category; all the work is in <see cref="LoggerPipeline"/>.</summary>
internal sealed class MusubiLogger : ILogger
{
    private readonly string _category;
    private readonly JsonEncodedText _encodedCategory;
    private readonly LoggerPipeline _pipeline;

    public MusubiLogger(string category, LoggerPipeline pipeline)
    {
        _category = category;
        _encodedCategory = LogRecordFormatter.Encode(category);
        _pipeline = pipeline;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => _pipeline.ScopeProvider?.Push(state) ?? NoScope.Instance;

    // Levels are filtered by the logging infrastructure (Logging:MusubiFile:LogLevel and the like), as for any provider.
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.None)
        {
            return;
        }

        _pipeline.Log(_category, _encodedCategory, logLevel, eventId, state, exception, formatter);
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
