using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.AspNetCore.Correlation;

/// <summary>
/// Reads the incoming correlation context (W3C <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c> and the
/// correlation id), makes sure the request has exactly one server span, makes the context current for the rest of
/// the pipeline, and echoes the correlation id on the response.
/// </summary>
internal sealed class CorrelationMiddleware(RequestDelegate next, MusubiTracer tracer, string headerName, TimeProvider timeProvider)
{
    /// <summary>The activity ASP.NET Core hosting starts for each request.</summary>
    internal const string HostingActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    /// <summary>The activity source ASP.NET Core hosting starts it on when a listener asks for it.</summary>
    internal const string HostingSourceName = "Microsoft.AspNetCore";

    private static readonly object s_applied = new();

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Items.ContainsKey(s_applied))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        http.Items[s_applied] = s_applied;
        IHeaderDictionary headers = http.Request.Headers;
        string correlationId = headers.TryGetValue(headerName, out StringValues given) && given.Count == 1 && CorrelationIds.IsValid(given[0])
            ? given[0]!
            : CorrelationIds.Generate(timeProvider);

        ActivityContext remote = headers.TryGetValue(W3CTraceContext.TraceParentHeader, out StringValues traceParent)
            && traceParent.Count == 1
            && W3CTraceContext.TryParseTraceParent(traceParent[0], out ActivityContext parsed)
                ? parsed
                : default;
        string? traceState = remote != default ? W3CTraceContext.ParseTraceState(headers[W3CTraceContext.TraceStateHeader]) : null;
        IReadOnlyList<KeyValuePair<string, string>> baggage = W3CBaggage.Parse(headers[W3CBaggage.HeaderName]);

        // One server span per request: ASP.NET Core's own when a listener (ours, OpenTelemetry's) made it,
        // otherwise ours, parented to what arrived (never to an activity nobody records).
        Activity? current = Activity.Current;
        Activity? own = null;
        if (current is not { OperationName: HostingActivityName, Source.Name: HostingSourceName })
        {
            if (current is not null && remote == default)
            {
                Activity.Current = null;
            }

            own = tracer.StartSpan(http.Request.Method, ActivityKind.Server, parent: remote);
            if (own is not null && traceState is not null)
            {
                own.TraceStateString = traceState;
            }
        }

        Activity? span = own ?? current;
        if (span is { IsAllDataRequested: true })
        {
            // The same semantic-convention values OpenTelemetry's instrumentation would set, so either can go first.
            span.SetTag(HttpAttributes.CorrelationId, correlationId);
            span.SetTag(HttpAttributes.RequestMethod, http.Request.Method);
            span.SetTag(HttpAttributes.UrlScheme, http.Request.Scheme);
            span.SetTag(HttpAttributes.UrlPath, http.Request.Path.Value);
            span.SetTag(HttpAttributes.ServerAddress, http.Request.Host.Host);
            if (http.Request.Host.Port is { } port)
            {
                span.SetTag(HttpAttributes.ServerPort, port);
            }
        }

        // Set as the headers go out: an exception handler clears the response before it writes its own.
        http.Response.OnStarting(static state =>
        {
            (HttpResponse response, string name, string id) = ((HttpResponse, string, string))state;
            response.Headers[name] = id;
            return Task.CompletedTask;
        }, (http.Response, headerName, correlationId));
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext(correlationId, baggage, remote, traceState));
        try
        {
            await next(http).ConfigureAwait(false);
            Finish(http, span, own is not null);
        }
        catch (Exception ex) when (span is not null)
        {
            Finish(http, span, own is not null);
            span.SetTag(HttpAttributes.ErrorType, ex.GetType().FullName);
            MusubiTracer.Threw(span, ex);
            throw;
        }
        finally
        {
            own?.Dispose();
        }
    }

    private static void Finish(HttpContext http, Activity? span, bool ours)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        int status = http.Response.StatusCode;
        string? route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (route is not null)
        {
            span.SetTag(HttpAttributes.Route, route);
        }

        // Semantic-convention span names: "{method} {route}", or the method alone when no route matched.
        if (ours || span.DisplayName == span.OperationName)
        {
            span.DisplayName = route is null ? http.Request.Method : $"{http.Request.Method} {route}";
        }

        // An exception an exception handler turned into a response is still the span's error.
        if (http.Features.Get<IExceptionHandlerFeature>()?.Error is { } handled && span.Status != ActivityStatusCode.Error)
        {
            span.SetTag(HttpAttributes.ErrorType, handled.GetType().FullName);
            MusubiTracer.Threw(span, handled);
        }

        if (ours || span.GetTagItem(HttpAttributes.ResponseStatusCode) is null)
        {
            span.SetTag(HttpAttributes.ResponseStatusCode, status);
        }

        if (status >= 500 && span.Status == ActivityStatusCode.Unset)
        {
            span.SetTag(HttpAttributes.ErrorType, status.ToString(CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
