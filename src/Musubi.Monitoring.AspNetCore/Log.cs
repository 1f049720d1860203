using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.AspNetCore;

/// <summary>The package's log messages; every one also goes to the event source.</summary>
internal static partial class Log
{
    /// <summary>The logger category of the middleware and the scrape endpoint.</summary>
    public const string Category = "Musubi.Monitoring.AspNetCore";

    [LoggerMessage(1, LogLevel.Error, "Recording the metrics of a request failed; the request itself was not affected.")]
    public static partial void RequestRecordingFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Serving the metrics scrape at {Path} failed; the scraper got status 500.")]
    public static partial void ScrapeFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Handling an Alertmanager notification failed in the incident store; the sender got status 503 and will retry.")]
    public static partial void AlertmanagerWebhookFailed(ILogger logger, Exception exception);
}
