using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's ASP.NET Core example.</summary>
public static class AspNetCoreSnippets
{
    public static void Host(string[] args)
    {
        // begin-snippet: aspnetcore
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMusubiMonitoring(o => o.ServiceName = "checkout");
        builder.Services.AddProblemDetails();

        WebApplication app = builder.Build();
        app.UseExceptionHandler();              // unhandled exceptions become a problem+json 500
        app.UseMusubiRequestMetrics();          // http_server_request_duration_seconds by method, route template, status
        app.MapMusubiMetrics();                 // GET /metrics: OpenMetrics, text 0.0.4 or JSON by Accept (or ?format=)

        app.MapGet("/api/orders/{id:int}", (int id) => Results.Ok(new { id }));
        app.Run();
        // end-snippet
    }
}
