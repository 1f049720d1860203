using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// A feature flag defined in code. Each factory maps onto an Unleash strategy, so a flag from code evaluates exactly
/// as the same flag loaded from Unleash: <see cref="On"/> is an enabled flag without strategies, <see cref="Off"/> a
/// disabled flag, <see cref="Percentage"/> a <c>flexibleRollout</c> with default stickiness and <see cref="Users"/> a
/// <c>userWithId</c> strategy.
/// </summary>
/// <remarks>Definitions are immutable; compile them with <see cref="FlagSnapshot.FromDefinitions"/>.</remarks>
public sealed class FlagDefinition
{
    private readonly Func<CompiledFlag> _compile;
    private readonly Func<JsonObject> _feature;

    private FlagDefinition(string name, Func<CompiledFlag> compile, Func<JsonObject> feature)
    {
        Name = name;
        _compile = compile;
        _feature = feature;
    }

    /// <summary>Gets the flag name.</summary>
    public string Name { get; }

    /// <summary>A flag that is on for everyone.</summary>
    /// <param name="name">The flag name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static FlagDefinition On(string name)
    {
        CheckName(name);
        return new FlagDefinition(name, () => new CompiledFlag(name, enabled: true, [], null, []), () => Feature(name, enabled: true, null, null));
    }

    /// <summary>A flag that is off for everyone.</summary>
    /// <param name="name">The flag name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static FlagDefinition Off(string name)
    {
        CheckName(name);
        return new FlagDefinition(name, () => new CompiledFlag(name, enabled: false, [], null, []), () => Feature(name, enabled: false, null, null));
    }

