namespace Musubi.Monitoring.Quality;

/// <summary>Options for <c>AddQuality</c>: where the thresholds and the gate come from, and the quality sources.</summary>
/// <remarks>
/// Validated when the host starts (the configuration file is read then, so a bad file stops the start with a message
/// naming the option, the file and the bad entry). Read once when the services are built; later changes have no effect.
/// </remarks>
public sealed class QualityOptions
{
    /// <summary>The longest allowed <see cref="HealthCheckCacheDuration"/>: 1 day.</summary>
    public static readonly TimeSpan MaxHealthCheckCacheDuration = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets a thresholds-and-gate JSON file in the format of <see cref="QualityConfiguration"/> (the same file
    /// <c>musubi-validate --thresholds</c> reads).
    /// </summary>
    /// <value>The default is <see langword="null"/>: the default thresholds and <see cref="QualityGate.Default"/>.</value>
    public string? ConfigurationFile { get; set; }

    /// <summary>Gets thresholds applied over the defaults and over <see cref="ConfigurationFile"/>, replacing those of the same metric.</summary>
    /// <value>The default is empty. At most one per metric; no <see langword="null"/> entries.</value>
    public IList<QualityThreshold> Thresholds { get; } = [];

    /// <summary>Gets the conditions of the quality gate; when any are given they replace the file's gate and the default gate.</summary>
    /// <value>The default is empty: the gate of <see cref="ConfigurationFile"/>, else <see cref="QualityGate.Default"/>. No <see langword="null"/> entries.</value>
    public IList<QualityGateCondition> GateConditions { get; } = [];

    /// <summary>
    /// Gets the sources the registered <see cref="IQualitySource"/> collects from, before those added with
    /// <c>AddQualitySource</c> and the host metrics added with <c>AddQualityMetric</c>.
    /// </summary>
    /// <value>The default is empty. No <see langword="null"/> entries.</value>
    public IList<IQualitySource> Sources { get; } = [];

    /// <summary>
    /// Gets or sets how long the quality gate health check reuses its last snapshot before collecting again (reading
    /// reports can be slow). Measured on the container's <see cref="TimeProvider"/>.
    /// </summary>
    /// <value>The default is 1 minute. From <see cref="TimeSpan.Zero"/> (collect on every check) to 1 day.</value>
    public TimeSpan HealthCheckCacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
