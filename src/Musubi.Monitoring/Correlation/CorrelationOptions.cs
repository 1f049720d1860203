using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Correlation;

/// <summary>Options for the correlation id that travels with each request beside the W3C trace context.</summary>
/// <remarks>Read once when the services are built; later changes to this object have no effect.</remarks>
public sealed class CorrelationOptions
{
    /// <summary>
    /// Gets or sets the HTTP header that carries the correlation id in and out (requests, responses and outgoing
    /// calls). It must be an HTTP token and not one of the W3C headers.
    /// </summary>
    /// <value>The default is <c>x-correlation-id</c>.</value>
    [Required]
    [MinLength(1)]
    [MaxLength(128)]
    public string HeaderName { get; set; } = "x-correlation-id";
}
