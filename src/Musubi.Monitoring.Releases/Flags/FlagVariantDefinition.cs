namespace Musubi.Monitoring.Releases;

/// <summary>
/// A variant of a flag defined in code (see <see cref="FlagDefinition.WithVariants"/>). Weights are in thousandths,
/// as in Unleash: a <see cref="FixedWeight"/> keeps its share and the variants without one split the rest evenly.
/// </summary>
/// <remarks>Immutable once built; safe to share.</remarks>
public sealed class FlagVariantDefinition
{
    /// <summary>Creates a variant.</summary>
    /// <param name="name">The variant name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or is <c>disabled</c> (reserved for "no variant").</exception>
    public FlagVariantDefinition(string name)
    {
        if (string.IsNullOrEmpty(name) || name == FlagVariant.DisabledName)
        {
            throw new ArgumentException($"The variant name '{name}' is not allowed: a non-empty name other than 'disabled' is required.", nameof(name));
        }

        Name = name;
    }

    /// <summary>Gets the variant name.</summary>
    public string Name { get; }

    /// <summary>Gets the fixed share in thousandths (Unleash's <c>weightType: fix</c>), from 0 to 1000.</summary>
    /// <value>The default is <see langword="null"/>: an even share of what the fixed variants leave (<c>variable</c>).</value>
    public int? FixedWeight { get; init; }

    /// <summary>Gets the payload type: <c>string</c>, <c>json</c>, <c>csv</c> or <c>number</c>.</summary>
    /// <value>The default is <see langword="null"/> (no payload).</value>
    public string? PayloadType { get; init; }

    /// <summary>Gets the payload value.</summary>
    /// <value>The default is <see langword="null"/> (no payload).</value>
    public string? PayloadValue { get; init; }

    /// <summary>Gets the context field the variants are bucketed by; only the first variant's counts, as in Unleash.</summary>
    /// <value>The default is <see langword="null"/>: <c>default</c> stickiness (user id, else session id, else random).</value>
    public string? Stickiness { get; init; }

    /// <summary>Gets context values that always get this variant, by field name (for example <c>userId</c> → ids).</summary>
    /// <value>The default is <see langword="null"/> (no overrides).</value>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Overrides { get; init; }
}
