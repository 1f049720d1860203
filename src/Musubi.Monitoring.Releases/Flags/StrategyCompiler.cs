using System.Collections.Frozen;
using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>Turns a strategy's name and string parameters into a <see cref="CompiledStrategy"/>.</summary>
internal static class StrategyCompiler
{
    /// <summary>Compiles one strategy; <paramref name="error"/> is set when a parameter cannot be parsed.</summary>
    public static CompiledStrategy Compile(
        string featureName,
        string strategyName,
        IReadOnlyDictionary<string, string> parameters,
        CompiledConstraint[] constraints,
        bool missingSegment,
        VariantSet? variants,
        out string? error)
    {
        error = null;
        StrategyKind kind = strategyName switch
        {
            "default" => StrategyKind.Default,
            "userWithId" => StrategyKind.UserWithId,
            "gradualRolloutUserId" => StrategyKind.GradualRolloutUserId,
            "gradualRolloutSessionId" => StrategyKind.GradualRolloutSessionId,
            "gradualRolloutRandom" => StrategyKind.GradualRolloutRandom,
            "flexibleRollout" => StrategyKind.FlexibleRollout,
            "remoteAddress" => StrategyKind.RemoteAddress,
            "applicationHostname" => StrategyKind.ApplicationHostname,
            _ => StrategyKind.Unknown,
        };

        int percentage = 0;
        string groupId = string.Empty;
        Stickiness stickiness = Stickiness.Default;
        ContextField custom = default;
        switch (kind)
        {
            case StrategyKind.GradualRolloutUserId or StrategyKind.GradualRolloutSessionId or StrategyKind.GradualRolloutRandom:
                percentage = Percent(parameters, "percentage", featureName, strategyName, ref error);
                groupId = parameters.GetValueOrDefault("groupId") ?? string.Empty;
                break;
            case StrategyKind.FlexibleRollout:
                percentage = Percent(parameters, "rollout", featureName, strategyName, ref error);
                groupId = parameters.GetValueOrDefault("groupId") is { Length: > 0 } g ? g : featureName;
                string? sticky = parameters.GetValueOrDefault("stickiness");
                stickiness = sticky switch
                {
                    null or "" or "default" => Stickiness.Default,
                    "userId" => Stickiness.UserId,
                    "sessionId" => Stickiness.SessionId,
                    "random" => Stickiness.Random,
                    _ => Stickiness.Custom,
                };
                if (stickiness == Stickiness.Custom)
                {
                    custom = new ContextField(sticky!);
                }

                break;
        }

        FrozenSet<string>? userIds = kind == StrategyKind.UserWithId
            ? SplitList(parameters.GetValueOrDefault("userIds")).ToFrozenSet(StringComparer.Ordinal)
            : null;
        IpRange[] addresses = kind == StrategyKind.RemoteAddress
            ? [.. SplitList(parameters.GetValueOrDefault("IPs")).Select(ip => new IpRange(ip))]
            : [];

        bool hostMatches = kind == StrategyKind.ApplicationHostname &&
            SplitList(parameters.GetValueOrDefault("hostNames")).Any(h => string.Equals(h, s_localHostName.Value, StringComparison.OrdinalIgnoreCase));

        FlagEvaluationReason reason = kind switch
        {
            StrategyKind.Default when constraints.Length == 0 => FlagEvaluationReason.Static,
            StrategyKind.GradualRolloutUserId or StrategyKind.GradualRolloutSessionId or StrategyKind.GradualRolloutRandom or StrategyKind.FlexibleRollout => FlagEvaluationReason.Split,
            _ => FlagEvaluationReason.TargetingMatch,
        };

        return new CompiledStrategy
        {
            Kind = kind,
            Constraints = constraints,
            MissingSegment = missingSegment,
            Percentage = percentage,
            GroupPrefix = MurmurHash3.Prefix(groupId),
            Stickiness = stickiness,
            CustomStickiness = custom,
            UserIds = userIds,
            Addresses = addresses,
            Variants = variants,
            HostMatches = hostMatches,
            MatchReason = reason,
        };
    }

    // The applicationHostname strategy compares with this machine's host name, which does not change while the process runs.
    private static readonly Lazy<string> s_localHostName = new(() =>
    {
        try
        {
            return System.Net.Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    });

    private static int Percent(IReadOnlyDictionary<string, string> parameters, string name, string featureName, string strategyName, ref string? error)
    {
        string? text = parameters.GetValueOrDefault(name);
        if (text is not null &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            // Buckets are whole numbers, so "bucket <= 50.5" (how Unleash's SDKs compare) is "bucket <= 50".
            return (int)Math.Clamp(Math.Floor(value), 0, 100);
        }

        error ??= string.Create(CultureInfo.InvariantCulture, $"Flag '{featureName}': strategy '{strategyName}' parameter '{name}' is '{text ?? "(missing)"}'; a number from 0 to 100 is allowed.");
        return 0;
    }

    private static string[] SplitList(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
