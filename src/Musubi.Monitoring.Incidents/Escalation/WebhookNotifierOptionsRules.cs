using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// The checks of <see cref="WebhookNotifierOptions"/> that data annotations cannot express with a message naming the bad
/// value: an absolute http(s) endpoint, and the ranges of the timeout, retry count and delay.
/// </summary>
internal sealed class WebhookNotifierOptionsRules : IValidateOptions<WebhookNotifierOptions>
{
    internal static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    internal const int MaxRetries = 10;

    public ValidateOptionsResult Validate(string? name, WebhookNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // A null endpoint is [Required]'s to report.
        if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            failures.Add($"WebhookNotifierOptions.Endpoint is '{endpoint.OriginalString}'; it must be an absolute http or https URL.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > MaxAttemptTimeout)
        {
            failures.Add(Invalid(nameof(WebhookNotifierOptions.AttemptTimeout), options.AttemptTimeout, "positive and at most 00:05:00"));
        }

        if (options.MaxRetries is < 0 or > MaxRetries)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"WebhookNotifierOptions.MaxRetries is {options.MaxRetries}; it must be 0 to {MaxRetries}."));
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > MaxRetryDelay)
        {
            failures.Add(Invalid(nameof(WebhookNotifierOptions.RetryDelay), options.RetryDelay, "zero or positive and at most 00:01:00"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // "c": the invariant constant format (00:00:10), the same on every culture.
    private static string Invalid(string option, TimeSpan value, string allowed) =>
        $"WebhookNotifierOptions.{option} is {value.ToString("c", CultureInfo.InvariantCulture)}; it must be {allowed}.";
}
