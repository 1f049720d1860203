namespace Musubi.Monitoring.Slo;

/// <summary>
/// Receives SLO alert transitions from <see cref="SloMonitor"/>: each alert once when it starts firing and once when
/// it resolves. Register implementations in the container (<c>services.AddSingleton&lt;ISloAlertObserver, T&gt;()</c>);
/// every registered observer is called. This is the seam where incidents and automatic rollbacks meet SLOs.
/// </summary>
/// <remarks>
/// Observers are called after each evaluation, all in parallel, and the monitor waits at most
/// <see cref="SloOptions.ObserverTimeout"/> for each; one that throws or times out is reported through the
/// <c>Musubi-Monitoring</c> event source and never stops evaluation or the other observers. Implementations must be
/// thread-safe: the transitions of one evaluation (different alerts) reach an observer concurrently, and a later
/// evaluation may call it while a call that timed out is still running.
/// </remarks>
public interface ISloAlertObserver
{
    /// <summary>Handles one alert transition.</summary>
    /// <param name="alert">The transition.</param>
    /// <param name="cancellationToken">Cancelled when the monitor stops waiting (the observer timeout) or is disposed.</param>
    /// <returns>A task that completes when the alert is handled.</returns>
    public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken);
}
