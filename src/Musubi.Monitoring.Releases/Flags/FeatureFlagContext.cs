namespace Musubi.Monitoring.Releases;

/// <summary>
/// The facts a feature flag is evaluated against: Unleash's context fields and free-form properties.
/// </summary>
/// <remarks>
/// A context is a plain mutable holder. Evaluation only reads it, so one instance may be reused for many
/// evaluations (which keeps evaluation allocation-free), but it must not be changed while another thread is
/// evaluating with it. Empty strings count as missing, as in Unleash's SDKs.
/// </remarks>
public sealed class FeatureFlagContext
{
    /// <summary>Gets or sets the user id (<c>userId</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? UserId { get; set; }

    /// <summary>Gets or sets the session id (<c>sessionId</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? SessionId { get; set; }

    /// <summary>Gets or sets the client's IP address (<c>remoteAddress</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? RemoteAddress { get; set; }

    /// <summary>Gets or sets the environment (<c>environment</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Environment { get; set; }

    /// <summary>Gets or sets the application name (<c>appName</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? AppName { get; set; }

    /// <summary>Gets or sets the instant <c>DATE_AFTER</c> and <c>DATE_BEFORE</c> constraints compare against (<c>currentTime</c>).</summary>
    /// <value>The default is <see langword="null"/>: the evaluator's <see cref="TimeProvider"/> supplies the current time.</value>
    public DateTimeOffset? CurrentTime { get; set; }

    /// <summary>Gets the custom properties (case-sensitive names), used by constraints, custom stickiness and variant overrides.</summary>
    /// <value>An empty dictionary to begin with.</value>
    /// <remarks>A constraint on a standard field name (for example <c>appName</c>) falls back to the property of that name when the field is unset.</remarks>
    public IDictionary<string, string?> Properties => PropertyMap;

    /// <summary>The same dictionary, typed concretely so evaluation calls it without interface dispatch.</summary>
    internal Dictionary<string, string?> PropertyMap { get; } = new(StringComparer.Ordinal);
}
