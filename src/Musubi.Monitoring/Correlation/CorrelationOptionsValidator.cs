using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Correlation;

/// <summary>Checks that the correlation header name is a usable HTTP header name.</summary>
internal sealed class CorrelationOptionsValidator : IValidateOptions<MusubiMonitoringOptions>
{
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

        return ValidateOptionsResult.Success;
    }
}
