using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Quality;

internal static partial class QualityEvaluationLog
{
    [LoggerMessage(EventId = 5211, Level = LogLevel.Warning, Message = "Quality source {Source} failed; its metrics are left out of the snapshot.")]
    public static partial void SourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 5212, Level = LogLevel.Warning, Message = "Host quality metric {Metric} failed; it is reported as unknown.")]
    public static partial void HostMetricFailed(ILogger logger, Exception exception, string metric);

    [LoggerMessage(EventId = 5213, Level = LogLevel.Warning, Message = "Quality metric {Metric} from {Ignored} was ignored: {Kept} measured it first.")]
    public static partial void DuplicateMetric(ILogger logger, string metric, string ignored, string kept);
}
