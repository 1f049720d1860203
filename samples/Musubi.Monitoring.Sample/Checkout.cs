using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// <c>GET /api/checkout/{id}</c>: a span of its own work, log lines, and an outgoing HTTP call (to this host's
/// <c>/api/orders/{id}</c>) that carries the trace, the baggage and the correlation id onwards.
/// </summary>
internal sealed partial class Checkout
{
    public static async Task<IResult> RunAsync(
        int id, HttpContext http, IHttpClientFactory clients, MusubiTracer tracer, TimeProvider time, ILogger<Checkout> logger)
    {
        CorrelationContext? context = CorrelationContext.Current;
        LogStarted(logger, id, context?.GetBaggage("tenant"));

        await tracer.TraceAsync("reserve-stock", async span =>
        {
            span?.SetTag("order.id", id);
            await Task.Delay(TimeSpan.FromMilliseconds(5), time, http.RequestAborted);
        });

        HttpClient self = clients.CreateClient();
        self.BaseAddress = new Uri($"{http.Request.Scheme}://{http.Request.Host}/");
        using HttpResponseMessage order = await self.GetAsync($"api/orders/{id}", http.RequestAborted);
        LogOrderLookedUp(logger, id, (int)order.StatusCode);

        return Results.Ok(new
        {
            id,
            orderStatus = (int)order.StatusCode,
            correlationId = context?.CorrelationId,
            tenant = context?.GetBaggage("tenant"),
        });
    }

    [LoggerMessage(1, LogLevel.Information, "Checkout of order {OrderId} started for tenant {Tenant}")]
    private static partial void LogStarted(ILogger logger, int orderId, string? tenant);

    [LoggerMessage(2, LogLevel.Information, "Order {OrderId} looked up: status {Status}")]
    private static partial void LogOrderLookedUp(ILogger logger, int orderId, int status);
}
