using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Musubi logging providers to a <see cref="MusubiMonitoringBuilder"/>.</summary>
/// <remarks>
/// The providers are registered as <see cref="ILoggerProvider"/> services, which the host's logging (set up by every
/// host builder, or by <c>services.AddLogging()</c>) picks up. Filter their levels as for any provider, under the
/// aliases <c>MusubiConsole</c> and <c>MusubiFile</c>.
/// </remarks>
public static class MusubiLoggingBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="MusubiConsoleLoggerProvider"/>: one JSON (or text) line per record on standard output.
    /// Calling it again registers nothing twice; a further <paramref name="configure"/> is applied after the earlier ones.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Configures the options; validated when the host starts.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddConsoleLogging(this MusubiMonitoringBuilder builder, Action<ConsoleLoggingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(MusubiConsoleLoggerProvider)))
        {
            services.AddOptionsWithValidateOnStart<ConsoleLoggingOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleLoggingOptions>, ConsoleLoggingOptionsValidator>());
            services.TryAddSingleton<MusubiConsoleLoggerProvider>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, MusubiConsoleLoggerProvider>(
                static sp => sp.GetRequiredService<MusubiConsoleLoggerProvider>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Adds <see cref="MusubiFileLoggerProvider"/>: records written to rolling files by a background writer, flushed when
    /// the host stops and when the provider is disposed. Calling it again registers nothing twice; a further
    /// <paramref name="configure"/> is applied after the earlier ones.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddMusubiMonitoring</c>.</param>
    /// <param name="configure">Configures the options (<see cref="FileLoggingOptions.Path"/> is required); validated when the host starts.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddFileLogging(this MusubiMonitoringBuilder builder, Action<FileLoggingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        IServiceCollection services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(MusubiFileLoggerProvider)))
        {
            services.AddOptionsWithValidateOnStart<FileLoggingOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileLoggingOptions>, FileLoggingOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileLoggingOptions>, FileLoggingOptionsRules>());
            services.TryAddSingleton<MusubiFileLoggerProvider>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, MusubiFileLoggerProvider>(
                static sp => sp.GetRequiredService<MusubiFileLoggerProvider>()));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FileLoggingFlushService>());
        }

        services.Configure(configure);
        return builder;
    }
}
