using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Musubi.Monitoring.AspNetCore.Diagnostics;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.AspNetCore.MetricsEndpoint;

/// <summary>
/// Serves one scrape: chooses the format (the <c>format</c> query parameter, else the <c>Accept</c> header), writes
/// the document to a buffer, then sends it with its content type and length.
/// </summary>
/// <remarks>
/// Thread-safe: it holds only immutable references; the collector serialises concurrent scrapes. The document is
/// written to a buffer before the first byte is sent, so a failing scrape is answered with a clean 500 instead of
/// a truncated 200. Nothing is thrown into the host.
/// </remarks>
internal sealed class MetricsEndpointHandler
{
    /// <summary>The query parameter that overrides content negotiation.</summary>
    public const string FormatParameter = "format";

    private const string PlainText = "text/plain; charset=utf-8";
    private const int InitialBufferSize = 16 * 1024;
    private const int MaxEchoedLength = 64;

    private readonly MusubiMetricsCollector _collector;
    private readonly ILogger _logger;

    public MetricsEndpointHandler(MusubiMetricsCollector collector, ILogger logger)
    {
        _collector = collector;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        try
        {
            if (!TryChooseFormat(context.Request, out ExpositionFormat format, out string? error))
            {
                await WritePlainAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
                return;
            }

            var buffer = new ArrayBufferWriter<byte>(InitialBufferSize);
            _collector.Write(buffer, format);

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ExpositionFormats.ContentType(format);
            response.ContentLength = buffer.WrittenCount;
            SetCommonHeaders(response);
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away: there is nobody to answer and nothing wrong with the metrics.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await FailAsync(context, e).ConfigureAwait(false);
        }
    }

    /// <summary>Chooses the format; the error names the bad value and the allowed ones.</summary>
    internal static bool TryChooseFormat(HttpRequest request, out ExpositionFormat format, [NotNullWhen(false)] out string? error)
    {
        error = null;
        StringValues values = request.Query[FormatParameter];
        if (values.Count == 0)
        {
            format = ExpositionFormats.Negotiate(request.Headers.Accept.ToString());
            return true;
        }

        format = ExpositionFormat.PrometheusText;
        if (values.Count > 1)
        {
            error = $"The query parameter '{FormatParameter}' was given {values.Count} times; give it once, as text, openmetrics or json.";
            return false;
        }

        string value = values[0] ?? string.Empty;
        if (value.Equals("text", StringComparison.OrdinalIgnoreCase) || value.Equals("prometheus", StringComparison.OrdinalIgnoreCase))
        {
            format = ExpositionFormat.PrometheusText;
            return true;
        }

        if (value.Equals("openmetrics", StringComparison.OrdinalIgnoreCase))
        {
            format = ExpositionFormat.OpenMetrics;
            return true;
        }

        if (value.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            format = ExpositionFormat.Json;
            return true;
        }

        string shown = value.Length > MaxEchoedLength ? string.Concat(value.AsSpan(0, MaxEchoedLength), "…") : value;
        error = $"Unknown metrics format '{shown}' in the query parameter '{FormatParameter}'; use text, openmetrics or json.";
        return false;
    }

    private static void SetCommonHeaders(HttpResponse response)
    {
        // The body depends on Accept, and a scrape is a reading of now: no shared cache may serve it again.
        response.Headers.Vary = "Accept";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    private static async Task WritePlainAsync(HttpContext context, int statusCode, string message)
    {
        HttpResponse response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = PlainText;
        SetCommonHeaders(response);
        await response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    private async Task FailAsync(HttpContext context, Exception exception)
    {
        MusubiAspNetCoreEventSource.Log.ScrapeFailed(exception.ToString());
        try
        {
            Log.ScrapeFailed(_logger, context.Request.Path.Value ?? string.Empty, exception);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await WritePlainAsync(context, StatusCodes.Status500InternalServerError,
                    "The metrics scrape failed; see the Musubi.Monitoring.AspNetCore log or the Musubi-Monitoring-AspNetCore event source.")
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The scraper may be gone or the logger broken; the host must not see either.
            MusubiAspNetCoreEventSource.Log.ScrapeFailed(e.ToString());
        }
    }
}
