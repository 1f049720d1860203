namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Told about every incident that <see cref="IncidentService"/> opens or changes, after the change is saved. Register
/// implementations in the container (<c>services.AddSingleton&lt;IIncidentObserver, MyObserver&gt;()</c>) to post to
/// chat, start escalation or update a status page.
/// </summary>
/// <remarks>
/// Observers are called one after another, in registration order, on the caller's flow. One that throws is logged and
/// skipped: the change is saved already and the caller still gets it. Keep them quick, or hand the work off.
/// </remarks>
public interface IIncidentObserver
{
    /// <summary>Called after an incident was opened or changed.</summary>
    /// <param name="change">The incident before (<see langword="null"/> when it was just opened) and after, as stored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the observer is done.</returns>
    public Task OnIncidentChangedAsync(IncidentChange change, CancellationToken cancellationToken);
}

/// <summary>An incident before and after a saved change.</summary>
/// <param name="Previous">The incident before, or <see langword="null"/> when it was just opened.</param>
/// <param name="Current">The incident as stored now.</param>
public sealed record IncidentChange(Incident? Previous, Incident Current)
{
    /// <summary>Gets whether this change opened the incident.</summary>
    public bool Opened => Previous is null;

    /// <summary>Gets whether this change acknowledged it.</summary>
    public bool Acknowledged => Previous is { AcknowledgedAt: null } && Current.AcknowledgedAt is not null;

    /// <summary>Gets whether this change resolved or closed it (from open).</summary>
    public bool Ended => (Previous is null || Previous.IsOpen) && !Current.IsOpen;
}
