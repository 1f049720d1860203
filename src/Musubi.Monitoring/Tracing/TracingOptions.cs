using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Tracing;

/// <summary>Options for tracing: which activity sources are recorded, how spans are sampled and batched for export.</summary>
/// <remarks>Read once when the tracer is built; later changes to this object have no effect.</remarks>
public sealed class TracingOptions
{
    /// <summary>Gets or sets whether the tracer listens at all. When off, no span is recorded or exported.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the name of the <see cref="System.Diagnostics.ActivitySource"/> that <see cref="MusubiTracer"/> starts spans on.</summary>
    /// <value>The default is <c>Musubi.Monitoring</c>.</value>
    [Required]
    [MinLength(1)]
    public string ActivitySourceName { get; set; } = MusubiTracer.DefaultActivitySourceName;

    /// <summary>
    /// Gets the other activity source names or <c>*</c> patterns (such as <c>MyApp.*</c>) whose spans are recorded
    /// and exported. The tracer's own source is always included.
    /// </summary>
    /// <value>The default is empty. The ASP.NET Core package adds <c>Microsoft.AspNetCore</c>.</value>
    [Required]
    public IList<string> Sources { get; } = [];

    /// <summary>Gets or sets the sampler.</summary>
    /// <value>The default is <c>Sampler.ParentBased(Sampler.AlwaysOn)</c>: follow the caller, record new traces.</value>
    [Required]
    public Sampler Sampler { get; set; } = Sampler.ParentBased(Sampler.AlwaysOn);

    /// <summary>Gets or sets how spans are batched for exporters added with <c>AddSpanExporter</c>.</summary>
    /// <value>The default is a new <see cref="BatchExportOptions"/> with its defaults.</value>
    [Required]
    public BatchExportOptions Batch { get; set; } = new();
}

/// <summary>How finished spans are queued and handed to an exporter in batches, off the thread that ends them.</summary>
/// <remarks>
/// The ranges are checked at start-up by a validator whose messages name the bad value (data annotations' range
/// messages do not).
/// </remarks>
public sealed class BatchExportOptions
{
    /// <summary>Gets or sets the most spans waiting for export; beyond it <see cref="FullQueuePolicy"/> applies.</summary>
    /// <value>The default is 2048. From 1 to 1,000,000.</value>
    public int MaxQueueSize { get; set; } = 2048;

    /// <summary>Gets or sets the most spans in one export call. Must not exceed <see cref="MaxQueueSize"/>.</summary>
    /// <value>The default is 512. From 1 to 1,000,000.</value>
    public int MaxExportBatchSize { get; set; } = 512;

    /// <summary>Gets or sets how long a span may wait before its batch is exported even if the batch is not full.</summary>
    /// <value>The default is 5 seconds. From 1 ms to 1 hour.</value>
    public TimeSpan ScheduledDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long one export call may take before it is abandoned and its spans counted as failed.</summary>
    /// <value>The default is 30 seconds. From 1 ms to 1 hour.</value>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets what happens to a span that ends while the queue is full. Ending a span never waits.</summary>
    /// <value>The default is <see cref="SpanQueueFullPolicy.DropNewest"/>.</value>
    public SpanQueueFullPolicy FullQueuePolicy { get; set; } = SpanQueueFullPolicy.DropNewest;
}

/// <summary>What a full span queue does with one more span. Either way the dropped span is counted.</summary>
public enum SpanQueueFullPolicy
{
    /// <summary>The span that just ended is dropped; the queue keeps the older spans.</summary>
    DropNewest,

    /// <summary>The oldest queued span is dropped to make room for the one that just ended.</summary>
    DropOldest,
}
