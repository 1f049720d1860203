using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.AspNetCore.HealthEndpoints;
using Musubi.Monitoring.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Musubi's liveness and readiness endpoints on ASP.NET Core's health-check middleware.</summary>
public static class MusubiHealthEndpointRouteBuilderExtensions
{
    /// <summary>The default path of the liveness endpoint.</summary>
    public const string DefaultLivePattern = "/health/live";

    /// <summary>The default path of the readiness endpoint.</summary>
    public const string DefaultReadyPattern = "/health/ready";

    /// <summary>
    /// Maps a liveness endpoint, which runs no checks, and a readiness endpoint, which runs every health check tagged
    /// <see cref="DependencyCheckOptions.ReadyTag"/> (<c>ready</c>, the default tag of <c>AddDependencyCheck</c>;
    /// checks added with <c>services.AddHealthChecks().AddCheck(…, tags: ["ready"])</c> run too).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Liveness answers 200 while the process can serve requests at all: an orchestrator that restarts on a failed
    /// liveness probe must not restart the service because its database is down. Readiness answers 200 when the
    /// overall status is Healthy or Degraded (a non-critical dependency failed) and 503 when it is Unhealthy (a
    /// critical dependency failed, timed out or threw).
    /// </para>
    /// <para>Both answer with <c>Content-Type: application/json; charset=utf-8</c>, <c>Cache-Control: no-store</c> and:</para>
    /// <code>
    /// {"status":"Unhealthy","duration_ms":2001.2,"checks":[
    ///   {"name":"db","status":"Unhealthy","critical":true,"duration_ms":2000.9,
    ///    "description":"timed out after 00:00:02","error":"TimeoutException: The health check 'db' did not complete within 00:00:02.","tags":["ready"]}]}
    /// </code>
    /// <para>
    /// <c>status</c> is <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>; <c>duration_ms</c> is a number of
    /// milliseconds rounded to the microsecond, never culture-formatted; <c>checks</c> lists the checks run, in the
    /// order <c>HealthCheckService</c> reports them (empty for liveness). Every key of a check is always present:
    /// <c>critical</c> is <see langword="null"/> for checks not added with <c>AddDependencyCheck</c>,
    /// <c>description</c> and <c>error</c> (the exception's type name and message) are <see langword="null"/> when
    /// there is none. A check's other data is not written: it may hold what a public probe should not show.
    /// </para>
    /// <para>
    /// A check that throws or outlives its timeout is reported in the document and never fails the request. Health
    /// probes are not recorded as HTTP requests (the endpoints carry <c>DisableHttpMetrics</c>), and both endpoints are
    /// excluded from API descriptions. Secure them with the returned builder (<c>.RequireHost(…)</c>), which applies
    /// each convention to both endpoints.
    /// </para>
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>, or a route group).</param>
    /// <param name="livePattern">The route pattern of the liveness endpoint.</param>
    /// <param name="readyPattern">The route pattern of the readiness endpoint.</param>
    /// <returns>A builder whose conventions apply to both endpoints.</returns>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="endpoints"/>, <paramref name="livePattern"/> or <paramref name="readyPattern"/> is <see langword="null"/>.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A pattern is empty, white space or not a valid route pattern, or both patterns are the same.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The health-check services are missing: add a check with <c>AddMusubiMonitoring().AddDependencyCheck(…)</c>, or
    /// call <c>services.AddHealthChecks()</c>.
    /// </exception>
    public static IEndpointConventionBuilder MapMusubiHealthChecks(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string livePattern = DefaultLivePattern,
        [StringSyntax("Route")] string readyPattern = DefaultReadyPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string liveKey = Parse(livePattern, nameof(livePattern));
        string readyKey = Parse(readyPattern, nameof(readyPattern));
        if (string.Equals(liveKey, readyKey, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The liveness and readiness patterns are both '{readyPattern}'; give them different paths.", nameof(readyPattern));
        }

        if (endpoints.ServiceProvider.GetService<HealthCheckService>() is null)
        {
            throw new InvalidOperationException(
                "MapMusubiHealthChecks needs HealthCheckService in the service container; add a check with " +
                "services.AddMusubiMonitoring().AddDependencyCheck(…), or call services.AddHealthChecks().");
        }

        IEndpointConventionBuilder live = Map(endpoints, livePattern, static _ => false, "liveness");
        IEndpointConventionBuilder ready = Map(
            endpoints, readyPattern, static registration => registration.Tags.Contains(DependencyCheckOptions.ReadyTag), "readiness");
        return new CompositeEndpointConventionBuilder(live, ready);
    }

    private static IEndpointConventionBuilder Map(
        IEndpointRouteBuilder endpoints, string pattern, Func<HealthCheckRegistration, bool> predicate, string kind)
    {
        var options = new HealthCheckOptions
        {
            Predicate = predicate,
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        };
        return endpoints.MapHealthChecks(pattern, options)
            .WithDisplayName($"Musubi health {kind} {pattern}")
            .DisableHttpMetrics()
            .WithMetadata(new ExcludeFromDescriptionAttribute());
    }

    private static string Parse(string pattern, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern, parameterName);
        try
        {
            RoutePattern parsed = RoutePatternFactory.Parse(pattern);
            return "/" + (parsed.RawText ?? pattern).Trim('/');
        }
        catch (RoutePatternException e)
        {
            throw new ArgumentException($"The route pattern '{pattern}' is not valid: {e.Message}", parameterName, e);
        }
    }
}
