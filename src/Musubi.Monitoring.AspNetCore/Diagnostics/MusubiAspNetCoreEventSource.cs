using System.Diagnostics.Tracing;

namespace Musubi.Monitoring.AspNetCore.Diagnostics;

/// <summary>
/// The ASP.NET Core package's own diagnostics: what the request-metrics middleware and the scrape endpoint could
/// not do, reported here (and through <see cref="Microsoft.Extensions.Logging.ILogger"/>) instead of thrown into the
/// host. Listen with <c>dotnet-trace</c> or an <see cref="EventListener"/> on <c>Musubi-Monitoring-AspNetCore</c>.
/// </summary>
[EventSource(Name = EventSourceName)]
internal sealed class MusubiAspNetCoreEventSource : EventSource
{
    public const string EventSourceName = "Musubi-Monitoring-AspNetCore";

    public static readonly MusubiAspNetCoreEventSource Log = new();

    [Event(1, Level = EventLevel.Error, Message = "Recording the metrics of a request failed: {0}")]
    public void RequestRecordingFailed(string error) => WriteEvent(1, error);

    [Event(2, Level = EventLevel.Error, Message = "Serving a metrics scrape failed: {0}")]
    public void ScrapeFailed(string error) => WriteEvent(2, error);
}
