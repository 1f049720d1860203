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
/// resolved alert resolves that incident. See <see cref="KeyIsOccurrence"/> for a firing after the incident resolved.
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

    /// <summary>
    /// Gets when the alert started (firing) or ended (resolved), as its source says. A new incident is detected at the
    /// start, so MTTA counts from the first trigger; the resolution is dated at the end. Times in the future are taken
    /// as now, and an end before the incident's last change as that change.
    /// </summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// Gets whether the key names one occurrence of the alert (it includes the occurrence's start, as Alertmanager alert
    /// keys do). Then a firing alert whose key's incident is resolved is a late resend and opens nothing
    /// (<see cref="AlertOutcome.AlreadyResolved"/>). Otherwise (the default: a key that names the alert, such as
    /// <c>disk-full:db-1</c>) a firing after the incident resolved is a new occurrence and opens a new incident.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool KeyIsOccurrence { get; init; }

    /// <summary>Throws when a required field is missing or out of range.</summary>
    /// <exception cref="ArgumentException"><see cref="Key"/>, <see cref="Title"/> or <see cref="Source"/> is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><see cref="AffectedServices"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="State"/> or <see cref="Severity"/> is undefined.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Key);
        ArgumentException.ThrowIfNullOrWhiteSpace(Title);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentNullException.ThrowIfNull(AffectedServices);
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

    /// <summary>A firing alert whose key has an open incident: nothing changed.</summary>
    AlreadyOpen,

    /// <summary>A resolved alert resolved its open incident.</summary>
    Resolved,

    /// <summary>
    /// A resolved alert whose incident is already resolved or closed, or a firing resend of an occurrence already
    /// resolved (<see cref="IncidentAlert.KeyIsOccurrence"/>): nothing changed.
    /// </summary>
    AlreadyResolved,

    /// <summary>A resolved alert for which no incident was ever opened: nothing changed.</summary>
    NoIncident,
}

/// <summary>The result of handling one alert.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="IncidentId">The incident it concerns, or <see langword="null"/> for <see cref="AlertOutcome.NoIncident"/>.</param>
public sealed record AlertResult(AlertOutcome Outcome, string? IncidentId);
