using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Incidents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds on-call schedules, notifiers and the <see cref="EscalationEngine"/> to the monitoring core.</summary>
public static class EscalationBuilderExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the webhook notifier gets from <c>IHttpClientFactory</c>; configure it (headers, handlers) with <c>AddHttpClient(name)</c>.</summary>
    public const string WebhookHttpClientName = "Musubi.Monitoring.Incidents.Webhook";

    /// <summary>
    /// Registers the <see cref="EscalationEngine"/> (as <see cref="AddEscalation(MusubiMonitoringBuilder)"/> does) and
    /// escalates every incident that <see cref="IncidentService"/> opens at <paramref name="pageUpTo"/> or more severe
    /// (SEV1 is the most severe) by <paramref name="policy"/>; the acknowledgement or resolution saved through the
    /// service stops it (and the engine reads the store before each level, so a change saved elsewhere stops it too).
    /// When the host starts, the escalations of open, unacknowledged incidents already in the store resume where they
    /// would be (see <see cref="EscalationEngine.ResumeAsync"/>).
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="policy">The policy for those incidents; its schedules must be added with <see cref="AddOnCallSchedule"/>.</param>
    /// <param name="pageUpTo">The least severe severity that escalates.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageUpTo"/> is not SEV1 to SEV5.</exception>
    /// <exception cref="InvalidOperationException">A policy is registered already.</exception>
    public static MusubiMonitoringBuilder AddEscalation(this MusubiMonitoringBuilder builder, EscalationPolicy policy, Severity pageUpTo = Severity.Sev3)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        if (pageUpTo is < Severity.Sev1 or > Severity.Sev5)
        {
            throw new ArgumentOutOfRangeException(nameof(pageUpTo), pageUpTo, "Use Severity.Sev1 to Severity.Sev5.");
        }

        if (builder.Services.Any(d => d.ServiceType == typeof(EscalationIncidentObserver)))
        {
            throw new InvalidOperationException($"An escalation policy is registered already; AddEscalation(policy) takes one policy (this one is '{policy.Id}').");
        }

        AddEscalation(builder);
        builder.Services.AddSingleton(sp => new EscalationIncidentObserver(
            sp.GetRequiredService<EscalationEngine>(), policy, pageUpTo, sp.GetService<IIncidentStore>(), Logger<EscalationIncidentObserver>(sp)));
        builder.Services.AddSingleton<IIncidentObserver>(sp => sp.GetRequiredService<EscalationIncidentObserver>());
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => sp.GetRequiredService<EscalationIncidentObserver>());
        return builder;
    }

    /// <summary>
    /// Registers the <see cref="EscalationEngine"/> as a singleton, built from the container: the schedules added with
    /// <see cref="AddOnCallSchedule"/>, the <see cref="IIncidentStore"/> if there is one, the <see cref="TimeProvider"/>,
    /// and the notifiers (every registered <see cref="IIncidentNotifier"/>, all of them notified; the log alone when none
    /// is registered). Calling it again registers nothing twice.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddEscalation(this MusubiMonitoringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            IIncidentNotifier[] notifiers = [.. sp.GetServices<IIncidentNotifier>()];
            IIncidentNotifier notifier = notifiers.Length switch
            {
                0 => new LoggingIncidentNotifier(Logger<LoggingIncidentNotifier>(sp)),
                1 => notifiers[0],
                _ => new CompositeIncidentNotifier(notifiers),
            };
            return new EscalationEngine(notifier, sp.GetRequiredService<TimeProvider>(), sp.GetServices<OnCallSchedule>(),
                sp.GetService<IIncidentStore>(), Logger<EscalationEngine>(sp));
        });
        return builder;
    }

    /// <summary>Adds an on-call schedule that escalation policies can name.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="schedule">The schedule; its id must not be registered already.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="schedule"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A schedule with the same id is registered.</exception>
    public static MusubiMonitoringBuilder AddOnCallSchedule(this MusubiMonitoringBuilder builder, OnCallSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(schedule);
        if (builder.Services.Any(d => d.ServiceType == typeof(OnCallSchedule) && d.ImplementationInstance is OnCallSchedule s && s.Id == schedule.Id))
        {
            throw new ArgumentException($"A schedule with the id '{schedule.Id}' is registered already.", nameof(schedule));
        }

        builder.Services.AddSingleton(schedule);
        return builder;
    }

    /// <summary>Adds the <see cref="LoggingIncidentNotifier"/> to the notifiers. Calling it again registers nothing twice.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddLoggingIncidentNotifier(this MusubiMonitoringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncidentNotifier, LoggingIncidentNotifier>(
            sp => new LoggingIncidentNotifier(Logger<LoggingIncidentNotifier>(sp))));
        return builder;
    }

    /// <summary>
    /// Adds the <see cref="WebhookIncidentNotifier"/> to the notifiers, with options validated at start-up and clients from
    /// <c>IHttpClientFactory</c> (named <see cref="WebhookHttpClientName"/>). Calling it again registers nothing twice; a
    /// further <paramref name="configure"/> is applied after the earlier ones.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the endpoint, and optionally the timeout and retries.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddWebhookIncidentNotifier(this MusubiMonitoringBuilder builder, Action<WebhookNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        IServiceCollection services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(WebhookMarker)))
        {
            services.AddSingleton<WebhookMarker>();
            services.AddOptionsWithValidateOnStart<WebhookNotifierOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookNotifierOptions>, WebhookNotifierOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookNotifierOptions>, WebhookNotifierOptionsRules>());
            services.AddHttpClient(WebhookHttpClientName);
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncidentNotifier, WebhookIncidentNotifier>(sp =>
            {
                IHttpClientFactory factory = sp.GetRequiredService<IHttpClientFactory>();
                return new WebhookIncidentNotifier(() => factory.CreateClient(WebhookHttpClientName),
                    sp.GetRequiredService<IOptions<WebhookNotifierOptions>>().Value, sp.GetRequiredService<TimeProvider>(), Logger<WebhookIncidentNotifier>(sp));
            }));
        }

        services.Configure(configure);
        return builder;
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;

    /// <summary>Marks a collection that already has the webhook notifier registered.</summary>
    private sealed class WebhookMarker;
}
