namespace Musubi.Monitoring.Releases;

/// <summary>Unleash's evaluation rules over compiled flags. Reads only; allocates nothing.</summary>
internal static class FlagEngine
{
    public static bool IsOn(FlagSnapshot snapshot, CompiledFlag flag, FeatureFlagContext context, TimeProvider time, out FlagEvaluationReason reason, out CompiledStrategy? matched)
    {
        matched = null;
        if (!flag.Enabled)
        {
            reason = FlagEvaluationReason.Disabled;
            return false;
        }

        if (flag.Dependencies.Length != 0 && !DependenciesSatisfied(snapshot, flag, context, time))
        {
            reason = FlagEvaluationReason.Default;
            return false;
        }

        CompiledStrategy[] strategies = flag.Strategies;
        if (strategies.Length == 0)
        {
            reason = FlagEvaluationReason.Static;
            return true;
        }

        foreach (CompiledStrategy strategy in strategies)
        {
            if (Matches(strategy, context, time))
            {
                matched = strategy;
                reason = strategy.MatchReason;
                return true;
            }
        }

        reason = FlagEvaluationReason.Default;
        return false;
    }

    public static FlagVariant ResolveVariant(CompiledFlag flag, bool on, CompiledStrategy? matched, FeatureFlagContext context, TimeProvider time)
    {
        if (!on)
        {
            return FlagVariant.Disabled;
        }

        if (matched?.Variants is { TotalWeight: > 0 } strategyVariants)
        {
            return Select(strategyVariants, context, time) ?? FlagVariant.DisabledWhileFeatureEnabled;
        }

        VariantSet? variants = flag.Variants;
        if (variants is null || variants.Variants.Length == 0)
        {
            return FlagVariant.DisabledWhileFeatureEnabled;
        }

        if (variants.HasOverrides)
        {
            foreach (VariantDefinition variant in variants.Variants)
            {
                foreach (VariantOverride rule in variant.Overrides)
                {
                    string? value = rule.Field.Resolve(context, time);
                    if (value is not null && rule.Values.Contains(value))
                    {
                        return variant.Result;
                    }
                }
            }
        }

        return Select(variants, context, time) ?? FlagVariant.DisabledWhileFeatureEnabled;
    }

    private static bool DependenciesSatisfied(FlagSnapshot snapshot, CompiledFlag flag, FeatureFlagContext context, TimeProvider time)
    {
        foreach (FlagDependency dependency in flag.Dependencies)
        {
            // Only one level: a parent that itself depends on something (which includes cycles) fails the child.
            CompiledFlag? parent = snapshot.Find(dependency.Feature);
            if (parent is null || parent.Dependencies.Length != 0 || parent.ParseError is not null)
            {
                return false;
            }

            bool parentOn = IsOn(snapshot, parent, context, time, out _, out CompiledStrategy? parentStrategy);
            if (!dependency.Enabled)
            {
                if (parentOn)
                {
                    return false;
                }

                continue;
            }

            if (!parentOn)
            {
                return false;
            }

            if (dependency.Variants.Count != 0 &&
                !dependency.Variants.Contains(ResolveVariant(parent, parentOn, parentStrategy, context, time).Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(CompiledStrategy strategy, FeatureFlagContext context, TimeProvider time)
    {
        if (strategy.MissingSegment)
        {
            return false;
        }

        foreach (CompiledConstraint constraint in strategy.Constraints)
        {
            if (!constraint.IsSatisfied(context, time))
            {
                return false;
            }
        }

        switch (strategy.Kind)
        {
            case StrategyKind.Default:
                return true;

            case StrategyKind.UserWithId:
                return !string.IsNullOrEmpty(context.UserId) && strategy.UserIds!.Contains(context.UserId);

            case StrategyKind.GradualRolloutUserId:
                return InBucket(strategy, context.UserId);

            case StrategyKind.GradualRolloutSessionId:
                return InBucket(strategy, context.SessionId);

            case StrategyKind.GradualRolloutRandom:
                return strategy.Percentage > 0 && Random.Shared.Next(1, 101) <= strategy.Percentage;

            case StrategyKind.FlexibleRollout:
                if (strategy.Percentage <= 0)
                {
                    return false;
                }

                switch (strategy.Stickiness)
                {
                    case Stickiness.UserId:
                        return InBucket(strategy, context.UserId);
                    case Stickiness.SessionId:
                        return InBucket(strategy, context.SessionId);
                    case Stickiness.Custom:
                        return InBucket(strategy, strategy.CustomStickiness.Resolve(context, time));
                    case Stickiness.Default when !string.IsNullOrEmpty(context.UserId):
                        return InBucket(strategy, context.UserId);
                    case Stickiness.Default when !string.IsNullOrEmpty(context.SessionId):
                        return InBucket(strategy, context.SessionId);
                    default:
                        // Random stickiness, or default stickiness without user or session: a random id from 1 to 100.
                        return MurmurHash3.Normalized(strategy.GroupPrefix, Random.Shared.Next(1, 101), 0, 100) <= strategy.Percentage;
                }

            case StrategyKind.RemoteAddress:
            {
                string? address = context.RemoteAddress;
                if (string.IsNullOrEmpty(address))
                {
                    return false;
                }

                foreach (IpRange range in strategy.Addresses)
                {
                    if (range.Matches(address))
                    {
                        return true;
                    }
                }

                return false;
            }

            case StrategyKind.ApplicationHostname:
                return strategy.HostMatches;

            default:
                return false;
        }
    }

    private static bool InBucket(CompiledStrategy strategy, string? id) =>
        !string.IsNullOrEmpty(id) && strategy.Percentage > 0 &&
        MurmurHash3.Normalized(strategy.GroupPrefix, id, 0, 100) <= strategy.Percentage;

    private static FlagVariant? Select(VariantSet set, FeatureFlagContext context, TimeProvider time)
    {
        int total = set.TotalWeight;
        if (total <= 0)
        {
            return null;
        }

        // Default stickiness is the user id, else the session id (as Unleash's shared engine, Yggdrasil, resolves it);
        // without one, or without the custom field, the target is drawn at random.
        string? id = set.DefaultStickiness
            ? (!string.IsNullOrEmpty(context.UserId) ? context.UserId : !string.IsNullOrEmpty(context.SessionId) ? context.SessionId : null)
            : set.StickinessField.Resolve(context, time);
        int target = id is not null
            ? MurmurHash3.Normalized(set.GroupPrefix, id, MurmurHash3.VariantSeed, total)
            : Random.Shared.Next(1, total + 1);

        int counter = 0;
        foreach (VariantDefinition variant in set.Variants)
        {
            if (variant.Weight <= 0)
            {
                continue;
            }

            counter += variant.Weight;
            if (counter >= target)
            {
                return variant.Result;
            }
        }

        return null;
    }
}
