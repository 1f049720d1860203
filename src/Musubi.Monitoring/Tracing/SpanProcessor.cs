using System.Diagnostics;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Tracing;

/// <summary>Takes finished spans from the tracer's listener and hands them to one exporter.</summary>
internal abstract class SpanProcessor(ISpanExporter exporter) : IAsyncDisposable
{
    private long _exported;
    private long _failed;

    public ISpanExporter Exporter { get; } = exporter;

    public string ExporterName { get; } = exporter.GetType().Name;

    public long ExportedSpans => Volatile.Read(ref _exported);

    public long FailedSpans => Volatile.Read(ref _failed);

    public virtual long DroppedSpans => 0;

    /// <summary>Called on the thread that ended <paramref name="span"/>; must not block or throw.</summary>
    public abstract void OnEnd(Activity span);

    public abstract Task FlushAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    protected void Completed(int count) => Interlocked.Add(ref _exported, count);

    protected void Failed(int count, Exception error)
    {
        Interlocked.Add(ref _failed, count);
        MusubiMonitoringEventSource.Log.SpanExportFailed(ExporterName, count, error.Message);
    }
}

/// <summary>
/// Exports each span on the thread that ends it. Only for exporters that complete synchronously and quickly, such
/// as <see cref="InMemorySpanExporter"/>; a slow exporter here slows the application.
/// </summary>
internal sealed class ImmediateSpanProcessor(ISpanExporter exporter) : SpanProcessor(exporter)
{
    public override void OnEnd(Activity span)
    {
        try
        {
            Task task = Exporter.ExportAsync([span], CancellationToken.None);
            if (task.IsCompletedSuccessfully)
            {
                Completed(1);
            }
            else
            {
                _ = Observe(task);
            }
        }
        catch (Exception ex)
        {
            Failed(1, ex);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            Completed(1);
        }
        catch (Exception ex)
        {
            Failed(1, ex);
        }
    }
}
