using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's health-check example.</summary>
public static class HealthSnippets
{
    public static void Host(string[] args)
    {
        // begin-snippet: health
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMusubiMonitoring(o => o.ServiceName = "checkout")
            // Critical (the default): a failure makes /health/ready answer 503.
            .AddDependencyCheck("db", async ct =>
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("db.internal", 5432, ct);
                return true;
            }, o => o.Timeout = TimeSpan.FromSeconds(2))
            // Non-critical: a failure reports Degraded, and readiness stays 200.
            .AddDependencyCheck("recommendations", (services, ct) =>
                Task.FromResult(HealthCheckResult.Degraded("serving cached results")),
                o => o.Critical = false);

        WebApplication app = builder.Build();
        app.MapMusubiHealthChecks();            // GET /health/live (runs no checks), GET /health/ready (checks tagged "ready")
        app.Run();
        // end-snippet
    }
}
