using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// A stand-in: <see cref="User"/> is on call from <see cref="Start"/> until <see cref="End"/>, over every layer of the
/// schedule. Where overrides overlap, the one listed last wins.
/// </summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed class ScheduleOverride
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleOverride"/> class.</summary>
    /// <param name="user">The user on call instead; non-empty.</param>
    /// <param name="start">The instant the override begins (inclusive).</param>
    /// <param name="end">The instant it ends (exclusive); after <paramref name="start"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="user"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is not after <paramref name="start"/>.</exception>
    public ScheduleOverride(string user, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        if (end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, string.Create(CultureInfo.InvariantCulture,
                $"The override for {user} ends at {end:O}, which is not after its start {start:O}."));
        }

        User = user;
        Start = start;
        End = end;
    }

    /// <summary>Gets the user on call during the override.</summary>
    public string User { get; }

    /// <summary>Gets the instant the override begins (inclusive).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets the instant the override ends (exclusive).</summary>
    public DateTimeOffset End { get; }

    /// <summary>Returns whether the override is in force at <paramref name="at"/>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns><see langword="true"/> when <see cref="Start"/> ≤ <paramref name="at"/> &lt; <see cref="End"/>.</returns>
    public bool Covers(DateTimeOffset at) => at >= Start && at < End;
}
