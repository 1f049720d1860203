using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Logging;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's logging example.</summary>
public static partial class LoggingSnippets
{
    public static async Task FileAndConsole(string[] args)
    {
        // begin-snippet: logging
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();                          // else the default console logger prints each record too
        builder.Services.AddMusubiMonitoring(o =>
            {
                o.ServiceName = "checkout";
                o.ServiceVersion = "1.4.2";
                o.Environment = "production";
            })
            .AddConsoleLogging(o => o.Format = LogFormat.Json)    // or LogFormat.Text: one line per record
            .AddFileLogging(o =>
            {
                o.Path = "logs/checkout.log";                   // logs/checkout.20261203.log, then _001, …
                o.FileSizeLimitBytes = 50 * 1024 * 1024;        // roll at 50 MiB (null: no size limit)
                o.RollInterval = LogRollInterval.Day;           // and at each UTC day
                o.RetainedFileCountLimit = 14;                  // delete the oldest beyond 14 files
                o.FullMode = LogQueueFullMode.Block;            // or DropNewest / DropOldest (counted)
            });

        using IHost host = builder.Build();
        ILogger logger = host.Services.GetRequiredService<ILogger<Program>>();
        using (logger.BeginScope(new Dictionary<string, object> { ["tenant"] = "acme" }))
        {
            logger.LogInformation("Order {OrderId} shipped to {Country}", 42, "NZ");
        }

        await host.StopAsync();   // flushes the file; so does disposing the provider
        // end-snippet
    }

    private sealed class Program;
}
