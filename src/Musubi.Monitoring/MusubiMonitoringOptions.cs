using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring;

/// <summary>Options for <c>AddMusubiMonitoring</c>: who the service is, and how metrics and spans are collected.</summary>
/// <remarks>Read once when the services are built; later changes to this object have no effect.</remarks>
public sealed class MusubiMonitoringOptions
{
    /// <summary>Gets or sets the logical service name, exported as <c>service_name</c> on <c>target_info</c>.</summary>
    /// <value>The default is <c>unknown_service</c>, as OpenTelemetry names a service that did not say.</value>
    [Required]
    [MinLength(1)]
    public string ServiceName { get; set; } = "unknown_service";

    /// <summary>Gets or sets the service version, exported as <c>service_version</c> on <c>target_info</c>.</summary>
    /// <value>The default is <see langword="null"/> (not exported).</value>
    public string? ServiceVersion { get; set; }

    /// <summary>Gets or sets the deployment environment (for example <c>production</c>).</summary>
    /// <value>The default is <see langword="null"/> (not exported).</value>
    public string? Environment { get; set; }

    /// <summary>Gets or sets the metrics options.</summary>
    /// <value>The default is a new <see cref="MetricsOptions"/> with its defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Gets or sets the tracing options.</summary>
    /// <value>The default is a new <see cref="TracingOptions"/> with its defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public TracingOptions Tracing { get; set; } = new();

    /// <summary>Gets or sets the correlation options.</summary>
    /// <value>The default is a new <see cref="CorrelationOptions"/> with its defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public CorrelationOptions Correlation { get; set; } = new();
}
