using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Logging;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Musubi.Monitoring.AspNetCore.Tests.Correlation;

/// <summary>
/// A request goes test → A → B over real Kestrel hosts: A's client handler carries the context, B's middleware reads it.
/// The OpenTelemetry case subscribes to the runtime's process-wide sources, so this class runs alone.
/// </summary>
[Collection(nameof(HttpHopTests))]
[CollectionDefinition(nameof(HttpHopTests), DisableParallelization = true)]
public sealed class HttpHopTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string ParentId = "b7ad6b7169203331";

    [Fact]
    public async Task Hop_ClientHandlerToServerMiddleware_ContextArrivesWithOneClientSpan()
    {
        string logs = Path.Combine(Path.GetTempPath(), "musubi-hop-" + Guid.NewGuid().ToString("N"));
        await using KestrelHost b = await CorrelationTestHosts.StartAsync(
            services: s => s.AddMusubiMonitoring().AddFileLogging(o => o.Path = Path.Combine(logs, "b.log")));
        await using KestrelHost a = await StartCallerAsync(b);

        (Seen atB, Activity[] aSpans, Activity[] bSpans) = await CallAsync(a, b);

        Assert.Equal(TraceId, atB.TraceId);
        Assert.Equal("hop-1", atB.CorrelationId);
        Assert.Equal("Amélie", atB.Baggage["user"]);
        Activity aServer = Assert.Single(aSpans, s => s.Kind == ActivityKind.Server);
        Activity aClient = Assert.Single(aSpans, s => s.Kind == ActivityKind.Client);
        Activity bServer = Assert.Single(bSpans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(ParentId, aServer.ParentSpanId.ToHexString());
        Assert.Equal(aServer.SpanId, aClient.ParentSpanId);
        Assert.Equal(aClient.SpanId, bServer.ParentSpanId);
        Assert.Equal(atB.SpanId, bServer.SpanId.ToHexString());
        Assert.Equal(200, aClient.GetTagItem("http.response.status_code"));

        // B's log record, on disk, carries the same trace, B's server span and the correlation id.
        await b.App.Services.GetServices<ILoggerProvider>().OfType<MusubiFileLoggerProvider>().Single()
            .FlushAsync(TestContext.Current.CancellationToken);
        JsonElement record = Directory.GetFiles(logs).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("category").GetString() == "Seen");
        Assert.Equal(TraceId, record.GetProperty("trace_id").GetString());
        Assert.Equal(bServer.SpanId.ToHexString(), record.GetProperty("span_id").GetString());
        Assert.Equal("hop-1", record.GetProperty("correlation_id").GetString());
        Directory.Delete(logs, recursive: true);
    }

    [Fact]
    public async Task Hop_WithOpenTelemetryInTheHost_NoDuplicateSpans()
    {
        var otelSpans = new List<Activity>();
        using TracerProvider otel = Sdk.CreateTracerProviderBuilder()
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(otelSpans)
            .Build();
        await using KestrelHost b = await CorrelationTestHosts.StartAsync();
        await using KestrelHost a = await StartCallerAsync(b);

        // OpenTelemetry instruments the test's own call to A too, and writes its client span's traceparent over the
        // one the test set; a caller activity in the same trace keeps the test's trace id.
        using Activity caller = new Activity("test-caller").SetParentId(
            ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(ParentId), ActivityTraceFlags.Recorded).Start();
        (Seen atB, Activity[] aSpans, Activity[] bSpans) = await CallAsync(a, b);
        otel.ForceFlush();

        Activity[] all = [.. aSpans.Concat(bSpans).Concat(otelSpans.Where(s => s.TraceId.ToHexString() == TraceId)).DistinctBy(s => s.SpanId)];
        Assert.Equal(2, all.Count(s => s.Kind == ActivityKind.Server));
        Activity aServer = Assert.Single(aSpans, s => s.Kind == ActivityKind.Server);
        Activity client = Assert.Single(all, s => s.Kind == ActivityKind.Client && s.ParentSpanId == aServer.SpanId);
        Activity bServer = Assert.Single(bSpans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(client.SpanId, bServer.ParentSpanId);
        Assert.Equal(atB.SpanId, bServer.SpanId.ToHexString());
        Assert.Contains(otelSpans, s => s.SpanId == bServer.SpanId);
        Assert.Equal("hop-1", atB.CorrelationId);
        Assert.Equal("Amélie", atB.Baggage["user"]);
    }

    private static Task<KestrelHost> StartCallerAsync(KestrelHost b) => CorrelationTestHosts.StartAsync(
        app => app.MapGet("/call", async (IHttpClientFactory factory) =>
        {
            HttpClient client = factory.CreateClient("b");
            return Results.Json(await client.GetFromJsonAsync<Seen>("seen"));
        }),
        services => services.AddHttpClient("b", c => c.BaseAddress = b.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false }));

    private static async Task<(Seen AtB, Activity[] ASpans, Activity[] BSpans)> CallAsync(KestrelHost a, KestrelHost b)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "call");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentId}-01");
        request.Headers.Add("x-correlation-id", "hop-1");
        request.Headers.TryAddWithoutValidation("baggage", "user=Am%C3%A9lie");
        using HttpResponseMessage response = await a.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Seen atB = (await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken))!;
        IReadOnlyList<Activity> aSpans = await a.TraceAsync(TraceId, 2);
        IReadOnlyList<Activity> bSpans = await b.TraceAsync(TraceId, 1);
        int aHost = a.BaseAddress.Port;
        int bHost = b.BaseAddress.Port;

        // Both hosts' tracers hear every ASP.NET Core request in the process; keep each host's own server span.
        return (atB,
            [.. aSpans.Where(s => s.Kind != ActivityKind.Server || Host(s) == aHost)],
            [.. bSpans.Where(s => s.Kind == ActivityKind.Server && Host(s) == bHost)]);
    }

    private static int? Host(Activity span) => span.GetTagItem("server.port") as int?;
}
