namespace Musubi.Monitoring.Quality;

/// <summary>Receives quality alerts, for example to post to a chat channel or open a ticket.</summary>
/// <remarks>
/// Called by <see cref="QualityCollector"/> once per alert, one alert at a time; several sinks may be registered. An
/// exception is logged and does not stop the other sinks or the collection. Implementations must be thread-safe when
/// shared with other callers.
/// </remarks>
public interface IQualityAlertSink
{
    /// <summary>Handles one alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancelled when the collector stops.</param>
    /// <returns>A task that completes when the alert is handled.</returns>
    public Task OnQualityAlertAsync(QualityAlert alert, CancellationToken cancellationToken);
}
