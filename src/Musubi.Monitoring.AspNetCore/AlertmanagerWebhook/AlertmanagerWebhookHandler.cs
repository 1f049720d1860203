using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.AspNetCore.AlertmanagerWebhook;

/// <summary>Authenticates, reads and applies one Alertmanager notification.</summary>
internal sealed class AlertmanagerWebhookHandler
{
    // The answers are application/json, never HTML: quotes in messages need no \u0027 escapes.
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IncidentService _service;
    private readonly AlertmanagerIngestionOptions _ingestion;
    private readonly byte[]? _tokenHash;
    private readonly byte[]? _hmacKey;
    private readonly string _signatureHeader;
    private readonly int _maxBodyBytes;
    private readonly bool _allowAnonymous;
    private readonly ILogger _logger;

    public AlertmanagerWebhookHandler(IncidentService service, AlertmanagerIngestionOptions ingestion, AlertmanagerWebhookOptions options, ILogger logger)
    {
        _service = service;
        _ingestion = ingestion;
        _tokenHash = options.BearerToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.BearerToken));
        _hmacKey = options.HmacSecret is null ? null : Encoding.UTF8.GetBytes(options.HmacSecret);
        _signatureHeader = options.SignatureHeader;
        _maxBodyBytes = options.MaxBodyBytes;
        _allowAnonymous = options.AllowAnonymous;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        bool authenticated = _allowAnonymous || HasValidBearer(request);
        if (!authenticated && _hmacKey is null)
        {
            await UnauthorizedAsync(response).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            await WriteErrorAsync(response, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {_maxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        // A plain array, not a pooled one: a client that hangs up mid-body must not be able to make the handler hand a
        // buffer back twice, and a webhook is not a hot path.
        (byte[] buffer, int length, bool tooLarge) = await ReadAsync(request.Body, aborted).ConfigureAwait(false);
        if (tooLarge)
        {
            await WriteErrorAsync(response, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {_maxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        if (!authenticated && !HasValidSignature(request, buffer.AsSpan(0, length)))
        {
            await UnauthorizedAsync(response).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<IncidentAlert> alerts;
        try
        {
            alerts = AlertmanagerPayload.Parse(buffer.AsSpan(0, length), _ingestion);
        }
        catch (AlertmanagerPayloadException ex)
        {
            await WriteErrorAsync(response, StatusCodes.Status400BadRequest, ex.Message).ConfigureAwait(false);
            return;
        }

        await ApplyAsync(response, alerts, aborted).ConfigureAwait(false);
    }

    private async Task ApplyAsync(HttpResponse response, IReadOnlyList<IncidentAlert> alerts, CancellationToken aborted)
    {
        var opened = new List<string>();
        var resolved = new List<string>();
        int unchanged = 0;
        try
        {
            foreach (IncidentAlert alert in alerts)
            {
                // The alerts are applied even if Alertmanager hangs up: it will resend, and a resend changes nothing.
                AlertResult result = await _service.HandleAlertAsync(alert, CancellationToken.None).ConfigureAwait(false);
                switch (result.Outcome)
                {
                    case AlertOutcome.Opened:
                        opened.Add(result.IncidentId!);
                        break;
                    case AlertOutcome.Resolved:
                        resolved.Add(result.IncidentId!);
                        break;
                    default:
                        unchanged++;
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            Log.AlertmanagerWebhookFailed(_logger, ex);
            await WriteErrorAsync(response, StatusCodes.Status503ServiceUnavailable,
                "The incident store failed; the alerts not handled yet will be handled when Alertmanager retries.").ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, s_json))
        {
            writer.WriteStartObject();
            writer.WriteNumber("alerts", alerts.Count);
            WriteArray(writer, "opened", opened);
            WriteArray(writer, "resolved", resolved);
            writer.WriteNumber("unchanged", unchanged);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length), aborted).ConfigureAwait(false);
    }

    private async Task<(byte[] Buffer, int Length, bool TooLarge)> ReadAsync(Stream body, CancellationToken aborted)
    {
        byte[] buffer = new byte[Math.Min(_maxBodyBytes + 1, 16 * 1024)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, _maxBodyBytes + 1));
            }

            int read = await body.ReadAsync(buffer.AsMemory(length), aborted).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer, length, false);
            }

            length += read;
            if (length > _maxBodyBytes)
            {
                return (buffer, length, true);
            }
        }
    }

    private bool HasValidBearer(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return false;
        }

        string? authorization = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }

    private bool HasValidSignature(HttpRequest request, ReadOnlySpan<byte> body)
    {
        string? header = request.Headers[_signatureHeader];
        const string Prefix = "sha256=";
        if (_hmacKey is null || header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length != Prefix.Length + 64)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), presented, out _, out int written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_hmacKey, body, expected);
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private static Task UnauthorizedAsync(HttpResponse response)
    {
        response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return WriteErrorAsync(response, StatusCodes.Status401Unauthorized, "A valid bearer token or signature is required.");
    }

    private static async Task WriteErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, s_json))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length)).ConfigureAwait(false);
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
