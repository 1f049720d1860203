using Microsoft.Extensions.Hosting;

namespace Musubi.Monitoring.Releases;

/// <summary>Loads the stored flags into <see cref="FeatureFlags"/> when the host starts.</summary>
internal sealed class FeatureFlagLoader(FeatureFlagService service) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => service.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
