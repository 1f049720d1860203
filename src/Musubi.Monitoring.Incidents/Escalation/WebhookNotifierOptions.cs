using System.ComponentModel.DataAnnotations;

namespace Musubi.Monitoring.Incidents;

/// <summary>Options of the <see cref="WebhookIncidentNotifier"/>.</summary>
/// <remarks>
/// <para>
/// Attempt <c>n</c> (from 2) waits <see cref="RetryDelay"/> × 2^(n−2), at most <see cref="MaxBackoff"/>, before it
/// starts: with the defaults 1 s, 2 s and 4 s. Retried: responses 5xx, 408 and 429, no response within <see cref="AttemptTimeout"/>, and network errors. Not
/// retried: other 4xx responses (the request itself is wrong; sending it again cannot help).
/// </para>
/// <para>
/// Read once when the notifier is built; later changes to this object have no effect. Headers such as
/// <c>Authorization</c> go on the <see cref="HttpClient"/> given to the notifier.
/// </para>
/// </remarks>
public sealed class WebhookNotifierOptions
{
    /// <summary>The longest wait before a retry, however many retries came before: one minute (a page must not wait hours).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the URL the notifications are posted to.</summary>
    /// <value>The default is <see langword="null"/>, which fails validation: an absolute <c>http</c> or <c>https</c> URL is required.</value>
    [Required]
    public Uri Endpoint { get; set; } = null!;

    /// <summary>Gets or sets how long one attempt may take, from sending the request to reading the response headers.</summary>
    /// <value>The default is 10 seconds. Positive, at most 5 minutes.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many times a failed attempt is retried.</summary>
    /// <value>The default is 3 (four attempts in all). 0 to 10.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the wait before the first retry; each later retry waits twice as long as the one before, up to <see cref="MaxBackoff"/>.</summary>
    /// <value>The default is 1 second. Zero (retry at once) to 1 minute.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
