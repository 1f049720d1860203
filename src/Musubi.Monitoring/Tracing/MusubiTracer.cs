using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Diagnostics;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tracing;

/// <summary>
/// Starts spans and records them: spans are <see cref="Activity"/> objects from an <see cref="ActivitySource"/>, so
/// OpenTelemetry and any other listener see them too. The tracer listens to its own source and to
/// <see cref="TracingOptions.Sources"/>, samples with <see cref="TracingOptions.Sampler"/>, and hands recorded spans
/// to the exporters registered with <c>AddSpanExporter</c>, <c>AddInMemorySpanExporter</c> or
/// <c>AddConsoleSpanExporter</c>.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Get it from the service provider; it lives as long as the provider.</para>
/// <para>
/// Use the span through <see cref="Activity"/>'s own API: <see cref="Activity.SetTag"/> for attributes,
/// <see cref="Activity.AddEvent"/>, <see cref="Activity.SetStatus"/>, <see cref="Activity.AddException"/> (which
/// records OpenTelemetry's <c>exception</c> event with <c>exception.type</c>, <c>exception.message</c> and
/// <c>exception.stacktrace</c>), and <see cref="Activity.Dispose()"/> (or <see cref="Activity.Stop"/>) to end it.
/// </para>
/// <para>
/// Span timestamps come from <see cref="Activity"/>'s own high-resolution clock, as every listener of the same
/// span must agree on them; the injected <see cref="TimeProvider"/> drives batching and timeouts.
/// </para>
/// </remarks>
public sealed class MusubiTracer : IAsyncDisposable, IDisposable
{
    /// <summary>The default name of the tracer's activity source: <c>Musubi.Monitoring</c>.</summary>
    public const string DefaultActivitySourceName = "Musubi.Monitoring";

    private readonly ActivityListener? _listener;
    private readonly SpanProcessor[] _processors;
    private readonly Sampler _sampler;
    private readonly MeterMatcher _sources;
    private int _disposed;

    internal MusubiTracer(
        MusubiMonitoringOptions options,
        IEnumerable<(ISpanExporter Exporter, bool Immediate)> exporters,
        TimeProvider timeProvider,
        Meter? meter)
    {
        TracingOptions tracing = options.Tracing;
        Source = new ActivitySource(tracing.ActivitySourceName, options.ServiceVersion);
        _sampler = tracing.Sampler;
        _sources = new MeterMatcher([.. tracing.Sources, tracing.ActivitySourceName]);
        _processors = [.. exporters.Select(e => e.Immediate
            ? (SpanProcessor)new ImmediateSpanProcessor(e.Exporter)
            : new BatchSpanProcessor(e.Exporter, tracing.Batch, timeProvider))];

        if (tracing.Enabled)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => _sources.IsMatch(source.Name),
                Sample = Sample,
                ActivityStopped = OnStopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        if (meter is not null)
        {
            meter.CreateObservableCounter("musubi.tracing.spans.exported", () => Sum(p => p.ExportedSpans), "{span}", "Spans handed to an exporter successfully.");
            meter.CreateObservableCounter("musubi.tracing.spans.failed", () => Sum(p => p.FailedSpans), "{span}", "Spans whose export threw or timed out.");
            meter.CreateObservableCounter("musubi.tracing.spans.dropped", () => Sum(p => p.DroppedSpans), "{span}", "Spans dropped because an export queue was full.");
        }
    }

    /// <summary>Gets the activity source the tracer starts spans on.</summary>
    public ActivitySource Source { get; }

    /// <summary>Gets the sampler.</summary>
    public Sampler Sampler => _sampler;

    /// <summary>Gets how many spans were handed to exporters successfully (a span sent to two exporters counts twice).</summary>
    public long ExportedSpans => Sum(p => p.ExportedSpans);

    /// <summary>Gets how many spans were lost because an export threw or timed out.</summary>
    public long FailedSpans => Sum(p => p.FailedSpans);

    /// <summary>Gets how many spans were dropped because an export queue was full.</summary>
    public long DroppedSpans => Sum(p => p.DroppedSpans);

    /// <summary>
    /// Starts a span and makes it <see cref="Activity.Current"/>. Dispose it to end it.
    /// </summary>
    /// <param name="name">The span's name, such as <c>GET /orders/{id}</c> or <c>charge-card</c>.</param>
    /// <param name="kind">The span's kind.</param>
    /// <param name="attributes">Attributes known at start (a sampler may use them).</param>
    /// <param name="links">Links to spans of other traces.</param>
    /// <param name="parent">
    /// An explicit parent, such as a remote context extracted from a message. Without one, the parent is
    /// <see cref="Activity.Current"/>, else the <see cref="CorrelationContext.RemoteParent"/> of
    /// <see cref="CorrelationContext.Current"/>, else none (a new trace).
    /// </param>
    /// <returns>
    /// The span; <see langword="null"/> when tracing is disabled. A span the sampler did not record is still returned
    /// (with <see cref="Activity.Recorded"/> false) so its context propagates.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ObjectDisposedException">The tracer is disposed.</exception>
    public Activity? StartSpan(
        string name,
        ActivityKind kind = ActivityKind.Internal,
        IEnumerable<KeyValuePair<string, object?>>? attributes = null,
        IEnumerable<ActivityLink>? links = null,
        ActivityContext parent = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (parent == default)
        {
            parent = CorrelationContext.AmbientRemoteParent;
        }

        return Source.StartActivity(name, kind, parent, attributes, links);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside a new span. The span's status becomes Ok when the body returns (unless
    /// the body set one) and Error when it throws; an exception is recorded on the span and rethrown.
    /// </summary>
    /// <param name="name">The span's name.</param>
    /// <param name="body">The work; receives the span (null when tracing is disabled).</param>
    /// <param name="kind">The span's kind.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public void Trace(string name, Action<Activity?> body, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(body);
        Trace(name, span =>
        {
            body(span);
            return true;
        }, kind);
    }

