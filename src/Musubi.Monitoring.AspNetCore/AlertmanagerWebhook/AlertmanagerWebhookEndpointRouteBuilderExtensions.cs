using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.AspNetCore;
using Musubi.Monitoring.AspNetCore.AlertmanagerWebhook;
using Musubi.Monitoring.Incidents;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Alertmanager webhook receiver that opens and resolves incidents.</summary>
public static class AlertmanagerWebhookEndpointRouteBuilderExtensions
{
    /// <summary>The default path of the receiver.</summary>
    public const string DefaultPattern = "/alerts/alertmanager";

    /// <summary>
    /// Maps <c>POST</c> <paramref name="pattern"/> as an Alertmanager webhook receiver (payload version 4): each
    /// firing alert opens an incident unless it has one, each resolved alert resolves its incident, and a resend
    /// changes nothing (see <see cref="AlertmanagerPayload"/> for the keys).
    /// </summary>
    /// <remarks>
    /// <para>Answers, each with a JSON body:</para>
    /// <list type="bullet">
    /// <item><description>200 <c>{"alerts":2,"opened":["INC-…"],"resolved":[],"unchanged":1}</c> when handled.</description></item>
    /// <item><description>401 (with <c>WWW-Authenticate: Bearer</c>) without a valid bearer token or signature.</description></item>
    /// <item><description>413 when the body is larger than <see cref="AlertmanagerWebhookOptions.MaxBodyBytes"/>.</description></item>
    /// <item><description>400 <c>{"error":"…"}</c> when the body is not a version-4 notification; nothing is changed.</description></item>
    /// <item><description>503 when the incident store fails; Alertmanager retries, and the alerts already handled are not handled twice.</description></item>
    /// </list>
    /// <para>
    /// A notification is read whole before any alert is handled, so a malformed one changes nothing. Each alert is then
    /// one store transaction.
    /// </para>
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="configure">Sets the credentials and the body limit.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is null or white space, or an option is invalid (named in the message).</exception>
    /// <exception cref="InvalidOperationException">Incidents are not added (call <c>AddMusubiMonitoring().AddIncidents()</c>).</exception>
    public static IEndpointConventionBuilder MapAlertmanagerWebhook(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern = DefaultPattern,
        Action<AlertmanagerWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var options = new AlertmanagerWebhookOptions();
        configure?.Invoke(options);
        Validate(options, nameof(configure));

        IServiceProvider services = endpoints.ServiceProvider;
        IncidentService service = services.GetService<IncidentService>()
            ?? throw new InvalidOperationException("MapAlertmanagerWebhook needs the incident service: call services.AddMusubiMonitoring().AddIncidents().");
        AlertmanagerIngestionOptions ingestion = services.GetRequiredService<IOptions<IncidentOptions>>().Value.Alertmanager;
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(Log.Category) ?? NullLogger.Instance;
        var handler = new AlertmanagerWebhookHandler(service, ingestion, options, logger);
        return endpoints.MapPost(pattern, handler.HandleAsync)
            .WithDisplayName($"Musubi Alertmanager webhook {pattern}")
            .WithMetadata(new ExcludeFromDescriptionAttribute());
    }

    private static void Validate(AlertmanagerWebhookOptions options, string parameterName)
    {
        if (options.BearerToken is not null && (options.BearerToken.Length == 0 || options.BearerToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException("AlertmanagerWebhookOptions.BearerToken is empty or holds white space or control characters; use a token of visible characters.", parameterName);
        }

        if (options.HmacSecret is { Length: 0 })
        {
            throw new ArgumentException("AlertmanagerWebhookOptions.HmacSecret is empty; use a secret, or leave it null.", parameterName);
        }

        if (string.IsNullOrWhiteSpace(options.SignatureHeader) || options.SignatureHeader.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            throw new ArgumentException($"AlertmanagerWebhookOptions.SignatureHeader is '{options.SignatureHeader}'; use an HTTP header name.", parameterName);
        }

        if (options.MaxBodyBytes is < AlertmanagerWebhookOptions.MinBodyBytes or > AlertmanagerWebhookOptions.MaxBodyBytesLimit)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"AlertmanagerWebhookOptions.MaxBodyBytes is {options.MaxBodyBytes}; use 1024 (1 KiB) to 67108864 (64 MiB)."), parameterName);
        }

        if (options.BearerToken is null && options.HmacSecret is null && !options.AllowAnonymous)
        {
            throw new ArgumentException(
                "The Alertmanager webhook has no credential: set AlertmanagerWebhookOptions.BearerToken (Alertmanager's http_config authorization) or HmacSecret, or AllowAnonymous = true for a receiver nothing else can reach.",
                parameterName);
        }
    }
}
