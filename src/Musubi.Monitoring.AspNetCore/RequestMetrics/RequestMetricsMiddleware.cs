using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.AspNetCore.Diagnostics;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.AspNetCore.RequestMetrics;

/// <summary>
/// Records every request through <see cref="MusubiMetrics.RecordRequest"/>: method, matched route template, status
/// code and duration. Built once per pipeline by <c>UseMusubiRequestMetrics</c>.
/// </summary>
/// <remarks>
/// Thread-safe: it holds only immutable references and is shared by all requests. Recording never throws into the
/// request; a failure is reported through <see cref="MusubiAspNetCoreEventSource"/> and the logger.
/// </remarks>
internal sealed class RequestMetricsMiddleware
{
    /// <summary>
    /// nginx's "client closed request": a request whose client went away is neither a success nor a server error,
    /// and must not count against an availability SLO.
    /// </summary>
    internal const int ClientClosedRequest = 499;

    /// <summary>Marks a request already measured by an outer instance (the middleware was added twice).</summary>
    private static readonly object s_measuredKey = new();

    private readonly RequestDelegate _next;
    private readonly MusubiMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RequestMetricsMiddleware(RequestDelegate next, MusubiMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        _next = next;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Items.ContainsKey(s_measuredKey))
        {
            // An outer instance measures this request; measuring it again would count it twice.
            return _next(context);
        }

        context.Items[s_measuredKey] = null;
        return MeasureAsync(context);
    }

    private async Task MeasureAsync(HttpContext context)
    {
        long start = _timeProvider.GetTimestamp();

        // The endpoint seen on the way in wins over the one seen on the way out: an exception handler that
        // re-executes the pipeline for its error page replaces the endpoint, and the request should still be
        // counted under the route it was made to. When routing runs after this middleware, only the way out
        // knows the endpoint.
        Endpoint? entered = context.GetEndpoint();
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Record(context, entered, start, StatusCodeOf(context, e));
            throw;
        }

        Record(context, entered, start, context.Response.StatusCode);
    }

    private static int StatusCodeOf(HttpContext context, Exception exception) => exception switch
    {
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => ClientClosedRequest,

        // The server answers these with their own status (400, 408, 413, …) when the response has not started.
        BadHttpRequestException bad when !context.Response.HasStarted => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    private void Record(HttpContext context, Endpoint? entered, long start, int statusCode)
    {
        try
        {
            Endpoint? endpoint = entered ?? context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<IDisableHttpMetricsMetadata>() is not null)
            {
                return;
            }

            _metrics.RecordRequest(context.Request.Method, RouteOf(endpoint), statusCode, _timeProvider.GetElapsedTime(start));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Another MeterListener's callback can throw through Histogram.Record; the request must not see it.
            MusubiAspNetCoreEventSource.Log.RequestRecordingFailed(e.ToString());
            try
            {
                Log.RequestRecordingFailed(_logger, e);
            }
            catch (Exception logFailure) when (logFailure is not OutOfMemoryException)
            {
                MusubiAspNetCoreEventSource.Log.RequestRecordingFailed(logFailure.ToString());
            }
        }
    }

    /// <summary>
    /// The route template, never the raw path (a series per URL would be unbounded): ASP.NET Core's own
    /// diagnostics route when the endpoint has one, else the pattern's raw text. <see langword="null"/> when no
    /// endpoint matched.
    /// </summary>
    internal static string? RouteOf(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        string? route = endpoint.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route;
        if (string.IsNullOrEmpty(route) && endpoint is RouteEndpoint routeEndpoint)
        {
            route = routeEndpoint.RoutePattern.RawText;
        }

        return string.IsNullOrEmpty(route) ? null : route;
    }
}
