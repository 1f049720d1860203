using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary>
/// Reads the body of a health endpoint: the JSON of Musubi's <c>MapMusubiHealthChecks</c>
/// (<c>{"status":…,"duration_ms":…,"checks":[{"name":…,"status":…,"critical":…,"duration_ms":…,"description":…,"error":…,"tags":[…]}]}</c>),
/// the <c>{"status":…,"totalDuration":"hh:mm:ss.fffffff","entries":{"name":{…}}}</c> shape of the widely used
/// HealthChecks.UI response writer, or the plain <c>Healthy</c> / <c>Degraded</c> / <c>Unhealthy</c> text of ASP.NET
/// Core's default <c>MapHealthChecks</c>.
/// </summary>
internal static class HealthAnswerParser
{
    /// <summary>Reads a body.</summary>
    /// <param name="url">The URL asked.</param>
    /// <param name="httpStatus">The HTTP status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="answer">The answer, when the body is a health report.</param>
    /// <param name="problem">Why the body is not a health report, when it is not.</param>
    /// <returns>Whether the body is a health report.</returns>
    public static bool TryParse(Uri url, int httpStatus, string body, out HealthAnswer? answer, out string? problem)
    {
        answer = null;
        string trimmed = body.Trim();
        if (TryStatus(trimmed, out HealthStatus plain))
        {
            answer = new HealthAnswer(url, httpStatus, plain, null, []);
            problem = null;
            return true;
        }

        if (!trimmed.StartsWith('{'))
        {
            problem = "the body is neither health JSON nor Healthy, Degraded or Unhealthy" + Excerpt(trimmed);
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            JsonElement root = document.RootElement;
            if (!root.TryGetProperty("status", out JsonElement statusElement)
                || statusElement.ValueKind != JsonValueKind.String
                || !TryStatus(statusElement.GetString()!, out HealthStatus status))
            {
                problem = "the JSON has no \"status\" of Healthy, Degraded or Unhealthy" + Excerpt(trimmed);
                return false;
            }

            double? duration = Number(root, "duration_ms") ?? TimeSpanMilliseconds(root, "totalDuration");
            List<HealthCheckLine> checks = [];
            if (root.TryGetProperty("checks", out JsonElement array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement check in array.EnumerateArray())
                {
                    if (check.ValueKind == JsonValueKind.Object)
                    {
                        checks.Add(Line(String(check, "name") ?? "(unnamed)", check, Number(check, "duration_ms")));
                    }
                }
            }
            else if (root.TryGetProperty("entries", out JsonElement entries) && entries.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in entries.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.Object)
                    {
                        checks.Add(Line(entry.Name, entry.Value, TimeSpanMilliseconds(entry.Value, "duration")));
                    }
                }
            }

            answer = new HealthAnswer(url, httpStatus, status, duration, checks);
            problem = null;
            return true;
        }
        catch (JsonException e)
        {
            problem = $"the body is not valid JSON ({e.Message})";
            return false;
        }
    }

    /// <summary>The status named by <paramref name="text"/>, ignoring case.</summary>
    /// <param name="text">The text.</param>
    /// <param name="status">The status.</param>
    /// <returns>Whether the text is a status name.</returns>
    public static bool TryStatus(string text, out HealthStatus status)
    {
        switch (text.ToUpperInvariant())
        {
            case "HEALTHY":
                status = HealthStatus.Healthy;
                return true;
            case "DEGRADED":
                status = HealthStatus.Degraded;
                return true;
            case "UNHEALTHY":
                status = HealthStatus.Unhealthy;
                return true;
            default:
                status = HealthStatus.Unhealthy;
                return false;
        }
    }

    private static HealthCheckLine Line(string name, JsonElement check, double? duration)
    {
        bool? critical = check.TryGetProperty("critical", out JsonElement c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? c.GetBoolean()
            : null;
        List<string> tags = [];
        if (check.TryGetProperty("tags", out JsonElement t) && t.ValueKind == JsonValueKind.Array)
        {
            tags.AddRange(t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        }

        return new HealthCheckLine(
            name,
            String(check, "status") ?? "(no status)",
            critical,
            duration,
            String(check, "description"),
            String(check, "error") ?? String(check, "exception"),
            tags);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number)
            ? number
            : null;

    private static double? TimeSpanMilliseconds(JsonElement element, string name) =>
        String(element, name) is { } text && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span)
            ? span.TotalMilliseconds
            : null;

    private static string Excerpt(string body)
    {
        if (body.Length == 0)
        {
            return " (the body is empty)";
        }

        string line = body.ReplaceLineEndings(" ");
        return line.Length <= 80 ? $": \"{line}\"" : $": \"{line[..80]}…\"";
    }
}
