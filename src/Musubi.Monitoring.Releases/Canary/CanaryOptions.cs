namespace Musubi.Monitoring.Releases;

/// <summary>
/// Chooses the adapters <c>AddCanaries</c> registers. Read once, when <c>AddCanaries</c> is called, because they decide
/// what is registered; changing the object later has no effect.
/// </summary>
public sealed class CanaryOptions
{
    /// <summary>
    /// Gets or sets the feature flag whose rollout percentage is the canary's weight. When set, <c>AddCanaries</c> also
    /// calls <c>AddFeatureFlagManagement()</c> and registers <see cref="FlagRolloutRouter"/> as the
    /// <see cref="ITrafficRouter"/> and <see cref="FlagCanarySwitch"/> as the <see cref="ICanaryFlagSwitch"/>, unless
    /// others are registered before.
    /// </summary>
    /// <value>The default is <see langword="null"/>: register your own <see cref="ITrafficRouter"/>.</value>
    public string? TrafficFlag { get; set; }

    /// <summary>
    /// Gets or sets whether every canary event is written into the release's history by <see cref="ReleaseCanaryHistory"/>
    /// (registered as the <see cref="ICanaryHistory"/> unless another is registered before; needs <c>AddReleases()</c>).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RecordInReleaseHistory { get; set; }
}
