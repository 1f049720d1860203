using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.AspNetCore.Tests.Correlation;

/// <summary>What an endpoint saw of the correlation context.</summary>
internal sealed record Seen(string? CorrelationId, string? TraceId, string? SpanId, string? ParentSpanId, Dictionary<string, string> Baggage);

/// <summary>Hosts wired with AddHttpCorrelation and an in-memory span exporter.</summary>
internal static class CorrelationTestHosts
{
    public static Task<KestrelHost> StartAsync(Action<WebApplication>? configure = null, Action<IServiceCollection>? services = null) =>
        KestrelHost.StartAsync(
            app =>
            {
                app.MapGet("/seen", (ILoggerFactory logs) =>
                {
                    logs.CreateLogger("Seen").LogInformation("Seen at {Path}", "/seen");
                    return Results.Json(SeenNow());
                });
                configure?.Invoke(app);
            },
            s =>
            {
                s.AddMusubiMonitoring(o => o.Tracing.ActivitySourceName = "Test." + Guid.NewGuid().ToString("N"))
                    .AddHttpCorrelation()
                    .AddInMemorySpanExporter();
                services?.Invoke(s);
            });

    public static Seen SeenNow()
    {
        CorrelationContext? context = CorrelationContext.Current;
        Activity? current = Activity.Current;
        return new Seen(
            context?.CorrelationId,
            current?.TraceId.ToHexString(),
            current?.SpanId.ToHexString(),
            current?.ParentSpanId.ToHexString(),
            context?.Baggage.ToDictionary(m => m.Key, m => m.Value) ?? []);
    }

    public static InMemorySpanExporter Spans(this KestrelHost host) => host.App.Services.GetRequiredService<InMemorySpanExporter>();

    /// <summary>The spans of one trace, once at least <paramref name="count"/> have ended (bounded wait).</summary>
    public static async Task<IReadOnlyList<Activity>> TraceAsync(this KestrelHost host, string traceId, int count)
    {
        ActivityTraceId id = ActivityTraceId.CreateFromString(traceId);
        for (int i = 0; i < 500; i++)
        {
            IReadOnlyList<Activity> spans = host.Spans().GetTrace(id);
            if (spans.Count >= count)
            {
                return spans;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return host.Spans().GetTrace(id);
    }
}
