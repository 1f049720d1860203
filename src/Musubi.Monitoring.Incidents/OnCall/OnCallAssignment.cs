namespace Musubi.Monitoring.Incidents;

/// <summary>Who is on call at an instant, and why.</summary>
/// <param name="User">The user on call.</param>
/// <param name="LayerName">The layer that puts them on call, or <see langword="null"/> when an override does.</param>
/// <param name="Override">The override that puts them on call, or <see langword="null"/> when a layer does.</param>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed record OnCallAssignment(string User, string? LayerName, ScheduleOverride? Override)
{
    /// <summary>Gets whether an override, not a layer, puts the user on call.</summary>
    public bool IsOverride => Override is not null;
}

/// <summary>A stretch of the final schedule during which one user is on call for one reason.</summary>
/// <param name="User">The user on call.</param>
/// <param name="Start">The instant the shift begins (inclusive).</param>
/// <param name="End">The instant it ends (exclusive).</param>
/// <param name="LayerName">The layer of the shift, or <see langword="null"/> for an override.</param>
/// <param name="IsOverride">Whether an override puts the user on call.</param>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed record OnCallShift(string User, DateTimeOffset Start, DateTimeOffset End, string? LayerName, bool IsOverride);
