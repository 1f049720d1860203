using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Correlation;

/// <summary>
/// The handler against a terminal handler that captures the request. It decides on its own span by asking whether the
/// runtime's System.Net.Http source has listeners, which is process-wide, so this class runs alone.
/// </summary>
[Collection(nameof(MusubiCorrelationHandlerTests))]
[CollectionDefinition(nameof(MusubiCorrelationHandlerTests), DisableParallelization = true)]
public sealed class MusubiCorrelationHandlerTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Capture _capture = new();
    private readonly HttpMessageInvoker _client;

    public MusubiCorrelationHandlerTests()
    {
        _services = new ServiceCollection()
            .AddMusubiMonitoring(o => o.Tracing.ActivitySourceName = "Test." + Guid.NewGuid().ToString("N"))
            .AddInMemorySpanExporter()
            .Services.BuildServiceProvider();
        MusubiCorrelationHandler handler = _services.GetRequiredService<MusubiCorrelationHandler>();
        handler.InnerHandler = _capture;
        _client = new HttpMessageInvoker(handler);
    }

    public void Dispose()
    {
        _client.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Send_InsideASpan_InjectsAClientSpanChildOfIt()
    {
        MusubiTracer tracer = _services.GetRequiredService<MusubiTracer>();
        using Activity parent = tracer.StartSpan("work")!;
        parent.TraceStateString = "vendor=1";

        await SendAsync();

        Activity client = Assert.Single(_services.GetRequiredService<InMemorySpanExporter>().GetTrace(parent.TraceId));
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal(parent.SpanId, client.ParentSpanId);
        Assert.Equal($"00-{parent.TraceId}-{client.SpanId}-01", _capture.Header("traceparent"));
        Assert.Equal("vendor=1", _capture.Header("tracestate"));
        Assert.Equal(200, client.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Send_WithCorrelationContext_InjectsBaggageAndCorrelationId()
    {
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("c-1", [new("user", "Amélie; x,y"), new("bad key", "v")]));

        await SendAsync();

        Assert.Equal("c-1", _capture.Header("x-correlation-id"));
        Assert.Equal("user=Am%C3%A9lie%3B%20x%2Cy", _capture.Header("baggage"));
    }

    [Fact]
    public async Task Send_NoSpanButRemoteParent_KeepsTheTrace()
    {
        Activity.Current = null;
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("c-2", remoteParent: remote));

        await SendAsync();

        Assert.StartsWith($"00-{remote.TraceId}-", _capture.Header("traceparent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_CallerHeadersAreReplacedNotDuplicated()
    {
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("mine"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
        request.Headers.Add("x-correlation-id", "theirs");

        using HttpResponseMessage response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(["mine"], _capture.Request!.Headers.GetValues("x-correlation-id"));
    }

    [Fact]
    public async Task Send_ServerError_ClientSpanIsError()
    {
        _capture.Status = HttpStatusCode.BadGateway;
        MusubiTracer tracer = _services.GetRequiredService<MusubiTracer>();
        using Activity parent = tracer.StartSpan("work")!;

        await SendAsync();

        Activity client = Assert.Single(_services.GetRequiredService<InMemorySpanExporter>().GetTrace(parent.TraceId));
        Assert.Equal(ActivityStatusCode.Error, client.Status);
        Assert.Equal("502", client.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Send_TransportThrows_SpanRecordsTheExceptionAndItIsRethrown()
    {
        _capture.Throw = new HttpRequestException("refused");
        MusubiTracer tracer = _services.GetRequiredService<MusubiTracer>();
        using Activity parent = tracer.StartSpan("work")!;

        await Assert.ThrowsAsync<HttpRequestException>(SendAsync);

        Activity client = Assert.Single(_services.GetRequiredService<InMemorySpanExporter>().GetTrace(parent.TraceId));
        Assert.Equal(ActivityStatusCode.Error, client.Status);
        Assert.Contains(client.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Send_RuntimeHttpSourceHasAListener_NoOwnSpanAndNoTraceParent()
    {
        using var runtimeListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(runtimeListener);
        MusubiTracer tracer = _services.GetRequiredService<MusubiTracer>();
        using Activity parent = tracer.StartSpan("work")!;
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("c-3"));

        await SendAsync();

        Assert.Empty(_services.GetRequiredService<InMemorySpanExporter>().GetTrace(parent.TraceId));
        Assert.Null(_capture.Header("traceparent"));
        Assert.Equal("c-3", _capture.Header("x-correlation-id"));
    }

    [Theory]
    [InlineData("congo=t61rcWkgMzE\r\nX-Injected: yes")]
    [InlineData("a=\u00e9")]
    [InlineData("UPPER=1")]
    public async Task Send_InvalidTraceStateOnTheSpan_IsNotSentAndTheCallSucceeds(string traceState)
    {
        MusubiTracer tracer = _services.GetRequiredService<MusubiTracer>();
        using Activity parent = tracer.StartSpan("work")!;
        parent.TraceStateString = traceState;

        await SendAsync();

        Assert.Null(_capture.Header("tracestate"));
        Assert.Null(_capture.Request!.Headers.TryGetValues("X-Injected", out IEnumerable<string>? injected) ? injected : null);
        Assert.StartsWith($"00-{parent.TraceId}-", _capture.Header("traceparent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NoSpanButRemoteParentWithTraceState_SendsTheTraceState()
    {
        Activity.Current = null;
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using IDisposable scope = CorrelationContext.Begin(new CorrelationContext("c-4", remoteParent: remote, traceState: "vendor=1"));

        await SendAsync();

        Assert.Equal("vendor=1", _capture.Header("tracestate"));
    }

    private async Task SendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:9/orders");
        using HttpResponseMessage response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public Exception? Throw { get; set; }

        public string? Header(string name) =>
            Request!.Headers.TryGetValues(name, out IEnumerable<string>? values) ? Assert.Single(values) : null;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Throw is not null ? Task.FromException<HttpResponseMessage>(Throw) : Task.FromResult(new HttpResponseMessage(Status));
        }
    }
}
