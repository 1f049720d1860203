using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Musubi.Monitoring.Metrics;

/// <summary>
/// HTTP server request metrics with OpenTelemetry's semantic-convention names and bucket advice.
/// Status codes are boxed once, so recording does not allocate.
/// </summary>
internal sealed class HttpServerMetrics
{
    public const string DurationName = "http.server.request.duration";
    public const string MethodTag = HttpAttributes.RequestMethod;
    public const string RouteTag = HttpAttributes.Route;
    public const string StatusCodeTag = HttpAttributes.ResponseStatusCode;
    public const string ErrorTypeTag = HttpAttributes.ErrorType;

    private static readonly double[] s_buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly string[] s_methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"];
    private static readonly object[] s_statusCodes = Enumerable.Range(0, 600).Select(c => (object)c).ToArray();
    private static readonly string[] s_statusTexts = Enumerable.Range(0, 600).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();

    private readonly Histogram<double> _duration;
    private readonly InstrumentState? _state;

    public HttpServerMetrics(MusubiMetrics owner)
    {
        _duration = owner.CreateDirect(
            meter => meter.CreateHistogram(DurationName, "s", "Duration of HTTP server requests.", null,
                new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets }),
            out _state);
    }

    public void Record(string? method, string? route, int statusCode, TimeSpan duration)
    {
        TagBuffer buffer = default;
        Span<KeyValuePair<string, object?>> tags = buffer;
        int count = 0;
        tags[count++] = new(MethodTag, NormalizeMethod(method));
        tags[count++] = new(StatusCodeTag, statusCode is >= 0 and < 600 ? s_statusCodes[statusCode] : statusCode);
        if (!string.IsNullOrEmpty(route))
        {
            tags[count++] = new(RouteTag, route);
        }

        if (statusCode >= 500)
        {
            tags[count++] = new(ErrorTypeTag, statusCode < 600 ? s_statusTexts[statusCode] : statusCode.ToString(CultureInfo.InvariantCulture));
        }

        // Straight into this library's collector; through the instrument only for other listeners.
        // A negative duration can only come from clock arithmetic; the request still happened, so it counts as 0 s.
        double seconds = Math.Max(0, duration.TotalSeconds);
        _state?.Record(seconds, tags[..count]);
        if (_duration.Enabled)
        {
            _duration.Record(seconds, tags[..count]);
        }
    }

    private static string NormalizeMethod(string? method)
    {
        if (method is null)
        {
            return "_OTHER";
        }

        foreach (string known in s_methods)
        {
            if (string.Equals(known, method, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return "_OTHER";
    }
}
