using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Health;

/// <summary>Options for one dependency check added with <c>AddDependencyCheck</c>.</summary>
/// <remarks>
/// <para>
/// Applied and validated when the check is added, so a bad value fails at the registration that gave it (with a
/// message naming the option and the value), not at the first probe. Changing the object afterwards has no effect.
/// </para>
/// <para>
/// The ranges are checked by hand rather than by <c>[Range]</c>: the data-annotation messages do not say which value
/// was given, and <see cref="TimeSpan"/> ranges read poorly as attributes.
/// </para>
/// </remarks>
public sealed class DependencyCheckOptions
{
    /// <summary>The tag that puts a check on the readiness endpoint (<c>/health/ready</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The shortest allowed <see cref="Timeout"/>: 1 millisecond.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest allowed <see cref="Timeout"/>: 5 minutes.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets whether the service cannot work without the dependency. A failing critical check reports
    /// <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy"/> (readiness answers 503); a
    /// failing non-critical check reports <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded"/>
    /// (readiness still answers 200), even when the check itself returned Unhealthy.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Critical { get; set; } = true;

    /// <summary>
    /// Gets or sets how long one run of the check may take. A check still running then is reported as failed
    /// ("timed out after …") and its cancellation token is cancelled; a check that ignores the token is abandoned,
    /// never awaited by the endpoint.
    /// </summary>
    /// <value>The default is 5 seconds. From 1 ms to 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets the tags of the check; health endpoints and <c>HealthCheckService.CheckHealthAsync(predicate)</c> select
    /// checks by tag. Remove <see cref="ReadyTag"/> to keep a check off the readiness endpoint.
    /// </summary>
    /// <value>The default is a set holding <see cref="ReadyTag"/> (<c>ready</c>). Tags are compared ordinally; none may be empty.</value>
    [Required]
    public ISet<string> Tags { get; } = new HashSet<string>(StringComparer.Ordinal) { ReadyTag };
}