    /// <summary>Runs <paramref name="body"/> inside a new span and returns its result; see <see cref="Trace(string, Action{Activity}, ActivityKind)"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="name">The span's name.</param>
    /// <param name="body">The work; receives the span (null when tracing is disabled).</param>
    /// <param name="kind">The span's kind.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public T Trace<T>(string name, Func<Activity?, T> body, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(body);
        using Activity? span = StartSpan(name, kind);
        try
        {
            T result = body(span);
            Succeeded(span);
            return result;
        }
        catch (Exception ex)
        {
            Threw(span, ex);
            throw;
        }
    }

    /// <summary>Runs asynchronous <paramref name="body"/> inside a new span that ends when the task completes; see <see cref="Trace(string, Action{Activity}, ActivityKind)"/>.</summary>
    /// <param name="name">The span's name.</param>
    /// <param name="body">The work; receives the span (null when tracing is disabled).</param>
    /// <param name="kind">The span's kind.</param>
    /// <returns>A task that completes as <paramref name="body"/>'s task does.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public Task TraceAsync(string name, Func<Activity?, Task> body, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(body);
        return TraceAsync(name, async span =>
        {
            await body(span).ConfigureAwait(false);
            return true;
        }, kind);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> inside a new span and returns its result; see <see cref="Trace(string, Action{Activity}, ActivityKind)"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="name">The span's name.</param>
    /// <param name="body">The work; receives the span (null when tracing is disabled).</param>
    /// <param name="kind">The span's kind.</param>
    /// <returns>A task with <paramref name="body"/>'s result.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public Task<T> TraceAsync<T>(string name, Func<Activity?, Task<T>> body, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Run(name, body, kind);

        async Task<T> Run(string name, Func<Activity?, Task<T>> body, ActivityKind kind)
        {
            using Activity? span = StartSpan(name, kind);
            try
            {
                T result = await body(span).ConfigureAwait(false);
                Succeeded(span);
                return result;
            }
            catch (Exception ex)
            {
                Threw(span, ex);
                throw;
            }
        }
    }

    /// <summary>Exports every span queued so far; waits for exports in progress.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the queued spans are exported (or failed).</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (SpanProcessor processor in _processors)
        {
            await processor.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and exports what is queued (each batch bounded by the export timeout).</summary>
    /// <returns>A task that completes when the queued spans are exported.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener?.Dispose();
        foreach (SpanProcessor processor in _processors)
        {
            await processor.DisposeAsync().ConfigureAwait(false);
        }

        Source.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal static void Succeeded(Activity? span)
    {
        if (span is { Status: ActivityStatusCode.Unset })
        {
            span.SetStatus(ActivityStatusCode.Ok);
        }
    }

    internal static void Threw(Activity? span, Exception ex)
    {
        if (span is null)
        {
            return;
        }

        // An exception whose Message or StackTrace getter throws must not replace the application's exception.
        string? message;
        try
        {
            message = ex.Message;
            span.AddException(ex);
        }
        catch (Exception)
        {
            message = ex.GetType().FullName;
            span.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = message }));
        }

        span.SetStatus(ActivityStatusCode.Error, message);
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        try
        {
            return _sampler.ShouldSample(new SamplingParameters(options.Parent, options.TraceId, options.Name, options.Kind))
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.PropagationData;
        }
        catch (Exception ex)
        {
            MusubiMonitoringEventSource.Log.TracingCallbackFailed($"sampler {_sampler.Description}", ex.Message);
            return ActivitySamplingResult.PropagationData;
        }
    }

    private void OnStopped(Activity span)
    {
        if (!span.Recorded)
        {
            return;
        }

        foreach (SpanProcessor processor in _processors)
        {
            try
            {
                processor.OnEnd(span);
            }
            catch (Exception ex)
            {
                MusubiMonitoringEventSource.Log.TracingCallbackFailed(processor.ExporterName, ex.Message);
            }
        }
    }

    private long Sum(Func<SpanProcessor, long> counter)
    {
        long total = 0;
        foreach (SpanProcessor processor in _processors)
        {
            total += counter(processor);
        }

        return total;
    }
}
