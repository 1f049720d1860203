namespace Musubi.Monitoring.Incidents;

/// <summary>Whether an alert is firing or has resolved.</summary>
public enum IncidentAlertState
{
    /// <summary>The alert is firing: open an incident unless one is open for its key.</summary>
    Firing,

    /// <summary>The alert has resolved: resolve the open incident for its key, if there is one.</summary>
    Resolved,
}

/// <summary>
/// An alert from any source (an Alertmanager notification, an in-process SLO alert, your own monitor), reduced to what
/// <see cref="IncidentService.HandleAlertAsync"/> needs to open or resolve exactly one incident for it.
/// </summary>
/// <param name="Key">
/// The alert's identity. One open incident per key: a firing alert whose key has an open incident opens nothing, and a
/// resolved alert resolves that incident. Include the alert's start time in the key when a later firing of the same
/// alert should open a new incident even if a resend of the old one arrives late (Alertmanager alerts use
/// <c>fingerprint@startsAt</c>).
/// </param>
/// <param name="State">Firing or resolved.</param>
/// <param name="Title">The incident's title when one is opened.</param>
/// <param name="Severity">The incident's severity when one is opened.</param>
/// <param name="Source">Who raised it, recorded as the actor in the timeline (such as <c>alertmanager</c> or <c>slo</c>).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record IncidentAlert(string Key, IncidentAlertState State, string Title, Severity Severity, string Source)
{
    /// <summary>Gets more about the alert, written to the timeline (labels, annotations, burn rate).</summary>
    public string? Description { get; init; }

    /// <summary>Gets the services the alert is about; written to the incident's affected services when it opens.</summary>
    public IReadOnlyList<string> AffectedServices { get; init; } = [];

    /// <summary>Gets when the alert started (firing) or ended (resolved), as its source says; for the timeline text only.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// Gets whether a firing alert whose key's last incident is resolved opens a new incident. Set it when the key
    /// names the alert rather than one occurrence of it (the in-process SLO alerts do). Leave it off when the key includes
    /// the occurrence's start (Alertmanager alerts do), so that a late resend of an occurrence already resolved opens nothing.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool NewIncidentAfterResolution { get; init; }

    /// <summary>Throws when a required field is missing or out of range.</summary>
    /// <exception cref="ArgumentException"><see cref="Key"/>, <see cref="Title"/> or <see cref="Source"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="State"/> or <see cref="Severity"/> is undefined.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Key);
        ArgumentException.ThrowIfNullOrWhiteSpace(Title);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        if (!Enum.IsDefined(State))
        {
            throw new ArgumentOutOfRangeException(nameof(State), State, "Use Firing or Resolved.");
        }

        if (Severity is < Severity.Sev1 or > Severity.Sev5)
        {
            throw new ArgumentOutOfRangeException(nameof(Severity), Severity, "Use Severity.Sev1 to Severity.Sev5.");
        }
    }
}

/// <summary>What <see cref="IncidentService.HandleAlertAsync"/> did with an alert.</summary>
public enum AlertOutcome
{
    /// <summary>A firing alert opened a new incident.</summary>
    Opened,

    /// <summary>A firing alert whose key already has an incident (open, or resolved for the same key): nothing changed.</summary>
    AlreadyOpen,

    /// <summary>A resolved alert resolved its open incident.</summary>
    Resolved,

    /// <summary>A resolved alert whose incident is already resolved or closed (a resend): nothing changed.</summary>
    AlreadyResolved,

    /// <summary>A resolved alert for which no incident was ever opened: nothing changed.</summary>
    NoIncident,
}

/// <summary>The result of handling one alert.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="IncidentId">The incident it concerns, or <see langword="null"/> for <see cref="AlertOutcome.NoIncident"/>.</param>
public sealed record AlertResult(AlertOutcome Outcome, string? IncidentId);
