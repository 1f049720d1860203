using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Quality;

internal static partial class QualityHistoryLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Quality alert: {Metric} went from {PreviousStatus} to {Status} (value {Value}, healthy at {Healthy}, critical at {Critical}).")]
    public static partial void AlertDegraded(ILogger logger, string metric, QualityStatus previousStatus, QualityStatus status, string value, string healthy, string critical);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Quality alert: {Metric} went from {PreviousStatus} to {Status} (value {Value}, healthy at {Healthy}, critical at {Critical}).")]
    public static partial void AlertEased(ILogger logger, string metric, QualityStatus previousStatus, QualityStatus status, string value, string healthy, string critical);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Quality collection failed: the source {SourceType} threw.")]
    public static partial void SourceFailed(ILogger logger, Exception exception, string sourceType);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Error, Message = "Quality snapshot of {Timestamp} could not be stored; {Pending} snapshot(s) wait to be appended again.")]
    public static partial void StoreFailed(ILogger logger, Exception exception, DateTimeOffset timestamp, int pending);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Error, Message = "Quality snapshot of {Timestamp} was dropped: the store refused it and {Max} snapshot(s) already waited.")]
    public static partial void SnapshotDropped(ILogger logger, DateTimeOffset timestamp, int max);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Error, Message = "Quality alert sink {SinkType} failed for {Metric}.")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string sinkType, string metric);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Error, Message = "A QualityCollector.AlertRaised handler failed for {Metric}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string metric);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Debug, Message = "Quality collection skipped: the previous one is still running.")]
    public static partial void Skipped(ILogger logger);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Warning, Message = "The latest stored quality snapshot could not be read; alerts compare from the next collection on.")]
    public static partial void PreviousUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Error, Message = "Quality collection failed unexpectedly.")]
    public static partial void CollectionFailed(ILogger logger, Exception exception);
}
