using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Quality.Cli.Tests.Support;

/// <summary>A real Kestrel host on 127.0.0.1 and a free port.</summary>
internal sealed class HealthHost : IAsyncDisposable
{
    private HealthHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<HealthHost> StartAsync(Action<IServiceCollection> services, Action<WebApplication> configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        services(builder.Services);
        WebApplication app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        try
        {
            configure(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            string address = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new HealthHost(app, new Uri(address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A host with MapMusubiHealthChecks and the dependency checks <paramref name="checks"/> adds.</summary>
    public static Task<HealthHost> StartMusubiAsync(Action<MusubiMonitoringBuilder> checks) =>
        StartAsync(services => checks(services.AddMusubiMonitoring()), app => app.MapMusubiHealthChecks());

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
