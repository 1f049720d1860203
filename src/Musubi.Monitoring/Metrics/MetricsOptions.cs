using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Metrics;

/// <summary>Which meters the Musubi collector aggregates, and how.</summary>
public sealed class MetricsOptions
{
    /// <summary>The bucket upper bounds, in seconds, used when neither options nor the instrument's advice name any.</summary>
    public static IReadOnlyList<double> PrometheusDefaultBuckets { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Gets or sets the meter names to collect. An entry is a meter name or a pattern where <c>*</c> stands for
    /// any run of characters (<c>MyApp.*</c>, <c>*</c>).
    /// </summary>
    /// <value>The default is <c>Musubi.Monitoring*</c>: this library's own meters. Add your application's meters.</value>
    [Required]
    public IList<string> Meters { get; set; } = new List<string> { "Musubi.Monitoring*" };

    /// <summary>Gets or sets the name of the meter behind the convenience API (<c>MusubiMetrics</c>).</summary>
    /// <value>The default is <c>Musubi.Monitoring</c>.</value>
    [Required]
    [MinLength(1)]
    public string MeterName { get; set; } = "Musubi.Monitoring";

    /// <summary>
    /// Gets or sets the most series one instrument may have. Beyond it, measurements with a new tag set go to
    /// one overflow series labelled <c>otel_metric_overflow="true"</c>, and the refused tag sets are counted in
    /// <c>musubi_metrics_series_refused_total</c>.
    /// </summary>
    /// <value>The default is 2000, as in OpenTelemetry .NET.</value>
    [Range(1, 1_000_000)]
    public int CardinalityLimit { get; set; } = 2000;

    /// <summary>Gets or sets the histogram bucket upper bounds used when an instrument has no advice and no override.</summary>
    /// <value>The default is 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 and 10.</value>
    [Required]
    public IList<double> DefaultHistogramBuckets { get; set; } = [.. PrometheusDefaultBuckets];

    /// <summary>
    /// Gets the per-instrument bucket overrides, keyed by instrument name (as created, for example
    /// <c>http.server.request.duration</c>). An override wins over the instrument's advice.
    /// </summary>
    /// <value>The default is empty.</value>
    [Required]
    public IDictionary<string, double[]> HistogramBuckets { get; set; } = new Dictionary<string, double[]>(StringComparer.Ordinal);
}
