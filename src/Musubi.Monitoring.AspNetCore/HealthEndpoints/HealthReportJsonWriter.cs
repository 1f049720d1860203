using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Health;

namespace Musubi.Monitoring.AspNetCore.HealthEndpoints;

/// <summary>
/// Writes a <see cref="HealthReport"/> as the JSON document of <c>MapMusubiHealthChecks</c> (its shape is documented
/// there). Numbers go through <see cref="Utf8JsonWriter"/>, which never reads the thread culture.
/// </summary>
/// <remarks>Stateless and thread-safe. The document is built in a buffer before the first byte is sent.</remarks>
internal static class HealthReportJsonWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Durations are rounded to the microsecond: finer digits are clock noise.</summary>
    private const int DurationDecimals = 3;

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, report);
        HttpResponse response = context.Response;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        // A health answer is a reading of now; HealthCheckMiddleware also sets Pragma and Expires for old caches.
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    internal static void Write(IBufferWriter<byte> output, HealthReport report)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("status", StatusName(report.Status));
        writer.WriteNumber("duration_ms", Milliseconds(report.TotalDuration));
        writer.WriteStartArray("checks");
        foreach (KeyValuePair<string, HealthReportEntry> pair in report.Entries)
        {
            HealthReportEntry entry = pair.Value;
            writer.WriteStartObject();
            writer.WriteString("name", pair.Key);
            writer.WriteString("status", StatusName(entry.Status));
            if (entry.Data.TryGetValue(DependencyCheckDataKeys.Critical, out object? critical) && critical is bool isCritical)
            {
                writer.WriteBoolean("critical", isCritical);
            }
            else
            {
                writer.WriteNull("critical");
            }

            // A dependency check's latency is measured on the injected TimeProvider; other checks have only the
            // duration HealthCheckService measured.
            double duration = entry.Data.TryGetValue(DependencyCheckDataKeys.LatencyMilliseconds, out object? latency) && latency is double ms
                ? Math.Round(ms, DurationDecimals)
                : Milliseconds(entry.Duration);
            writer.WriteNumber("duration_ms", duration);
            writer.WriteString("description", entry.Description);
            writer.WriteString("error", entry.Exception is { } e ? $"{e.GetType().Name}: {e.Message}" : null);
            writer.WriteStartArray("tags");
            foreach (string tag in entry.Tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, DurationDecimals);

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "Healthy",
        HealthStatus.Degraded => "Degraded",
        _ => "Unhealthy",
    };
}
