namespace Musubi.Monitoring.Metrics;

/// <summary>The document formats a scrape can be written in.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4</c>).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 text (<c>application/openmetrics-text; version=1.0.0</c>), ending in <c># EOF</c>.</summary>
    OpenMetrics,

    /// <summary>A JSON document with every family, series, value and bucket.</summary>
    Json,
}

/// <summary>Chooses an exposition format from an HTTP <c>Accept</c> header.</summary>
public static class ExpositionFormats
{
    /// <summary>The content type of Prometheus text 0.0.4.</summary>
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The content type of OpenMetrics 1.0 text.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The content type of the JSON format.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Gets the content type to send with <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    public static string ContentType(ExpositionFormat format) => format switch
    {
        ExpositionFormat.PrometheusText => PrometheusTextContentType,
        ExpositionFormat.OpenMetrics => OpenMetricsContentType,
        ExpositionFormat.Json => JsonContentType,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Use PrometheusText, OpenMetrics or Json."),
    };

    /// <summary>
    /// Picks the format the client prefers (highest <c>q</c>, then first listed) among OpenMetrics 1.0,
    /// Prometheus text and JSON. A missing, empty or unparseable header, or one that names none of them, gets
    /// Prometheus text: a scrape is never refused for its <c>Accept</c> header.
    /// </summary>
    /// <param name="accept">The <c>Accept</c> header value, possibly several comma-separated media ranges.</param>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ExpositionFormat.PrometheusText;
        }

        ExpositionFormat best = ExpositionFormat.PrometheusText;
        double bestQuality = -1;
        foreach (string range in accept.Split(','))
        {
            string[] parts = range.Split(';');
            string mediaType = parts[0].Trim();
            double quality = 1;
            string? version = null;
            for (int i = 1; i < parts.Length; i++)
            {
                string[] pair = parts[i].Split('=', 2);
                if (pair.Length != 2)
                {
                    continue;
                }

                string key = pair[0].Trim();
                string value = pair[1].Trim().Trim('"');
                if (key.Equals("q", StringComparison.OrdinalIgnoreCase))
                {
                    if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out quality))
                    {
                        quality = 0;
                    }
                }
                else if (key.Equals("version", StringComparison.OrdinalIgnoreCase))
                {
                    version = value;
                }
            }

            ExpositionFormat? format = mediaType.ToUpperInvariant() switch
            {
                "APPLICATION/OPENMETRICS-TEXT" when version is null || version.StartsWith("1.0", StringComparison.Ordinal) => ExpositionFormat.OpenMetrics,
                "TEXT/PLAIN" => ExpositionFormat.PrometheusText,
                "APPLICATION/JSON" => ExpositionFormat.Json,
                "*/*" or "TEXT/*" => ExpositionFormat.PrometheusText,
                _ => null,
            };

            if (format is { } f && quality > 0 && quality > bestQuality)
            {
                best = f;
                bestQuality = quality;
            }
        }

        return best;
    }
}
