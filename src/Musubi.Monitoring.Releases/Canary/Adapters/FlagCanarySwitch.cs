namespace Musubi.Monitoring.Releases;

/// <summary>
/// An <see cref="ICanaryFlagSwitch"/> that turns a release's flags off through the <see cref="FeatureFlagService"/>
/// (<see cref="FeatureFlagService.SetEnabledAsync"/>): saved, audited, and off for every user at once.
/// </summary>
/// <remarks>Thread-safe: the flag service runs changes one at a time.</remarks>
public sealed class FlagCanarySwitch : ICanaryFlagSwitch
{
    private readonly FeatureFlagService _flags;
    private readonly string _actor;

    /// <summary>Initializes a new instance of the <see cref="FlagCanarySwitch"/> class.</summary>
    /// <param name="flags">The flag service.</param>
    /// <param name="actor">Who the changes are attributed to in the audit trail; the default is <c>canary rollback</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    public FlagCanarySwitch(FeatureFlagService flags, string actor = "canary rollback")
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _flags = flags;
        _actor = actor;
    }

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">The flag does not exist (the rollback records the step as failed and goes on).</exception>
    public async ValueTask DisableAsync(string flag, CancellationToken cancellationToken) =>
        await _flags.SetEnabledAsync(flag, false, _actor, cancellationToken).ConfigureAwait(false);
}