    /// <summary>
    /// A flag that is on for a stable share of users: Unleash's <c>flexibleRollout</c> with default stickiness (the user id,
    /// else the session id, else a random draw), bucketed by <c>murmur3("groupId:id") % 100 + 1 &lt;= percent</c>.
    /// </summary>
    /// <param name="name">The flag name.</param>
    /// <param name="percent">The share that is on, from 0 to 100.</param>
    /// <param name="groupId">The group id that salts the hash; the default is the flag name. Flags with the same group id and percentage are on for the same users.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is below 0 or above 100.</exception>
    public static FlagDefinition Percentage(string name, int percent, string? groupId = null)
    {
        CheckName(name);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rollout"] = percent.ToString(CultureInfo.InvariantCulture),
            ["stickiness"] = "default",
            ["groupId"] = string.IsNullOrEmpty(groupId) ? name : groupId,
        };
        return new FlagDefinition(name, () => Single(name, "flexibleRollout", parameters), () => Feature(name, enabled: true, "flexibleRollout", parameters));
    }

    /// <summary>A flag that is on for the listed user ids only (Unleash's <c>userWithId</c>; ids compare case-sensitively).</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="userIds">The user ids.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or a user id is null, empty or contains a comma.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="userIds"/> is <see langword="null"/>.</exception>
    public static FlagDefinition Users(string name, params IEnumerable<string> userIds)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(userIds);
        string[] ids = [.. userIds];
        foreach (string id in ids)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Contains(',', StringComparison.Ordinal) || id.Trim().Length != id.Length)
            {
                throw new ArgumentException($"The user id '{id}' is not allowed: ids must be non-empty, without commas or surrounding spaces.", nameof(userIds));
            }
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["userIds"] = string.Join(',', ids) };
        return new FlagDefinition(name, () => Single(name, "userWithId", parameters), () => Feature(name, enabled: true, "userWithId", parameters));
    }

    /// <summary>
    /// The same flag with variants. Weights follow Unleash: fixed weights (thousandths) are kept and the variable
    /// variants share the rest evenly (rounded down); variants are bucketed by <c>murmur3("flag:id", 86028157)</c>.
    /// </summary>
    /// <param name="variants">The variants, in order.</param>
    /// <returns>A new definition; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="variants"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no variants, two share a name, a fixed weight is outside 0-1000, the fixed weights add up to more than 1000, or all are fixed and do not add up to 1000.</exception>
    public FlagDefinition WithVariants(params IEnumerable<FlagVariantDefinition> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        FlagVariantDefinition[] list = [.. variants];
        if (list.Length == 0)
        {
            throw new ArgumentException($"Flag '{Name}': at least one variant is required.", nameof(variants));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        int fixedTotal = 0;
        int variable = 0;
        foreach (FlagVariantDefinition? v in list)
        {
            if (v is null)
            {
                throw new ArgumentNullException(nameof(variants), $"Flag '{Name}': a variant is null.");
            }

            if (!names.Add(v.Name))
            {
                throw new ArgumentException($"Flag '{Name}': the variant name '{v.Name}' appears twice; names must be unique.", nameof(variants));
            }

            if (v.FixedWeight is int w)
            {
                if (w is < 0 or > 1000)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Flag '{Name}': variant '{v.Name}' has fixed weight {w}; 0 to 1000 (thousandths) is allowed."), nameof(variants));
                }

                fixedTotal += w;
            }
            else
            {
                variable++;
            }
        }

        if (fixedTotal > 1000 || (variable == 0 && fixedTotal != 1000))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Flag '{Name}': the fixed weights add up to {fixedTotal}; at most 1000 is allowed, and exactly 1000 when every variant is fixed."), nameof(variants));
        }

        int share = variable == 0 ? 0 : (1000 - fixedTotal) / variable;
        VariantDefinition[] compiled = [.. list.Select(v => new VariantDefinition(
            v.Name,
            v.FixedWeight ?? share,
            v.PayloadType,
            v.PayloadValue,
            v.Overrides is null ? [] : [.. v.Overrides.Select(o => new VariantOverride(o.Key, (o.Value ?? []).ToFrozenSet(StringComparer.Ordinal)))]))];
        var set = new VariantSet(Name, list[0].Stickiness, compiled);
        Func<CompiledFlag> inner = _compile;
        Func<JsonObject> innerFeature = _feature;
        return new FlagDefinition(
            Name,
            () =>
            {
                CompiledFlag flag = inner();
                return new CompiledFlag(flag.Name, flag.Enabled, flag.Strategies, set, flag.Dependencies, flag.ParseError);
            },
            () =>
            {
                JsonObject feature = innerFeature();
                var array = new JsonArray();
                for (int i = 0; i < list.Length; i++)
                {
                    FlagVariantDefinition v = list[i];
                    var variant = new JsonObject
                    {
                        ["name"] = v.Name,
                        ["weight"] = compiled[i].Weight,
                        ["weightType"] = v.FixedWeight is null ? "variable" : "fix",
                    };
                    if (i == 0 && v.Stickiness is not null)
                    {
                        variant["stickiness"] = v.Stickiness;
                    }

                    if (v.PayloadType is not null || v.PayloadValue is not null)
                    {
                        variant["payload"] = new JsonObject { ["type"] = v.PayloadType, ["value"] = v.PayloadValue };
                    }

                    if (v.Overrides is { Count: > 0 })
                    {
                        variant["overrides"] = new JsonArray([.. v.Overrides.Select(o => (JsonNode)new JsonObject
                        {
                            ["contextName"] = o.Key,
                            ["values"] = new JsonArray([.. (o.Value ?? []).Select(x => (JsonNode?)JsonValue.Create(x))]),
                        })]);
                    }

                    array.Add(variant);
                }

                feature["variants"] = array;
                return feature;
            });
    }

    internal CompiledFlag Compile() => _compile();

    /// <summary>The flag as one feature of Unleash's client features JSON, which compiles to the same flag.</summary>
    internal JsonObject ToUnleashFeature() => _feature();

    private static JsonObject Feature(string name, bool enabled, string? strategy, Dictionary<string, string>? parameters)
    {
        var strategies = new JsonArray();
        if (strategy is not null)
        {
            var p = new JsonObject();
            foreach (KeyValuePair<string, string> pair in parameters!)
            {
                p[pair.Key] = pair.Value;
            }

            strategies.Add(new JsonObject { ["name"] = strategy, ["constraints"] = new JsonArray(), ["parameters"] = p });
        }

        return new JsonObject { ["name"] = name, ["type"] = "release", ["enabled"] = enabled, ["strategies"] = strategies };
    }

    private static CompiledFlag Single(string name, string strategy, Dictionary<string, string> parameters)
    {
        CompiledStrategy compiled = StrategyCompiler.Compile(name, strategy, parameters, [], missingSegment: false, variants: null, out string? error);
        return new CompiledFlag(name, enabled: true, [compiled], null, [], error);
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"The flag name '{name}' is not allowed: a non-empty name is required.", nameof(name));
        }
    }
}
