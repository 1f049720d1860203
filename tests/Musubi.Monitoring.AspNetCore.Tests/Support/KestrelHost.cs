using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.AspNetCore.Tests.Support;

/// <summary>A real Kestrel host on 127.0.0.1 and a free port, with an <see cref="HttpClient"/> pointed at it.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    public const string DurationFamily = "http_server_request_duration_seconds";

    private KestrelHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public MusubiMetricsCollector Collector => App.Services.GetRequiredService<MusubiMetricsCollector>();

    /// <summary>Builds, configures and starts a host; <paramref name="configure"/> adds middleware and endpoints.</summary>
    public static async Task<KestrelHost> StartAsync(
        Action<WebApplication> configure, Action<IServiceCollection>? services = null, bool addMonitoring = true)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Production: an unhandled exception is a bare 500, as in a deployed host (no developer page).
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        if (addMonitoring)
        {
            // Defaults: hosts of tests running in parallel share the meter name, and each collector must still
            // see only its own host's requests (it collects the meters of its own IMeterFactory).
            builder.Services.AddMusubiMonitoring();
        }

        WebApplication app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        try
        {
            configure(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            string address = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new KestrelHost(app, new Uri(address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The request-duration family, or <see langword="null"/> before the first request is recorded.</summary>
    public MetricFamilySnapshot? Durations() => Collector.Collect().Find(DurationFamily);

    /// <summary>The number of recorded requests carrying <paramref name="labels"/>.</summary>
    public long Count(params (string Name, string Value)[] labels)
    {
        MetricFamilySnapshot? family = Durations();
        if (family is null)
        {
            return 0;
        }

        return (long)family.Sum(labels);
    }

    /// <summary>
    /// Waits until <paramref name="expected"/> requests with <paramref name="labels"/> are recorded. The client can
    /// read a response before the middleware, which records after the handler returns, has run: this waits for
    /// that (bounded), it does not wait for time to pass.
    /// </summary>
    public async Task<long> WaitForCountAsync(long expected, params (string Name, string Value)[] labels)
    {
        long started = TimeProvider.System.GetTimestamp();
        long count = Count(labels);
        while (count < expected && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            count = Count(labels);
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
