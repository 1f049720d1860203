namespace Musubi.Monitoring.Incidents;

/// <summary>How bad an incident is: SEV1 (critical, all hands) to SEV5 (cosmetic).</summary>
public enum Severity
{
    /// <summary>Critical: a core service is down or data is at risk; all hands.</summary>
    Sev1 = 1,

    /// <summary>Major: a core function is badly degraded for many users.</summary>
    Sev2 = 2,

    /// <summary>Moderate: a partial degradation with a workaround.</summary>
    Sev3 = 3,

    /// <summary>Minor: little user impact.</summary>
    Sev4 = 4,

    /// <summary>Cosmetic or internal only.</summary>
    Sev5 = 5,
}

/// <summary>Where an incident is in its lifecycle. See <see cref="Incident.CanTransition"/> for the allowed moves.</summary>
public enum IncidentStatus
{
    /// <summary>Opened by a person or an alert; nobody has looked yet.</summary>
    Detected,

    /// <summary>Someone is judging severity and scope.</summary>
    Triaging,

    /// <summary>Looking for the cause.</summary>
    Investigating,

    /// <summary>The cause is known.</summary>
    Identified,

    /// <summary>Applying a fix or a workaround.</summary>
    Mitigating,

    /// <summary>Mitigated; watching that it holds. Entering it sets the mitigation time.</summary>
    Monitoring,

    /// <summary>Over for users. Entering it sets the resolution time (and the mitigation time, if not set).</summary>
    Resolved,

    /// <summary>Follow-up done; nothing more will change.</summary>
    Closed,
}

/// <summary>One entry of an incident's timeline: who did what, and when.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it (a person, or a system such as <c>alertmanager</c>).</param>
/// <param name="Kind">What kind of change, such as <c>status</c>, <c>acknowledged</c>, <c>reopened</c>, <c>note</c>.</param>
/// <param name="Text">A human-readable description.</param>
public sealed record TimelineEntry(DateTimeOffset At, string Actor, string Kind, string Text);
