using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// An <see cref="ICanaryHistory"/> that writes each canary event into the history of the release it belongs to
/// (<see cref="CanaryEvent.ReleaseId"/>), through the <see cref="ReleaseService"/>, and moves the release with the run:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Each event is a note (<see cref="Release.WithNote"/>: a <see cref="ReleaseTransition"/> whose From equals To)
/// with the text <c>canary {kind} ({state}), step {n}: {detail}</c>, at the event's time (or the last history entry's, if
/// that is later).</item>
/// <item>A release still in <see cref="ReleaseStatus.Staging"/> is first moved to <see cref="ReleaseStatus.Canary"/>.</item>
/// <item>When the run ends <see cref="CanaryState.RolledBack"/> or <see cref="CanaryState.RollbackFailed"/>, the release
/// moves to <see cref="ReleaseStatus.RolledBack"/>; when it ends <see cref="CanaryState.Succeeded"/>, to
/// <see cref="ReleaseStatus.Production"/> — each only where the lifecycle allows it (otherwise only the note is written).</item>
/// </list>
/// <para>The note and any move are one save. Thread-safe; the canary run calls it in order. A failure (no such release, a
/// final release) is caught by the run and recorded in its own history.</para>
/// </remarks>
public sealed class ReleaseCanaryHistory : ICanaryHistory
{
    private readonly ReleaseService _releases;
    private readonly string _actor;

    /// <summary>Initializes a new instance of the <see cref="ReleaseCanaryHistory"/> class.</summary>
    /// <param name="releases">The release service.</param>
    /// <param name="actor">The actor of the history entries; the default is <c>canary</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="releases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    public ReleaseCanaryHistory(ReleaseService releases, string actor = "canary")
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _releases = releases;
        _actor = actor;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="canaryEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No release has the event's release id.</exception>
    /// <exception cref="InvalidOperationException">The release is final.</exception>
    public async ValueTask RecordAsync(CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canaryEvent);
        string note = Describe(canaryEvent);
        ReleaseStatus? target = canaryEvent.Kind != CanaryEventKind.StateChanged ? null : canaryEvent.State switch
        {
            CanaryState.RolledBack or CanaryState.RollbackFailed => ReleaseStatus.RolledBack,
            CanaryState.Succeeded => ReleaseStatus.Production,
            _ => null,
        };

        await _releases.ChangeAsync(canaryEvent.ReleaseId, (release, _) =>
        {
            DateTimeOffset at = release.History.IsEmpty || canaryEvent.Time >= release.History[^1].At ? canaryEvent.Time : release.History[^1].At;
            if (release.Status == ReleaseStatus.Staging)
            {
                release = release.TransitionTo(ReleaseStatus.Canary, _actor, at, "canary run started");
            }

            release = release.WithNote(_actor, at, note);
            return target is { } status && Release.CanTransition(release.Status, status)
                ? release.TransitionTo(status, _actor, at, $"canary {canaryEvent.State}")
                : release;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(CanaryEvent e) => e.StepIndex is { } step
        ? string.Create(CultureInfo.InvariantCulture, $"canary {e.Kind} ({e.State}), step {step}: {e.Detail}")
        : string.Create(CultureInfo.InvariantCulture, $"canary {e.Kind} ({e.State}): {e.Detail}");
}
