using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Musubi.Monitoring.AspNetCore;
using Musubi.Monitoring.AspNetCore.MetricsEndpoint;
using Musubi.Monitoring.Metrics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Musubi's metrics scrape endpoint.</summary>
public static class MusubiMetricsEndpointRouteBuilderExtensions
{
    /// <summary>The default path of the scrape endpoint, where Prometheus looks unless told otherwise.</summary>
    public const string DefaultPattern = "/metrics";

    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, HashSet<string>> s_mapped = new();

    /// <summary>
    /// Maps a <c>GET</c> endpoint that serves the metrics of <see cref="MusubiMetricsCollector"/> for Prometheus
    /// (or anything that reads its formats).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The format follows the <c>Accept</c> header through <see cref="ExpositionFormats.Negotiate"/>: OpenMetrics
    /// 1.0 for Prometheus' own scrapes (it asks for it first), Prometheus text 0.0.4 when nothing better is asked
    /// for, JSON for <c>application/json</c>. The query parameter <c>?format=text</c> (or <c>prometheus</c>),
    /// <c>?format=openmetrics</c> or <c>?format=json</c> overrides the header, for browsers and <c>curl</c>; any
    /// other value, or the parameter given twice, is answered with 400 and a message naming it. The response
    /// carries the format's <c>Content-Type</c>, a <c>Content-Length</c>, <c>Vary: Accept</c> and
    /// <c>Cache-Control: no-store</c>.
    /// </para>
    /// <para>
    /// The endpoint never throws into the host: a failing scrape is answered with 500 and reported to the
    /// <c>Musubi.Monitoring.AspNetCore</c> logger and the <c>Musubi-Monitoring-AspNetCore</c> event source.
    /// </para>
    /// <para>
    /// Scrapes are not recorded as HTTP requests: the endpoint carries <c>DisableHttpMetrics</c> metadata, which
    /// <c>UseMusubiRequestMetrics</c> and ASP.NET Core's own HTTP metrics honour. A scrape every few seconds says
    /// nothing about the application's traffic, and would skew the latency and error ratio of a quiet service;
    /// Prometheus records each scrape itself (<c>up</c>, <c>scrape_duration_seconds</c>).
    /// </para>
    /// <para>
    /// Secure it like any endpoint, with the returned builder (<c>.RequireHost(…)</c>,
    /// <c>.RequireAuthorization(…)</c>).
    /// </para>
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>, or a route group).</param>
    /// <param name="pattern">The route pattern.</param>
    /// <returns>A builder to add conventions (authorization, host filtering) to the endpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty, white space or not a valid route pattern.</exception>
    /// <exception cref="InvalidOperationException">
    /// <c>services.AddMusubiMonitoring()</c> was not called, or <paramref name="pattern"/> is already mapped to the
    /// scrape endpoint on this builder (two equal endpoints would make every scrape an ambiguous match).
    /// </exception>
    public static IEndpointConventionBuilder MapMusubiMetrics(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);

        RoutePattern parsed;
        try
        {
            parsed = RoutePatternFactory.Parse(pattern);
        }
        catch (RoutePatternException e)
        {
            throw new ArgumentException($"The route pattern '{pattern}' is not valid: {e.Message}", nameof(pattern), e);
        }

        IServiceProvider services = endpoints.ServiceProvider;
        MusubiMetricsCollector collector = services.GetService<MusubiMetricsCollector>()
            ?? throw new InvalidOperationException(
                "MapMusubiMetrics needs MusubiMetricsCollector in the service container; call services.AddMusubiMonitoring() first.");

        string key = "/" + (parsed.RawText ?? pattern).Trim('/');
        HashSet<string> mapped = s_mapped.GetValue(endpoints, static _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        lock (mapped)
        {
            if (!mapped.Add(key))
            {
                throw new InvalidOperationException(
                    $"The metrics endpoint is already mapped at '{pattern}' on this route builder; map it once per pattern.");
            }
        }

        ILogger logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(Log.Category);
        var handler = new MetricsEndpointHandler(collector, logger);
        return endpoints.MapGet(pattern, handler.HandleAsync)
            .WithDisplayName("Musubi metrics scrape " + pattern)
            .DisableHttpMetrics()
            .WithMetadata(new ExcludeFromDescriptionAttribute());
    }
}
