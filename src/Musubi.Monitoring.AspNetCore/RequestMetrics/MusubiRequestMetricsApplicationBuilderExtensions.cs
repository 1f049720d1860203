using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Musubi.Monitoring.AspNetCore;
using Musubi.Monitoring.AspNetCore.RequestMetrics;
using Musubi.Monitoring.Metrics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds Musubi's request-metrics middleware to an ASP.NET Core pipeline.</summary>
/// <remarks>
/// No options type: what to leave out is said per endpoint with <c>.DisableHttpMetrics()</c>, which ASP.NET Core's own
/// HTTP metrics honour too, and the metric itself (name, buckets) belongs to the core's
/// <c>MusubiMetrics.RecordRequest</c> and its options.
/// </remarks>
public static class MusubiRequestMetricsApplicationBuilderExtensions
{
    /// <summary>
    /// Records every request in <c>http_server_request_duration_seconds</c> through
    /// <see cref="MusubiMetrics.RecordRequest"/>: the method, the matched route template (for example
    /// <c>/api/orders/{id}</c>, never the raw path, so the number of series stays bounded; no <c>http_route</c>
    /// when no endpoint matched), the status code, and the duration measured with the registered
    /// <see cref="TimeProvider"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An unhandled exception is recorded as status 500 (with <c>error_type="500"</c>) and rethrown; a request
    /// the client aborted is recorded as 499; a <see cref="Microsoft.AspNetCore.Http.BadHttpRequestException"/>
    /// with its own status. Recording never throws into the request: a failure goes to the
    /// <c>Musubi-Monitoring-AspNetCore</c> event source and the <c>Musubi.Monitoring.AspNetCore</c> logger.
    /// </para>
    /// <para>
    /// Endpoints with <see cref="Microsoft.AspNetCore.Http.Metadata.IDisableHttpMetricsMetadata"/> (added by
    /// <c>.DisableHttpMetrics()</c>, and by <c>MapMusubiMetrics</c> to the scrape endpoint) are not recorded.
    /// Requests that match no endpoint (404, and 405 for a known path with another method) have no route.
    /// </para>
    /// <para>
    /// Place it before the endpoints, on either side of <c>UseExceptionHandler</c>: a request that fails is
    /// recorded once, with its final status, under the route it was made to, not the error page's (the endpoint
    /// seen on the way in wins). Routing may run before or after it. Adding it twice records each request once.
    /// </para>
    /// <para>
    /// Do not also collect ASP.NET Core's own <c>Microsoft.AspNetCore.Hosting</c> meter with
    /// <c>AddMeter</c>: it has the same instrument name, so the two would be merged into one family and every
    /// request counted twice.
    /// </para>
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddMusubiMonitoring()</c> was not called.</exception>
    public static IApplicationBuilder UseMusubiRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        IServiceProvider services = app.ApplicationServices;
        MusubiMetrics metrics = services.GetService<MusubiMetrics>()
            ?? throw new InvalidOperationException(
                "UseMusubiRequestMetrics needs MusubiMetrics in the service container; call services.AddMusubiMonitoring() first.");
        TimeProvider timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        ILogger logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(Log.Category);
        return app.Use(next => new RequestMetricsMiddleware(next, metrics, timeProvider, logger).InvokeAsync);
    }
}
