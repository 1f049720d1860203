using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Quality;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers quality evaluation: sources merged into one <see cref="IQualitySource"/>, thresholds, a quality gate and its health check.</summary>
public static class QualityBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IQualitySource"/> that merges <see cref="QualityOptions.Sources"/>, the sources added with
    /// <see cref="AddQualitySource"/> and the host metrics added with <see cref="AddQualityMetric"/> (see
    /// <see cref="QualityOptions"/> for the precedence when two measure one metric), and a
    /// <see cref="QualityConfiguration"/> (thresholds and gate) from the options. Calling it again only adds
    /// <paramref name="configure"/>; nothing is registered twice. An <see cref="IQualitySource"/> registered before is
    /// kept as the container's <see cref="IQualitySource"/> (TryAdd), and is not merged.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Changes the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The options are validated when the host starts (<c>ValidateOnStart</c>), or when the services are first resolved:
    /// a missing or bad <see cref="QualityOptions.ConfigurationFile"/> fails with an <see cref="OptionsValidationException"/>
    /// naming the option, the file, the entry and the value. Precedence of merged metrics: the first measured value of a
    /// metric wins, in the order options sources, <see cref="AddQualitySource"/> sources, host metrics; a duplicate is
    /// dropped with a warning in the snapshot.
    /// </remarks>
    public static MusubiMonitoringBuilder AddQuality(this MusubiMonitoringBuilder builder, Action<QualityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(CompositeQualitySource)))
        {
            return builder;
        }

        services.AddOptionsWithValidateOnStart<QualityOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QualityOptions>, QualityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => QualityOptionsValidator.Resolve(sp.GetRequiredService<IOptions<QualityOptions>>().Value));
        services.TryAddSingleton(sp =>
        {
            QualityOptions options = sp.GetRequiredService<IOptions<QualityOptions>>().Value;
            IEnumerable<IQualitySource> sources = options.Sources.Concat(sp.GetServices<QualitySourceRegistration>().Select(r => r.Factory(sp)));
            ILoggerFactory loggers = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return new CompositeQualitySource(
                sources,
                sp.GetServices<QualityHostMetric>(),
                sp.GetRequiredService<TimeProvider>(),
                loggers.CreateLogger("Musubi.Monitoring.Quality"));
        });
        services.TryAddSingleton<IQualitySource>(sp => sp.GetRequiredService<CompositeQualitySource>());
        return builder;
    }

    /// <summary>
    /// Adds a metric the host measures itself (documentation coverage, complexity …) to the snapshot of the registered
    /// <see cref="IQualitySource"/>. Calls <see cref="AddQuality"/> when it was not called.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="metric">The metric id: letters, digits, '_', '.' or '-'; not added already.</param>
    /// <param name="unit">What the value counts.</param>
    /// <param name="measure">
    /// Measures the metric on each collection; <see langword="null"/> means not measured (UNKNOWN). A value its unit does
    /// not allow (a percentage above 100) or an exception makes the metric UNKNOWN with the reason and a warning; it never
    /// fails the collection.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="measure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not a valid metric id; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is undefined.</exception>
    /// <exception cref="InvalidOperationException">A host metric with the id <paramref name="metric"/> is already added.</exception>
    public static MusubiMonitoringBuilder AddQualityMetric(
        this MusubiMonitoringBuilder builder, string metric, QualityUnit unit, Func<CancellationToken, ValueTask<decimal?>> measure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(measure);
        QualityMeasurement.ValidateMetric(metric);
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"Unknown quality unit for '{metric}'.");
        }

        if (builder.Services.Any(d => !d.IsKeyedService && d.ImplementationInstance is QualityHostMetric m && string.Equals(m.Metric, metric, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"A host quality metric '{metric}' is already added; each metric id can be added once.");
        }

        AddQuality(builder);
        builder.Services.AddSingleton(new QualityHostMetric(metric, unit, measure));
        return builder;
    }

    /// <summary>
    /// Adds a source (such as the report readers) to the registered <see cref="IQualitySource"/>, created from the
    /// container when it is first resolved. Calls <see cref="AddQuality"/> when it was not called.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddQualitySource(this MusubiMonitoringBuilder builder, Func<IServiceProvider, IQualitySource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        AddQuality(builder);
        builder.Services.AddSingleton(new QualitySourceRegistration(factory));
        return builder;
    }

    /// <summary>
    /// Adds a health check that collects from the registered <see cref="IQualitySource"/> (reusing the last snapshot for
    /// <see cref="QualityOptions.HealthCheckCacheDuration"/>) and runs the configured quality gate: Healthy when it passes,
    /// <paramref name="failureStatus"/> otherwise, with the failing conditions (actual and expected values) in the
    /// description and in the data (see <see cref="QualityGateHealthDataKeys"/>). Calls <see cref="AddQuality"/> when it
    /// was not called; adding the same name again adds nothing.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when the gate fails: Degraded (default) or Unhealthy.</param>
    /// <param name="tags">
    /// The check's tags; <see langword="null"/> gives <c>quality</c> only, which keeps it off <c>/health/ready</c>
    /// (a failing coverage gate rarely means the host cannot serve). Add <c>ready</c> to put it there.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space, or a tag is.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failureStatus"/> is Healthy or undefined.</exception>
    public static MusubiMonitoringBuilder AddQualityGateHealthCheck(
        this MusubiMonitoringBuilder builder, string name = "quality-gate", HealthStatus failureStatus = HealthStatus.Degraded, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (failureStatus is not (HealthStatus.Degraded or HealthStatus.Unhealthy))
        {
            throw new ArgumentOutOfRangeException(nameof(failureStatus), failureStatus, "Use HealthStatus.Degraded or HealthStatus.Unhealthy.");
        }

        string[] tagList = tags is null ? ["quality"] : [.. tags];
        foreach (string tag in tagList)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tag, nameof(tags));
        }

        AddQuality(builder);
        IServiceCollection services = builder.Services;
        services.TryAddSingleton(sp => new QualityGateHealthState(
            sp.GetRequiredService<IQualitySource>(),
            sp.GetRequiredService<QualityConfiguration>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<QualityOptions>>().Value.HealthCheckCacheDuration));
        if (!services.Any(d => !d.IsKeyedService && d.ImplementationInstance is QualityGateCheckName n && string.Equals(n.Name, name, StringComparison.Ordinal)))
        {
            services.AddSingleton(new QualityGateCheckName(name));
            services.AddHealthChecks().Add(new HealthCheckRegistration(
                name, sp => new QualityGateHealthCheck(sp.GetRequiredService<QualityGateHealthState>()), failureStatus, tagList));
        }

        return builder;
    }

    private sealed record QualityGateCheckName(string Name);
}
