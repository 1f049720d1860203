namespace Musubi.Monitoring.AspNetCore;

/// <summary>
/// Options of the Alertmanager webhook receiver mapped by <c>MapAlertmanagerWebhook</c>. How alerts become incidents
/// (one per alert or per group, the severity label) is set in <c>AddIncidents(o => o.Alertmanager…)</c>.
/// </summary>
/// <remarks>Checked when the endpoint is mapped; the messages name the bad option.</remarks>
public sealed class AlertmanagerWebhookOptions
{
    /// <summary>The smallest body limit.</summary>
    internal const int MinBodyBytes = 1024;

    /// <summary>The largest body limit.</summary>
    internal const int MaxBodyBytesLimit = 64 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the bearer token Alertmanager sends (<c>http_config: authorization: credentials: …</c> in its
    /// receiver). A request with <c>Authorization: Bearer &lt;token&gt;</c> is accepted.
    /// </summary>
    /// <value>The default is <see langword="null"/> (no bearer token accepted).</value>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Gets or sets the secret of an HMAC-SHA256 signature of the body, for senders that sign (a relay or proxy in
    /// front of Alertmanager). A request whose <see cref="SignatureHeader"/> is <c>sha256=&lt;hex of HMAC-SHA256(secret,
    /// body)&gt;</c> is accepted.
    /// </summary>
    /// <value>The default is <see langword="null"/> (no signature accepted).</value>
    public string? HmacSecret { get; set; }

    /// <summary>Gets or sets the header that carries the HMAC signature.</summary>
    /// <value>The default is <c>X-Musubi-Signature</c>.</value>
    public string SignatureHeader { get; set; } = "X-Musubi-Signature";

    /// <summary>
    /// Gets or sets whether requests without a token or signature are accepted. Only for a receiver that nothing but
    /// Alertmanager can reach; mapping the endpoint with no credential and without this fails.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the largest body accepted; a larger one is answered 413 without being read further.</summary>
    /// <value>The default is 1 MiB. From 1 KiB to 64 MiB.</value>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
