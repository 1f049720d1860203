using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Posts each notification as JSON to a webhook, with a timeout per attempt and retries with exponential back-off
/// (see <see cref="WebhookNotifierOptions"/>). Never throws: a failed delivery is logged and returned in the result.
/// </summary>
/// <remarks>
/// <para>The body (UTF-8, <c>application/json</c>; the same whatever the thread culture):</para>
/// <code>
/// {"incidentId":"INC-1","title":"Checkout 5xx","severity":"SEV2","policyId":"default","level":2,"round":1,
///  "recipients":["ana","ben"],"at":"2026-03-29T00:30:00+00:00"}
/// </code>
/// <para>
/// Every attempt of one notification carries the same <c>Idempotency-Key</c> header
/// (<c>{incidentId}/{round}/{level}</c>, the id percent-encoded) so that a receiver can drop a retry of a request it already handled.
/// </para>
/// <para>Thread-safe. Timeouts and back-off run on the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed class WebhookIncidentNotifier : IIncidentNotifier
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;
    private readonly TimeSpan _attemptTimeout;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryDelay;

    /// <summary>Initializes a new instance of the <see cref="WebhookIncidentNotifier"/> class.</summary>
    /// <param name="httpClient">The client that sends the requests (from <c>IHttpClientFactory</c> in a host); its default headers are sent too.</param>
    /// <param name="options">The endpoint, timeout and retries; copied now.</param>
    /// <param name="timeProvider">The clock for timeouts and back-off.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/>, <paramref name="options"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid (the message names each bad value).</exception>
    public WebhookIncidentNotifier(HttpClient httpClient, WebhookNotifierOptions options, TimeProvider timeProvider, ILogger<WebhookIncidentNotifier>? logger = null)
        : this(Client(httpClient), options, timeProvider, logger)
    {
    }

    /// <summary>For dependency injection: a client from <c>IHttpClientFactory</c> per notification, so DNS changes are seen.</summary>
    internal WebhookIncidentNotifier(Func<HttpClient> httpClient, WebhookNotifierOptions options, TimeProvider timeProvider, ILogger<WebhookIncidentNotifier>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Validate(options);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _endpoint = options.Endpoint;
        _attemptTimeout = options.AttemptTimeout;
        _maxRetries = options.MaxRetries;
        _retryDelay = options.RetryDelay;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is <see langword="null"/>.</exception>
    public async Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        byte[] body = ToJson(notification);
        // Escaped: header values must be ASCII, incident ids need not be.
        string idempotencyKey = string.Create(CultureInfo.InvariantCulture,
            $"{Uri.EscapeDataString(notification.IncidentId)}/{notification.Round}/{notification.Level}");
        int maxAttempts = _maxRetries + 1;
        string error = "not attempted";
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            if (attempt > 1 && _retryDelay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(Backoff(attempt), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return NotificationResult.Failure(attempt - 1, "cancelled while waiting to retry; last error: " + error);
                }
            }

            (bool delivered, bool retry, error) = await AttemptAsync(body, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (delivered)
            {
                return NotificationResult.Success(attempt);
            }

            EscalationLog.WebhookAttemptFailed(_logger, notification.IncidentId, attempt, maxAttempts, error);
            if (!retry || cancellationToken.IsCancellationRequested)
            {
                return NotificationResult.Failure(attempt, error);
            }
        }

        return NotificationResult.Failure(maxAttempts, error);
    }

    /// <summary>Writes the JSON body of a notification (see the remarks of the class).</summary>
    internal static byte[] ToJson(IncidentNotification notification)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("incidentId", notification.IncidentId);
            json.WriteString("title", notification.Title);
            json.WriteString("severity", LoggingIncidentNotifier.SeverityName(notification.Severity));
            json.WriteString("policyId", notification.PolicyId);
            json.WriteNumber("level", notification.Level);
            json.WriteNumber("round", notification.Round);
            json.WriteStartArray("recipients");
            foreach (string recipient in notification.Recipients)
            {
                json.WriteStringValue(recipient);
            }

            json.WriteEndArray();
            json.WriteString("at", notification.At.ToUniversalTime());
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The wait before <paramref name="attempt"/> (from 2): the retry delay, doubled for each retry before it, at most <see cref="WebhookNotifierOptions.MaxBackoff"/>.</summary>
    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(_retryDelay.Ticks * Math.Pow(2, attempt - 2), WebhookNotifierOptions.MaxBackoff.Ticks));

    private static Func<HttpClient> Client(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static void Validate(WebhookNotifierOptions options)
    {
        ValidateOptionsResult generated = new WebhookNotifierOptionsValidator().Validate(null, options);
        ValidateOptionsResult rules = new WebhookNotifierOptionsRules().Validate(null, options);
        string[] failures = [.. (generated.Failures ?? []).Concat(rules.Failures ?? [])];
        if (failures.Length > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WebhookNotifierOptions), failures);
        }
    }

    private async Task<(bool Delivered, bool Retry, string Error)> AttemptAsync(byte[] body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_attemptTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = s_json;
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            using HttpResponseMessage response = await _httpClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, string.Empty);
            }

            int status = (int)response.StatusCode;
            bool retry = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return (false, retry, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, false, "cancelled");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (false, true, string.Create(CultureInfo.InvariantCulture, $"no response within {_attemptTimeout:c}"));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return (false, true, $"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            // Never throw into the engine: an unexpected failure (a misconfigured client) is reported, not retried.
            return (false, false, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
