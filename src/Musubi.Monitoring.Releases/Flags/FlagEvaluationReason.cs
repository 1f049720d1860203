namespace Musubi.Monitoring.Releases;

/// <summary>Why an evaluation produced its value (after OpenFeature's resolution reasons).</summary>
public enum FlagEvaluationReason
{
    /// <summary>The flag is on for everyone: it is enabled and has no strategies, or its matching strategy is an unconstrained <c>default</c>.</summary>
    Static,

    /// <summary>A strategy matched the context: a user list, an IP list, or constraints.</summary>
    TargetingMatch,

    /// <summary>A percentage rollout put the context in the enabled bucket.</summary>
    Split,

    /// <summary>The flag is enabled but no strategy matched (or a dependency is unmet), so it is off.</summary>
    Default,

    /// <summary>The flag is switched off.</summary>
    Disabled,

    /// <summary>The flag could not be evaluated; the value is the caller's default and <see cref="FlagEvaluation.ErrorCode"/> says why.</summary>
    Error,
}
