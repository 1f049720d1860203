using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's tracing and correlation examples.</summary>
public static class TracingSnippets
{
    public static async Task Spans()
    {
        // begin-snippet: tracing
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o =>
            {
                o.ServiceName = "checkout";
                o.Tracing.Sampler = Sampler.ParentBased(Sampler.TraceIdRatio(0.25));   // default: ParentBased(AlwaysOn)
            })
            .AddActivitySource("Checkout.*")              // your own ActivitySources, by name or pattern
            .AddConsoleSpanExporter(SpanOutputFormat.Json)
            .AddInMemorySpanExporter(capacity: 10_000);   // read finished spans back by trace id

        await using ServiceProvider provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<MusubiTracer>();

        ActivityTraceId traceId;
        using (Activity? order = tracer.StartSpan("place-order", ActivityKind.Internal,
                   attributes: [new("order.id", 42)]))
        {
            traceId = order!.TraceId;                                      // null only when Tracing.Enabled is false
            order.AddEvent(new ActivityEvent("validated"));
            using Activity? child = tracer.StartSpan("charge-card");   // child of place-order
            child?.SetTag("payment.provider", "stripe");
            child?.SetStatus(ActivityStatusCode.Error, "card declined");
        }

        // Status Ok on return; on an exception: status Error, an `exception` event
        // (exception.type / .message / .stacktrace), and the exception rethrown.
        int total = await tracer.TraceAsync("compute-total", async span =>
        {
            await Task.Delay(10);
            return 99;
        });

        IReadOnlyList<Activity> trace = provider.GetRequiredService<InMemorySpanExporter>()
            .GetTrace(traceId);   // place-order and charge-card; empty when the sampler left this trace out
        // end-snippet
        _ = (total, trace);
    }

    public static void Exporter(IServiceCollection services)
    {
        // begin-snippet: span-exporter
        services.AddMusubiMonitoring(o =>
            {
                o.Tracing.Batch.MaxQueueSize = 4096;
                o.Tracing.Batch.FullQueuePolicy = SpanQueueFullPolicy.DropOldest;   // or DropNewest; both counted
            })
            .AddSpanExporter<MySpanExporter>();   // batched, off the thread that ends the span
        // end-snippet
    }

    // begin-snippet: span-exporter-class
    public sealed class MySpanExporter : ISpanExporter
    {
        public async Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
        {
            foreach (Activity span in spans)
            {
                await Console.Out.WriteLineAsync($"{span.TraceId} {span.DisplayName} {span.Duration.TotalMilliseconds} ms");
            }
        }
    }
    // end-snippet

    public static void Http(string[] args)
    {
        // begin-snippet: correlation
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMusubiMonitoring(o => o.ServiceName = "checkout")
            .AddHttpCorrelation()          // middleware in, HttpClient handler out, spec-exact W3C propagator
            .AddInMemorySpanExporter();
        builder.Services.AddHttpClient("stock", c => c.BaseAddress = new Uri("http://127.0.0.1:5081/"));

        WebApplication app = builder.Build();
        app.MapGet("/checkout", async (IHttpClientFactory clients) =>
        {
            CorrelationContext context = CorrelationContext.Current!;          // id, baggage, remote parent
            string? tenant = context.GetBaggage("tenant");
            HttpClient stock = clients.CreateClient("stock");                  // carries traceparent, baggage,
            string reply = await stock.GetStringAsync("reserve");              // and x-correlation-id onwards
            return Results.Ok(new { context.CorrelationId, tenant, reply });
        });
        app.Run();
        // end-snippet
    }

    public static void Codecs()
    {
        // begin-snippet: w3c
        bool ok = W3CTraceContext.TryParseTraceParent(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", out ActivityContext parent);
        string header = W3CTraceContext.FormatTraceParent(parent);               // 00-4bf9…-00f0…-01
        IReadOnlyList<KeyValuePair<string, string>> baggage =
            W3CBaggage.Parse(["userId=Am%C3%A9lie,serverNode=DF%2028;prop=1"]);  // Amélie, "DF 28"
        string? encoded = W3CBaggage.Format(baggage);                            // userId=Am%C3%A9lie,serverNode=DF%2028

        using (CorrelationContext.Begin(new CorrelationContext("job-7", baggage, parent)))
        {
            // flows through await and Task.Run; logs written here carry correlation_id=job-7
        }
        // end-snippet
        _ = (ok, header, encoded);
    }
}
