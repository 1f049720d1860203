namespace Musubi.Monitoring.Slo;

/// <summary>Options of the live SLO evaluation done by <see cref="SloMonitor"/>.</summary>
/// <remarks>
/// Read once when the monitor is built; later changes to this object have no effect. The ranges are checked at
/// start-up by a validator whose messages name the bad value (the generated message of a range attribute does not).
/// </remarks>
public sealed class SloOptions
{
    /// <summary>The shortest evaluation interval.</summary>
    internal static readonly TimeSpan MinEvaluationInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest evaluation interval: the monitor's finest bucket is a minute, so evaluate at least that often.</summary>
    internal static readonly TimeSpan MaxEvaluationInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest observer timeout.</summary>
    internal static readonly TimeSpan MaxObserverTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how often the monitor reads the collector and evaluates every SLO (on the container's
    /// <see cref="TimeProvider"/>).
    /// </summary>
    /// <value>The default is 10 seconds. From 1 second to 1 minute.</value>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long one <see cref="ISloAlertObserver"/> may take for one alert before the monitor stops
    /// waiting for it (and reports it through the <c>Musubi-Monitoring</c> event source).
    /// </summary>
    /// <value>The default is 10 seconds. From 1 millisecond to 5 minutes.</value>
    public TimeSpan ObserverTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
