using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Musubi.Monitoring.Releases;

/// <summary>Reads Unleash's client features document (<c>{ version, features, segments }</c>) into compiled flags.</summary>
internal static class UnleashJson
{
    /// <summary>The largest variant weight: Unleash's add up to 1000, and a million keeps every total far from overflow.</summary>
    private const int MaxVariantWeight = 1_000_000;

    private static readonly JsonElement s_emptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    public static List<CompiledFlag> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"The document is a JSON {Kind(root)}; an object with a 'features' array is expected.");
        }

        if (!root.TryGetProperty("features", out JsonElement features) || features.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("The document has no 'features' array.");
        }

        var segments = new Dictionary<int, CompiledConstraint[]>();
        if (root.TryGetProperty("segments", out JsonElement segmentList) && segmentList.ValueKind != JsonValueKind.Null)
        {
            foreach (JsonElement segment in Array(segmentList, "segments", "the document"))
            {
                if (segment.ValueKind != JsonValueKind.Object || !segment.TryGetProperty("id", out JsonElement id) || !id.TryGetInt32(out int segmentId))
                {
                    throw Invalid($"A segment has no integer 'id': {Short(segment)}.");
                }

                segments[segmentId] = Constraints(segment, string.Create(CultureInfo.InvariantCulture, $"segment {segmentId}"));
            }
        }

        var flags = new List<CompiledFlag>();
        int index = 0;
        foreach (JsonElement feature in features.EnumerateArray())
        {
            flags.Add(Feature(feature, index++, segments));
        }

        return flags;
    }

    private static CompiledFlag Feature(JsonElement feature, int index, Dictionary<int, CompiledConstraint[]> segments)
    {
        if (feature.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Feature {index} is a JSON {Kind(feature)}; an object is expected."));
        }

        string name = RequiredString(feature, "name", string.Create(CultureInfo.InvariantCulture, $"feature {index}"));
        string where = $"feature '{name}'";
        bool enabled = Bool(feature, "enabled", where) ?? throw Invalid($"The {where} has no boolean 'enabled'.");
        string? error = null;

        var strategies = new List<CompiledStrategy>();
        if (feature.TryGetProperty("strategies", out JsonElement strategyList))
        {
            int s = 0;
            foreach (JsonElement strategy in Array(strategyList, "strategies", where))
            {
                string strategyWhere = string.Create(CultureInfo.InvariantCulture, $"{where} strategy {s++}");
                if (strategy.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid($"The {strategyWhere} is a JSON {Kind(strategy)}; an object is expected.");
                }

                if (Bool(strategy, "disabled", strategyWhere) == true)
                {
                    // A disabled strategy is kept but never matches, so a flag whose strategies are all disabled is off
                    // (it does not become a flag without strategies, which would be on for everyone).
                    strategies.Add(new CompiledStrategy { Kind = StrategyKind.Unknown });
                    continue;
                }

                string strategyName = RequiredString(strategy, "name", strategyWhere);
                var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                if (strategy.TryGetProperty("parameters", out JsonElement parameterObject) && parameterObject.ValueKind != JsonValueKind.Null)
                {
                    if (parameterObject.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid($"The {strategyWhere} has 'parameters' of JSON {Kind(parameterObject)}; an object is expected.");
                    }

                    foreach (JsonProperty p in parameterObject.EnumerateObject())
                    {
                        if (Text(p.Value) is { } text)
                        {
                            parameters[p.Name] = text;
                        }
                    }
                }

                List<CompiledConstraint> constraints = [.. Constraints(strategy, strategyWhere)];
                bool missingSegment = false;
                if (strategy.TryGetProperty("segments", out JsonElement segmentIds))
                {
                    foreach (JsonElement id in Array(segmentIds, "segments", strategyWhere))
                    {
                        if (!id.TryGetInt32(out int segmentId))
                        {
                            throw Invalid($"The {strategyWhere} has a segment id {Short(id)}; integers are expected.");
                        }

                        if (segments.TryGetValue(segmentId, out CompiledConstraint[]? segmentConstraints))
                        {
                            constraints.AddRange(segmentConstraints);
                        }
                        else
                        {
                            missingSegment = true;
                        }
                    }
                }

                string groupId = parameters.GetValueOrDefault("groupId") is { Length: > 0 } g ? g : name;
                string? stickiness = parameters.GetValueOrDefault("stickiness");
                // Strategy variants bucket by the strategy's stickiness (default when it has none), not the variants' own.
                VariantSet? variants = Variants(strategy, groupId, stickiness is { Length: > 0 } ? stickiness : "default", strategyWhere, allowOverrides: false);
                strategies.Add(StrategyCompiler.Compile(name, strategyName, parameters, [.. constraints], missingSegment, variants, out string? strategyError));
                error ??= strategyError;
            }
        }

        VariantSet? featureVariants = Variants(feature, name, null, where, allowOverrides: true);
        var dependencies = new List<FlagDependency>();
        if (feature.TryGetProperty("dependencies", out JsonElement dependencyList))
        {
            foreach (JsonElement dependency in Array(dependencyList, "dependencies", where))
            {
                string parent = RequiredString(dependency, "feature", $"{where} dependency");
                bool parentEnabled = Bool(dependency, "enabled", $"{where} dependency") ?? true;
                List<string> variantNames = [];
                if (dependency.TryGetProperty("variants", out JsonElement names))
                {
                    foreach (JsonElement v in Array(names, "variants", $"{where} dependency"))
                    {
                        variantNames.Add(Text(v) ?? string.Empty);
                    }
                }

                dependencies.Add(new FlagDependency(parent, parentEnabled, variantNames.ToFrozenSet(StringComparer.Ordinal)));
            }
        }

        return new CompiledFlag(name, enabled, [.. strategies], featureVariants, [.. dependencies], error);
    }

    private static CompiledConstraint[] Constraints(JsonElement owner, string where)
    {
        if (!owner.TryGetProperty("constraints", out JsonElement list))
        {
            return [];
        }

        var result = new List<CompiledConstraint>();
        foreach (JsonElement c in Array(list, "constraints", where))
        {
            string constraintWhere = $"{where} constraint";
            if (c.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"A {constraintWhere} is a JSON {Kind(c)}; an object is expected.");
            }

            string contextName = RequiredString(c, "contextName", constraintWhere);
            string op = RequiredString(c, "operator", constraintWhere);
            List<string> values = [];
            if (c.TryGetProperty("values", out JsonElement valueList))
            {
                foreach (JsonElement v in Array(valueList, "values", constraintWhere))
                {
                    if (Text(v) is { } text)
                    {
                        values.Add(text);
                    }
                }
            }

            string? value = c.TryGetProperty("value", out JsonElement single) ? Text(single) : null;
            result.Add(new CompiledConstraint(
                contextName,
                op,
                values,
                value,
                Bool(c, "inverted", constraintWhere) ?? false,
                Bool(c, "caseInsensitive", constraintWhere) ?? false));
        }

        return [.. result];
    }

    private static VariantSet? Variants(JsonElement owner, string groupId, string? ownerStickiness, string where, bool allowOverrides)
    {
        if (!owner.TryGetProperty("variants", out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var variants = new List<VariantDefinition>();
        string? stickiness = null;
        foreach (JsonElement v in Array(list, "variants", where))
        {
            string variantWhere = $"{where} variant";
            if (v.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"A {variantWhere} is a JSON {Kind(v)}; an object is expected.");
            }

            string name = RequiredString(v, "name", variantWhere);
            int weight = 0;
            if (v.TryGetProperty("weight", out JsonElement w) && w.ValueKind != JsonValueKind.Null)
            {
                if (!(w.ValueKind == JsonValueKind.Number ? w.TryGetInt32(out weight) : int.TryParse(w.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out weight)) || weight is < 0 or > MaxVariantWeight)
                {
                    throw Invalid($"The {variantWhere} '{name}' has weight {Short(w)}; a whole number from 0 to {MaxVariantWeight} is expected (Unleash's weights add up to 1000).");
                }
            }

            if (variants.Count == 0 && v.TryGetProperty("stickiness", out JsonElement s) && s.ValueKind == JsonValueKind.String)
            {
                stickiness = s.GetString();
            }

            string? payloadType = null;
            string? payloadValue = null;
            if (v.TryGetProperty("payload", out JsonElement payload) && payload.ValueKind == JsonValueKind.Object)
            {
                payloadType = payload.TryGetProperty("type", out JsonElement t) ? Text(t) : null;
                payloadValue = payload.TryGetProperty("value", out JsonElement pv) ? Text(pv) : null;
            }

            var overrides = new List<VariantOverride>();
            if (allowOverrides && v.TryGetProperty("overrides", out JsonElement overrideList))
            {
                foreach (JsonElement o in Array(overrideList, "overrides", variantWhere))
                {
                    string contextName = RequiredString(o, "contextName", $"{variantWhere} '{name}' override");
                    List<string> values = [];
                    if (o.TryGetProperty("values", out JsonElement ov))
                    {
                        foreach (JsonElement x in Array(ov, "values", $"{variantWhere} '{name}' override"))
                        {
                            if (Text(x) is { } text)
                            {
                                values.Add(text);
                            }
                        }
                    }

                    overrides.Add(new VariantOverride(contextName, values.ToFrozenSet(StringComparer.Ordinal)));
                }
            }

            variants.Add(new VariantDefinition(name, weight, payloadType, payloadValue, [.. overrides]));
        }

        // Feature variants bucket by the first variant's stickiness; strategy variants pass the strategy's.
        return new VariantSet(groupId, ownerStickiness ?? stickiness, [.. variants]);
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string property, string where) =>
        element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray(),
            JsonValueKind.Null => s_emptyArray.EnumerateArray(),
            _ => throw Invalid($"The {where} has '{property}' of JSON {Kind(element)}; an array is expected."),
        };

    private static string RequiredString(JsonElement owner, string property, string where)
    {
        if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String &&
            value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        throw Invalid($"The {where} has no '{property}' string: {Short(owner)}.");
    }

    private static bool? Bool(JsonElement owner, string property, string where)
    {
        if (!owner.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"The {where} has '{property}' {Short(value)}; true or false is expected."),
        };
    }

    /// <summary>A string as is; a number or boolean as its JSON text; objects and arrays as raw JSON; null as null.</summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static string Short(JsonElement e)
    {
        string raw = e.GetRawText();
        return raw.Length <= 80 ? raw : string.Concat(raw.AsSpan(0, 77), "...");
    }

    private static InvalidDataException Invalid(string message) => new("Unleash features JSON: " + message);
}
