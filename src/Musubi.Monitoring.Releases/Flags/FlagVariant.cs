namespace Musubi.Monitoring.Releases;

/// <summary>
/// The variant a flag gives a context: Unleash's <c>{ name, enabled, feature_enabled, payload }</c>. When the flag is off,
/// or on without variants, it is the <c>disabled</c> variant (<see cref="Enabled"/> is <see langword="false"/>).
/// </summary>
/// <remarks>Instances are immutable and shared; evaluation returns prepared instances rather than allocating.</remarks>
public sealed class FlagVariant
{
    /// <summary>The variant's name when there is no variant: <c>disabled</c>.</summary>
    public const string DisabledName = "disabled";

    internal FlagVariant(string name, bool enabled, bool featureEnabled, string? payloadType, string? payloadValue)
    {
        Name = name;
        Enabled = enabled;
        FeatureEnabled = featureEnabled;
        PayloadType = payloadType;
        PayloadValue = payloadValue;
    }

    /// <summary>Gets the disabled variant of a flag that is off (or missing).</summary>
    public static FlagVariant Disabled { get; } = new(DisabledName, enabled: false, featureEnabled: false, null, null);

    /// <summary>Gets the disabled variant of a flag that is on but has no variant for the context.</summary>
    public static FlagVariant DisabledWhileFeatureEnabled { get; } = new(DisabledName, enabled: false, featureEnabled: true, null, null);

    /// <summary>Gets the variant's name.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether this is a real variant (<see langword="false"/> for <c>disabled</c>).</summary>
    public bool Enabled { get; }

    /// <summary>Gets a value indicating whether the flag itself was on for the context (<c>feature_enabled</c>).</summary>
    public bool FeatureEnabled { get; }

    /// <summary>Gets the payload's type (<c>string</c>, <c>json</c>, <c>csv</c>, <c>number</c>), or <see langword="null"/> without a payload.</summary>
    public string? PayloadType { get; }

    /// <summary>Gets the payload's value as written in the flag, or <see langword="null"/> without a payload.</summary>
    public string? PayloadValue { get; }

    /// <inheritdoc/>
    public override string ToString() => PayloadType is null ? Name : $"{Name} ({PayloadType}: {PayloadValue})";
}
