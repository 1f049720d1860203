using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>A context field name resolved once when a flag is compiled.</summary>
internal enum ContextFieldKind : byte
{
    Property,
    UserId,
    SessionId,
    RemoteAddress,
    Environment,
    AppName,
    CurrentTime,
}

/// <summary>A compiled reference to a context field: a standard field (falling back to the property of the same name) or a property.</summary>
internal readonly struct ContextField
{
    public ContextField(string name)
    {
        // Interned, like flag names: property keys in callers' code are literals, so the dictionary's key comparison
        // becomes a reference check.
        Name = string.Intern(name);
        Kind = name switch
        {
            "userId" => ContextFieldKind.UserId,
            "sessionId" => ContextFieldKind.SessionId,
            "remoteAddress" => ContextFieldKind.RemoteAddress,
            "environment" => ContextFieldKind.Environment,
            "appName" => ContextFieldKind.AppName,
            "currentTime" => ContextFieldKind.CurrentTime,
            _ => ContextFieldKind.Property,
        };
    }

    public string Name { get; }

    public ContextFieldKind Kind { get; }

    /// <summary>The field's value, or <see langword="null"/> when unset or empty (Unleash treats empty as missing).</summary>
    public string? Resolve(FeatureFlagContext context, TimeProvider time)
    {
        string? value = Kind switch
        {
            ContextFieldKind.UserId => context.UserId,
            ContextFieldKind.SessionId => context.SessionId,
            ContextFieldKind.RemoteAddress => context.RemoteAddress,
            ContextFieldKind.Environment => context.Environment,
            ContextFieldKind.AppName => context.AppName,
            ContextFieldKind.CurrentTime => FormatTime(context.CurrentTime ?? time.GetUtcNow()),
            _ => null,
        };
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        Dictionary<string, string?> properties = context.PropertyMap;
        return properties.Count != 0 && properties.TryGetValue(Name, out string? property) && !string.IsNullOrEmpty(property) ? property : null;
    }

    // JavaScript's Date.toISOString, which is what Unleash's SDKs compare when a string operator meets currentTime.
    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
