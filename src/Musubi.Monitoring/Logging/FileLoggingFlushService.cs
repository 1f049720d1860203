using Microsoft.Extensions.Hosting;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// Flushes the file logger when the host stops, so the records of a graceful shutdown are on disk before the process
/// exits; what is logged after it is written when the container disposes the provider.
/// </summary>
internal sealed class FileLoggingFlushService(MusubiFileLoggerProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => provider.FlushAsync(cancellationToken);
}
