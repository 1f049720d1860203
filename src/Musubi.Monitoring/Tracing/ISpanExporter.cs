using System.Diagnostics;

namespace Musubi.Monitoring.Tracing;

/// <summary>
/// Sends finished spans somewhere: a console, a file, a collector. Implement it to add a destination and register
/// it with <c>AddSpanExporter</c>; the tracer batches spans off the thread that ends them and calls
/// <see cref="ExportAsync"/> from a background task.
/// </summary>
/// <remarks>
/// Calls to one exporter are never concurrent. The spans are finished and recorded; treat them as read-only, and
/// do not keep the list itself after the call returns (copy what you need). A call that throws or
/// outlives <see cref="BatchExportOptions.ExportTimeout"/> counts its spans as failed; it is reported through the
/// library's event source and never reaches the application.
/// </remarks>
public interface ISpanExporter
{
    /// <summary>Exports a batch of finished spans.</summary>
    /// <param name="spans">The spans, in the order they ended.</param>
    /// <param name="cancellationToken">Cancelled when the export times out or the host is stopping.</param>
    /// <returns>A task that completes when the batch is exported.</returns>
    public Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken);
}
