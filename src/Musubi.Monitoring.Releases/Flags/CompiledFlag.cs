using System.Collections.Frozen;

namespace Musubi.Monitoring.Releases;

/// <summary>A flag prepared for evaluation: every parameter parsed, every lookup frozen.</summary>
internal sealed class CompiledFlag
{
    public CompiledFlag(string name, bool enabled, CompiledStrategy[] strategies, VariantSet? variants, FlagDependency[] dependencies, string? parseError = null)
    {
        // Interned: callers mostly pass literals, which are interned too, so the lookup's string comparison is a
        // reference check. Flag names are few and come back on every refresh, so the pool does not grow with use.
        Name = string.Intern(name);
        Enabled = enabled;
        Strategies = strategies;
        Variants = variants;
        Dependencies = dependencies;
        ParseError = parseError;
    }

    public string Name { get; }

    public bool Enabled { get; }

    public CompiledStrategy[] Strategies { get; }

    /// <summary>The flag's own variants, or <see langword="null"/> when it has none.</summary>
    public VariantSet? Variants { get; }

    public FlagDependency[] Dependencies { get; }

    /// <summary>Why the flag could not be compiled; evaluation then returns the caller's default with <see cref="FlagErrorCode.ParseError"/>.</summary>
    public string? ParseError { get; }
}

/// <summary>A parent flag a flag depends on.</summary>
internal sealed class FlagDependency
{
    public FlagDependency(string feature, bool enabled, FrozenSet<string> variants)
    {
        Feature = feature;
        Enabled = enabled;
        Variants = variants;
    }

    public string Feature { get; }

    /// <summary>Whether the parent must be on (<see langword="true"/>, the default) or off.</summary>
    public bool Enabled { get; }

    /// <summary>Variant names of the parent that satisfy the dependency; empty for any.</summary>
    public FrozenSet<string> Variants { get; }
}

internal enum StrategyKind : byte
{
    Default,
    UserWithId,
    GradualRolloutUserId,
    GradualRolloutSessionId,
    GradualRolloutRandom,
    FlexibleRollout,
    RemoteAddress,
    ApplicationHostname,
    Unknown,
}

internal enum Stickiness : byte
{
    Default,
    UserId,
    SessionId,
    Random,
    Custom,
}

/// <summary>One activation strategy with its constraints (segments folded in) and its own variants.</summary>
internal sealed class CompiledStrategy
{
    public required StrategyKind Kind { get; init; }

    public CompiledConstraint[] Constraints { get; init; } = [];

    /// <summary>Set when the strategy references a segment the snapshot does not have: the strategy never matches.</summary>
    public bool MissingSegment { get; init; }

    /// <summary>Rollout percentage (0-100) for the percentage strategies.</summary>
    public int Percentage { get; init; }

    /// <summary>UTF-8 of <c>groupId:</c>.</summary>
    public byte[] GroupPrefix { get; init; } = [];

    public Stickiness Stickiness { get; init; }

    public ContextField CustomStickiness { get; init; }

    public FrozenSet<string>? UserIds { get; init; }

    public IpRange[] Addresses { get; init; } = [];

    public VariantSet? Variants { get; init; }

    /// <summary>For <c>applicationHostname</c>: whether this machine's host name is in <c>hostNames</c> (decided when compiled).</summary>
    public bool HostMatches { get; init; }

    public FlagEvaluationReason MatchReason { get; init; }
}

/// <summary>A list of weighted variants with the group id and stickiness they are bucketed by.</summary>
internal sealed class VariantSet
{
    public VariantSet(string groupId, string? stickiness, VariantDefinition[] variants)
    {
        GroupPrefix = MurmurHash3.Prefix(groupId);
        Variants = variants;
        int total = 0;
        foreach (VariantDefinition v in variants)
        {
            total += v.Weight;
            HasOverrides |= v.Overrides.Length != 0;
        }

        TotalWeight = total;
        if (string.IsNullOrEmpty(stickiness) || stickiness == "default")
        {
            DefaultStickiness = true;
        }
        else
        {
            StickinessField = new ContextField(stickiness);
        }
    }

    public byte[] GroupPrefix { get; }

    public VariantDefinition[] Variants { get; }

    public int TotalWeight { get; }

    public bool HasOverrides { get; }

    public bool DefaultStickiness { get; }

    public ContextField StickinessField { get; }
}

/// <summary>One variant: weight, payload and overrides; the <see cref="FlagVariant"/> it yields is made once.</summary>
internal sealed class VariantDefinition
{
    public VariantDefinition(string name, int weight, string? payloadType, string? payloadValue, VariantOverride[] overrides)
    {
        Weight = weight;
        Overrides = overrides;
        Result = new FlagVariant(name, enabled: true, featureEnabled: true, payloadType, payloadValue);
    }

    public int Weight { get; }

    public VariantOverride[] Overrides { get; }

    public FlagVariant Result { get; }
}

/// <summary>Gives a variant to every context whose field has one of the values.</summary>
internal sealed class VariantOverride
{
    public VariantOverride(string contextName, FrozenSet<string> values)
    {
        Field = new ContextField(contextName);
        Values = values;
    }

    public ContextField Field { get; }

    public FrozenSet<string> Values { get; }
}
