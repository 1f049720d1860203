using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Correlation;

/// <summary>
/// An <see cref="HttpClient"/> handler that carries the current correlation context to the server it calls: a
/// client span with the W3C <c>traceparent</c> and <c>tracestate</c>, the <c>baggage</c> of
/// <see cref="CorrelationContext.Current"/>, and the correlation id header.
/// </summary>
/// <remarks>
/// <para>
/// The ASP.NET Core package adds it to every client from <c>IHttpClientFactory</c>; elsewhere add it with
/// <c>AddHttpMessageHandler&lt;MusubiCorrelationHandler&gt;()</c>. It is resolved from the container (transient).
/// </para>
/// <para>
/// When something listens to the runtime's own <c>System.Net.Http</c> activity source (OpenTelemetry's
/// HttpClient instrumentation, for one), the runtime already makes a client span and writes its
/// <c>traceparent</c>; this handler then makes no span of its own, so there are no duplicates, and only adds the
/// baggage and correlation id. Headers the handler writes replace any the caller set.
/// </para>
/// <para>Telemetry never fails the call: a failure to start the span or write a header is reported and skipped.</para>
/// </remarks>
public sealed class MusubiCorrelationHandler : DelegatingHandler
{
    private const string RuntimeHttpSourceName = "System.Net.Http";

    // A second source with the runtime's name: listeners that subscribe by name subscribe to it too, so HasListeners
    // says whether the runtime will make its own client span. Nothing is ever started on it.
    private static readonly ActivitySource s_runtimeHttpSource = new(RuntimeHttpSourceName);

    private readonly MusubiTracer _tracer;
    private readonly string _headerName;

    /// <summary>Initializes a new instance of the <see cref="MusubiCorrelationHandler"/> class.</summary>
    /// <param name="tracer">The tracer that starts client spans.</param>
    /// <param name="options">The monitoring options (for the correlation header name).</param>
    /// <exception cref="ArgumentNullException"><paramref name="tracer"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public MusubiCorrelationHandler(MusubiTracer tracer, IOptions<MusubiMonitoringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        ArgumentNullException.ThrowIfNull(options);
        _tracer = tracer;
        _headerName = options.Value.Correlation.HeaderName;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Activity? span = null;
        try
        {
            bool runtimeSpan = s_runtimeHttpSource.HasListeners();
            if (!runtimeSpan)
            {
                span = StartClientSpan(request);
            }

            Inject(request, span, runtimeSpan);
        }
        catch (Exception ex)
        {
            Diagnostics.MusubiMonitoringEventSource.Log.TracingCallbackFailed(nameof(MusubiCorrelationHandler), ex.Message);
        }

        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (span is not null)
            {
                int status = (int)response.StatusCode;
                span.SetTag(HttpAttributes.ResponseStatusCode, status);
                if (status >= 400)
                {
                    span.SetTag(HttpAttributes.ErrorType, status.ToString(CultureInfo.InvariantCulture));
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }

            return response;
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetTag(HttpAttributes.ErrorType, ex.GetType().FullName);
            MusubiTracer.Threw(span, ex);
            throw;
        }
        finally
        {
            span?.Dispose();
        }
    }

    private Activity? StartClientSpan(HttpRequestMessage request)
    {
        // Without an ambient span, the tracer parents the call to the trace the work arrived with.
        Activity? span = _tracer.StartSpan(request.Method.Method, ActivityKind.Client);
        if (span is { IsAllDataRequested: true } && request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            span.SetTag(HttpAttributes.RequestMethod, request.Method.Method);
            span.SetTag(HttpAttributes.ServerAddress, uri.Host);
            span.SetTag(HttpAttributes.ServerPort, uri.Port);
            span.SetTag(HttpAttributes.UrlFull, uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
        }

        return span;
    }

    private void Inject(HttpRequestMessage request, Activity? span, bool runtimeSpan)
    {
        CorrelationContext? context = CorrelationContext.Current;
        if (!runtimeSpan)
        {
            // The span this call belongs to: ours, else the ambient one, else the remote parent the work arrived with.
            Activity? parent = span ?? Activity.Current;
            ActivityContext trace = parent is { IdFormat: ActivityIdFormat.W3C } ? parent.Context : context?.RemoteParent ?? default;
            string? traceState = parent is not null ? parent.TraceStateString : context?.TraceState;
            if (W3CTraceContext.TryFormatTraceParent(trace) is { } traceParent)
            {
                Set(request, W3CTraceContext.TraceParentHeader, traceParent);
                if (W3CTraceContext.ForSending(traceState) is { } valid)
                {
                    Set(request, W3CTraceContext.TraceStateHeader, valid);
                }
            }
        }

        string? baggage = context is not null
            ? W3CBaggage.Format(context.Baggage)
            : Activity.Current is { } current ? W3CBaggage.FormatCore(current.Baggage) : null;
        if (baggage is not null)
        {
            Set(request, W3CBaggage.HeaderName, baggage);
        }

        if (context is not null)
        {
            Set(request, _headerName, context.CorrelationId);
            span?.SetTag(HttpAttributes.CorrelationId, context.CorrelationId);
        }
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
