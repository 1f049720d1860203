using Microsoft.Extensions.Hosting;

namespace Musubi.Monitoring.Quality;

/// <summary>Starts the <see cref="QualityCollector"/> with the host and stops it (waiting for a running collection up to the host's shutdown timeout) when the host stops.</summary>
internal sealed class QualityCollectorHostedService(QualityCollector collector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        collector.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => collector.StopAsync(cancellationToken);
}
