namespace Musubi.Monitoring.Releases;

/// <summary>
/// An <see cref="ITrafficRouter"/> that sends the canary's share of the traffic by setting a feature flag's rollout
/// through the <see cref="FeatureFlagService"/>: the code behind the flag is the canary. Each weight is one saved,
/// audited flag change (see <see cref="FeatureFlagService.SetRolloutAsync"/> for which strategy it sets); a weight above 0
/// also turns the flag on in the same change, so a flag a rollback disabled serves the next run. Weight 0 leaves
/// <c>enabled</c> as it is (the rollback disables the release's flags itself).
/// </summary>
/// <remarks>Thread-safe: the flag service runs changes one at a time.</remarks>
public sealed class FlagRolloutRouter : ITrafficRouter
{
    private readonly FeatureFlagService _flags;

    /// <summary>Initializes a new instance of the <see cref="FlagRolloutRouter"/> class.</summary>
    /// <param name="flags">The flag service.</param>
    /// <param name="flagName">The flag whose rollout is the canary's weight; it must exist when a weight is set.</param>
    /// <param name="actor">Who the flag changes are attributed to in the audit trail; the default is <c>canary</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="flagName"/> or <paramref name="actor"/> is null or white space.</exception>
    public FlagRolloutRouter(FeatureFlagService flags, string flagName, string actor = "canary")
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentException.ThrowIfNullOrWhiteSpace(flagName);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _flags = flags;
        FlagName = flagName;
        Actor = actor;
    }

    /// <summary>Gets the flag whose rollout is the canary's weight.</summary>
    public string FlagName { get; }

    /// <summary>Gets who the changes are attributed to.</summary>
    public string Actor { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is below 0 or above 100.</exception>
    /// <exception cref="KeyNotFoundException">The flag does not exist.</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept changing the flags first.</exception>
    public async ValueTask SetWeightAsync(int percent, CancellationToken cancellationToken) =>
        await _flags.SetRolloutCoreAsync(FlagName, percent, enable: true, Actor, cancellationToken).ConfigureAwait(false);
}
