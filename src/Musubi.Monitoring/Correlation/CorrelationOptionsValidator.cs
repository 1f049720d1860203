using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Correlation;

/// <summary>Checks that the correlation header name is a usable HTTP header name.</summary>
internal sealed class CorrelationOptionsValidator : IValidateOptions<MusubiMonitoringOptions>
{
    /// <summary>Headers that frame or route the message, or carry credentials: never a correlation header.</summary>
    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Connection", "Content-Encoding", "Content-Length", "Content-Type", "Cookie", "Date", "Expect",
        "Host", "Keep-Alive", "Location", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "Server",
        "Set-Cookie", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via", "WWW-Authenticate",
    };

    public ValidateOptionsResult Validate(string? name, MusubiMonitoringOptions options)
    {
        string? header = options.Correlation?.HeaderName;
        if (string.IsNullOrEmpty(header))
        {
            return ValidateOptionsResult.Success; // reported by the data annotations
        }

        if (!W3CBaggage.IsToken(header))
        {
            return ValidateOptionsResult.Fail(
                $"MusubiMonitoringOptions.Correlation.HeaderName is '{CorrelationIds.Describe(header)}', which is not an HTTP header name; use letters, digits and !#$%&'*+-.^_`|~ only.");
        }

        if (header.Equals(W3CTraceContext.TraceParentHeader, StringComparison.OrdinalIgnoreCase)
            || header.Equals(W3CTraceContext.TraceStateHeader, StringComparison.OrdinalIgnoreCase)
            || header.Equals(W3CBaggage.HeaderName, StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"MusubiMonitoringOptions.Correlation.HeaderName is '{header}', a W3C trace context header; choose another name such as 'x-correlation-id'.");
        }

        if (s_reserved.Contains(header))
        {
            return ValidateOptionsResult.Fail(
                $"MusubiMonitoringOptions.Correlation.HeaderName is '{header}', an HTTP header with its own meaning; choose another name such as 'x-correlation-id'.");
        }

        return ValidateOptionsResult.Success;
    }
}
