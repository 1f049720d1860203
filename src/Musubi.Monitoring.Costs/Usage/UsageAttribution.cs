namespace Musubi.Monitoring.Costs;

/// <summary>Who and what a model call is charged to.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record UsageAttribution
{
    /// <summary>The user the call was made for, or <see langword="null"/>.</summary>
    public string? User { get; init; }

    /// <summary>The product feature that made the call, or <see langword="null"/>.</summary>
    public string? Feature { get; init; }

    /// <summary>The tenant the call is billed to, or <see langword="null"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>Free-form tags (for example a team or an experiment).</summary>
    /// <value>The default is an empty dictionary.</value>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(0);
}
