namespace Musubi.Monitoring;

/// <summary>
/// HTTP attribute names from the OpenTelemetry semantic conventions, in one place: the tags of HTTP spans and of the
/// HTTP server metrics.
/// </summary>
internal static class HttpAttributes
{
    public const string RequestMethod = "http.request.method";
    public const string ResponseStatusCode = "http.response.status_code";
    public const string Route = "http.route";
    public const string UrlFull = "url.full";
    public const string UrlPath = "url.path";
    public const string UrlScheme = "url.scheme";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    /// <summary>Not a semantic convention: the request's correlation id.</summary>
    public const string CorrelationId = "correlation.id";
}
