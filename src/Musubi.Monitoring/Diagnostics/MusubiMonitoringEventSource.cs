using System.Diagnostics.Tracing;

namespace Musubi.Monitoring.Diagnostics;

/// <summary>
/// The library's own diagnostics, where telemetry and export paths report what they could not do instead of
/// throwing into the host. Listen with <c>dotnet-trace</c> or an <see cref="EventListener"/> on
/// <c>Musubi-Monitoring</c>.
/// </summary>
[EventSource(Name = "Musubi-Monitoring")]
internal sealed class MusubiMonitoringEventSource : EventSource
{
    public static readonly MusubiMonitoringEventSource Log = new();

    [Event(1, Level = EventLevel.Warning, Message = "Instrument '{1}' of meter '{0}' is not exported: {2}")]
    public void InstrumentIgnored(string meter, string instrument, string reason) => WriteEvent(1, meter, instrument, reason);

    [Event(2, Level = EventLevel.Warning, Message = "Instrument '{1}' of meter '{0}' reached its cardinality limit of {2} series; new tag sets go to the overflow series.")]
    public void CardinalityLimitReached(string meter, string instrument, int limit) => WriteEvent(2, meter, instrument, limit);

    [Event(3, Level = EventLevel.Error, Message = "Collecting observable instruments failed: {0}")]
    public void ObservableCallbackFailed(string error) => WriteEvent(3, error);

    [Event(4, Level = EventLevel.Error, Message = "Writing a metrics scrape failed: {0}")]
    public void ExportFailed(string error) => WriteEvent(4, error);

    [Event(10, Level = EventLevel.Error, Message = "Exporter '{0}' failed to export {1} span(s): {2}")]
    public void SpanExportFailed(string exporter, int count, string error) => WriteEvent(10, exporter, count, error);

    [Event(11, Level = EventLevel.Warning, Message = "The span queue of exporter '{0}' is full ({1} spans); spans are being dropped.")]
    public void SpanQueueFull(string exporter, int capacity) => WriteEvent(11, exporter, capacity);

    [Event(12, Level = EventLevel.Error, Message = "A tracing callback failed in {0}: {1}")]
    public void TracingCallbackFailed(string where, string error) => WriteEvent(12, where, error);

    // Logging: event ids 20-29.

    [Event(20, Level = EventLevel.Error, Message = "Writing to log file '{0}' failed; {1} records were lost: {2}")]
    public void LogFileWriteFailed(string path, long records, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(20, path, records, error);
        }
    }

    [Event(21, Level = EventLevel.Warning, Message = "Deleting old log file '{0}' failed: {1}")]
    public void LogFileDeleteFailed(string path, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(21, path, error);
        }
    }

    [Event(22, Level = EventLevel.Warning, Message = "The queue of log file '{0}' was full: {1} records dropped ({2} in all).")]
    public void LogRecordsDropped(string path, long dropped, long total)
    {
        if (IsEnabled())
        {
            WriteEvent(22, path, dropped, total);
        }
    }

    [Event(23, Level = EventLevel.Error, Message = "Log file '{0}' did not drain within {2} at shutdown; {1} queued records were dropped.")]
    public void LogFileShutdownTimedOut(string path, long pending, string timeout)
    {
        if (IsEnabled())
        {
            WriteEvent(23, path, pending, timeout);
        }
    }

    [Event(24, Level = EventLevel.Error, Message = "A log record of category '{0}' could not be formatted and was dropped: {1}")]
    public void LogRecordFormatFailed(string category, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(24, category, error);
        }
    }

    [Event(25, Level = EventLevel.Error, Message = "Writing a log record to the console failed: {0}")]
    public void ConsoleLogWriteFailed(string error)
    {
        if (IsEnabled())
        {
            WriteEvent(25, error);
        }
    }

    [Event(26, Level = EventLevel.Warning, Message = "A log record of category '{0}' was written without part of {1}, which threw: {2}")]
    public void LogRecordFieldFailed(string category, string field, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(26, category, field, error);
        }
    }

    // Health checks: event ids 30-39.

    [Event(30, Level = EventLevel.Warning, Message = "Health check '{0}' threw; it is reported with its failure status: {1}")]
    public void HealthCheckThrew(string name, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(30, name, error);
        }
    }

    [Event(31, Level = EventLevel.Warning, Message = "Health check '{0}' timed out after {1}; it is reported with its failure status.")]
    public void HealthCheckTimedOut(string name, string timeout)
    {
        if (IsEnabled())
        {
            WriteEvent(31, name, timeout);
        }
    }

    [Event(32, Level = EventLevel.Warning, Message = "Health check '{0}', abandoned after its timeout, later failed: {1}")]
    public void AbandonedHealthCheckFailed(string name, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(32, name, error);
        }
    }

    // SLOs: event ids 40-49.

    [Event(40, Level = EventLevel.Error, Message = "SLO alert observer '{0}' failed on alert {1} of SLO '{2}': {3}")]
    public void SloObserverFailed(string observer, string alert, string slo, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(40, observer, alert, slo, error);
        }
    }

    [Event(41, Level = EventLevel.Warning, Message = "SLO alert observer '{0}' did not handle alert {1} of SLO '{2}' within {3}; the monitor stopped waiting.")]
    public void SloObserverTimedOut(string observer, string alert, string slo, string timeout)
    {
        if (IsEnabled())
        {
            WriteEvent(41, observer, alert, slo, timeout);
        }
    }

    [Event(42, Level = EventLevel.Error, Message = "Evaluating SLO '{0}' failed: {1}")]
    public void SloEvaluationFailed(string slo, string error)
    {
        if (IsEnabled())
        {
            WriteEvent(42, slo, error);
        }
    }
}
