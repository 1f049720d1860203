using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds named dependency checks (a database, a queue, a downstream API) as
/// <see cref="IHealthCheck"/> registrations of <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>, so
/// <see cref="HealthCheckService"/>, ASP.NET Core's <c>MapHealthChecks</c> and <c>MapMusubiHealthChecks</c> all run them.
/// </summary>
/// <remarks>
/// <para>
/// Every check runs under its <see cref="DependencyCheckOptions.Timeout"/>, measured on the injected
/// <see cref="TimeProvider"/>; a check that is still running then is reported with its failure status and the
/// description <c>timed out after 00:00:05</c>, even if it ignores its cancellation token. A check that throws is
/// reported with its failure status and the description <c>threw TypeName: message</c>. The failure status is
/// <see cref="HealthStatus.Unhealthy"/> for a critical check and <see cref="HealthStatus.Degraded"/> otherwise
/// (<see cref="DependencyCheckOptions.Critical"/>). Each result carries its latency in milliseconds and its
/// criticality in <see cref="HealthCheckResult.Data"/> (see <see cref="DependencyCheckDataKeys"/>). Timeouts and
/// exceptions are also reported to the <c>Musubi-Monitoring</c> event source.
/// </para>
/// <para>
/// Names must be unique among dependency checks, ignoring case as <see cref="HealthCheckService"/> does; checks added
/// by other means with the same name are rejected by <see cref="HealthCheckService"/> itself when it is built.
/// </para>
/// <para>
/// <see cref="HealthCheckService"/> logs through <c>ILogger&lt;T&gt;</c>, which every host provides; a bare service
/// collection needs <c>services.AddLogging()</c>.
/// </para>
/// </remarks>
public static class DependencyCheckBuilderExtensions
{
    /// <summary>Adds a check whose probe answers <see langword="true"/> when the dependency is usable.</summary>
    /// <param name="builder">The builder returned by <c>AddMusubiMonitoring</c>.</param>
    /// <param name="name">The check's name, unique among dependency checks (for example <c>db</c>).</param>
    /// <param name="probe">
    /// Answers whether the dependency is usable; <see langword="false"/> reports the failure status with the
    /// description <c>probe returned false</c>. It should honour the token, which is cancelled at the timeout.
    /// </param>
    /// <param name="configure">Sets criticality, timeout and tags; applied and validated now.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="name"/> or <paramref name="probe"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or white space, or <paramref name="configure"/> left an invalid option (a timeout
    /// outside 1 ms to 5 minutes, an empty tag); the message names the option and the value.
    /// </exception>
    /// <exception cref="InvalidOperationException">A dependency check named <paramref name="name"/> (ignoring case) is already added.</exception>
    public static MusubiMonitoringBuilder AddDependencyCheck(
        this MusubiMonitoringBuilder builder,
        string name,
        Func<CancellationToken, Task<bool>> probe,
        Action<DependencyCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Add(builder, name, configure, async (_, _, cancellationToken) =>
            await probe(cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("probe returned false"));
    }

    /// <summary>
    /// Adds a check that returns its own <see cref="HealthCheckResult"/> and may resolve services (from the scope of
    /// the health-check run). An Unhealthy result of a non-critical check is reported as Degraded.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddMusubiMonitoring</c>.</param>
    /// <param name="name">The check's name, unique among dependency checks.</param>
    /// <param name="check">Runs the check. It should honour the token, which is cancelled at the timeout.</param>
    /// <param name="configure">Sets criticality, timeout and tags; applied and validated now.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="name"/> or <paramref name="check"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or white space, or <paramref name="configure"/> left an invalid option; the
    /// message names the option and the value.
    /// </exception>
    /// <exception cref="InvalidOperationException">A dependency check named <paramref name="name"/> (ignoring case) is already added.</exception>
    public static MusubiMonitoringBuilder AddDependencyCheck(
        this MusubiMonitoringBuilder builder,
        string name,
        Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check,
        Action<DependencyCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        return Add(builder, name, configure, (services, _, cancellationToken) => check(services, cancellationToken));
    }

    /// <summary>
    /// Adds an <see cref="IHealthCheck"/> type as a dependency check, run under the timeout and failure mapping of the
    /// options. The check is resolved from the run's scope if registered, otherwise created with its constructor's
    /// services for each run (and disposed after it). It sees <see cref="HealthCheckRegistration.FailureStatus"/> in its
    /// context, as any health check does.
    /// </summary>
    /// <typeparam name="TCheck">The health check type.</typeparam>
    /// <param name="builder">The builder returned by <c>AddMusubiMonitoring</c>.</param>
    /// <param name="name">The check's name, unique among dependency checks.</param>
    /// <param name="configure">Sets criticality, timeout and tags; applied and validated now.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or white space, or <paramref name="configure"/> left an invalid option; the
    /// message names the option and the value.
    /// </exception>
    /// <exception cref="InvalidOperationException">A dependency check named <paramref name="name"/> (ignoring case) is already added.</exception>
    public static MusubiMonitoringBuilder AddDependencyCheck<TCheck>(
        this MusubiMonitoringBuilder builder,
        string name,
        Action<DependencyCheckOptions>? configure = null)
        where TCheck : class, IHealthCheck
        => Add(builder, name, configure, RunTypedAsync<TCheck>);

    private static async Task<HealthCheckResult> RunTypedAsync<TCheck>(
        IServiceProvider services, HealthCheckContext context, CancellationToken cancellationToken)
        where TCheck : class, IHealthCheck
    {
        if (services.GetService<TCheck>() is { } registered)
        {
            return await registered.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        }

        TCheck created = ActivatorUtilities.CreateInstance<TCheck>(services);
        try
        {
            return await created.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (created is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (created is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static MusubiMonitoringBuilder Add(
        MusubiMonitoringBuilder builder,
        string name,
        Action<DependencyCheckOptions>? configure,
        Func<IServiceProvider, HealthCheckContext, CancellationToken, Task<HealthCheckResult>> check)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var options = new DependencyCheckOptions();
        configure?.Invoke(options);
        ValidateOptionsResult validation = DependencyCheckOptionsValidator.Instance.Validate(name, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(configure));
        }

        IServiceCollection services = builder.Services;
        if (services.Any(d => !d.IsKeyedService && d.ImplementationInstance is DependencyCheckName added
            && string.Equals(added.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException(
                $"A dependency check named '{name}' is already added; give each check a unique name (names are compared ignoring case, as HealthCheckService does).");
        }

        services.AddSingleton(new DependencyCheckName(name));

        // Copied now: changing the options object later has no effect.
        bool critical = options.Critical;
        TimeSpan timeout = options.Timeout;
        string[] tags = [.. options.Tags];
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new DependencyHealthCheck(name, critical, timeout, sp, check, sp.GetService<TimeProvider>() ?? TimeProvider.System),
            critical ? HealthStatus.Unhealthy : HealthStatus.Degraded,
            tags));
        return builder;
    }

    /// <summary>Records a dependency check's name in the collection, so a second check of that name is refused.</summary>
    private sealed record DependencyCheckName(string Name);
}
