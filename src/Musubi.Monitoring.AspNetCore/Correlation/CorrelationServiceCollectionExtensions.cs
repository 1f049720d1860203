using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.AspNetCore.Correlation;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires correlation over HTTP: incoming requests through middleware, outgoing calls through a client handler.</summary>
public static class CorrelationServiceCollectionExtensions
{
    /// <summary>
    /// Carries the correlation context across HTTP hops, in and out:
    /// <list type="bullet">
    /// <item>Incoming: middleware at the start of the pipeline (added for you through an <see cref="IStartupFilter"/>)
    /// reads <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c> and the correlation id header
    /// (<see cref="CorrelationOptions.HeaderName"/>), keeps a valid correlation id or generates one, echoes it on the
    /// response, and makes <see cref="CorrelationContext.Current"/> available to the request's code and logs.</item>
    /// <item>One server span per request: ASP.NET Core's own request activity, recorded by the tracer (its
    /// <c>Microsoft.AspNetCore</c> source is added to <see cref="TracingOptions.Sources"/>), and shared with
    /// OpenTelemetry when the host runs it too — so no duplicate spans and one <see cref="Activity.Current"/>.</item>
    /// <item>The runtime's default <see cref="DistributedContextPropagator"/> in the container is replaced by
    /// <see cref="W3CPropagator"/>, so even ASP.NET Core's own activity is parented by a spec-exact parse
    /// (a propagator the host registered itself is left alone).</item>
    /// <item>Outgoing: <see cref="MusubiCorrelationHandler"/> on every <see cref="System.Net.Http.HttpClient"/> from
    /// <c>IHttpClientFactory</c>.</item>
    /// </list>
    /// Calling it again registers nothing twice.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddHttpCorrelation(this MusubiMonitoringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(HttpCorrelationMarker)))
        {
            return builder;
        }

        services.AddSingleton<HttpCorrelationMarker>();
        builder.AddActivitySource(CorrelationMiddleware.HostingSourceName);

        ServiceDescriptor? runtimeDefault = services.FirstOrDefault(d => d.ServiceType == typeof(DistributedContextPropagator)
            && d.ImplementationInstance is DistributedContextPropagator p
            && (ReferenceEquals(p, DistributedContextPropagator.Current) || ReferenceEquals(p, DistributedContextPropagator.CreateDefaultPropagator())));
        if (runtimeDefault is not null)
        {
            services.Remove(runtimeDefault);
        }

        services.TryAddSingleton<DistributedContextPropagator>(new W3CPropagator());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, CorrelationStartupFilter>());
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler<MusubiCorrelationHandler>());
        return builder;
    }

    private sealed class HttpCorrelationMarker;

    private sealed class CorrelationStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            IServiceProvider services = app.ApplicationServices;
            MusubiMonitoringOptions options = services.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value;
            app.UseMiddleware<CorrelationMiddleware>(
                services.GetRequiredService<MusubiTracer>(),
                options.Correlation.HeaderName,
                services.GetRequiredService<TimeProvider>());
            next(app);
        };
    }
}
