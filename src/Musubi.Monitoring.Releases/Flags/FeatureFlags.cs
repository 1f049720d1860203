namespace Musubi.Monitoring.Releases;

/// <summary>
/// Evaluates feature flags with exactly the results of Unleash's client specification: the strategies <c>default</c>,
/// <c>userWithId</c>, <c>gradualRollout*</c>, <c>flexibleRollout</c>, <c>remoteAddress</c> and <c>applicationHostname</c>,
/// constraints with every operator (including <c>IN_CIDR</c> and RE2 <c>REGEX</c>), segments, dependent flags, and variants
/// with weights, stickiness and overrides.
/// </summary>
/// <remarks>
/// Thread safety: every member may be called concurrently. The flags are an immutable <see cref="FlagSnapshot"/>;
/// <see cref="Update"/> swaps it atomically, and an evaluation sees either the old or the new snapshot, never a mix.
/// Evaluation never throws: errors give the caller's default with a reason and error code. It allocates nothing, except
/// that CIDR ranges (<c>remoteAddress</c>, <c>IN_CIDR</c>) parse the client's address and a string operator on
/// <c>currentTime</c> formats the time.
/// </remarks>
public sealed class FeatureFlags
{
    private static readonly FeatureFlagContext s_emptyContext = new();

    private readonly TimeProvider _timeProvider;
    private FlagSnapshot _snapshot;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="snapshot">The flags; the default is <see cref="FlagSnapshot.Empty"/>.</param>
    /// <param name="timeProvider">The clock for <c>currentTime</c> when a context leaves it unset; the default is <see cref="TimeProvider.System"/>.</param>
    public FeatureFlags(FlagSnapshot? snapshot = null, TimeProvider? timeProvider = null)
    {
        _snapshot = snapshot ?? FlagSnapshot.Empty;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the flags evaluations currently use.</summary>
    public FlagSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Replaces the flags atomically; evaluations already running finish on the old snapshot.</summary>
    /// <param name="snapshot">The new flags.</param>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    public void Update(FlagSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _snapshot, snapshot);
    }

    /// <summary>Tells whether a flag is on for a context.</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="context">The context; <see langword="null"/> for an empty one.</param>
    /// <param name="defaultValue">The value when the flag is missing or cannot be evaluated.</param>
    /// <returns>The flag's value, or <paramref name="defaultValue"/> on error.</returns>
    public bool IsEnabled(string name, FeatureFlagContext? context = null, bool defaultValue = false)
    {
        // Run(…).Value without building the evaluation: the same answers, default on every error.
        FlagSnapshot snapshot = Volatile.Read(ref _snapshot);
        CompiledFlag? flag = name is null ? null : snapshot.Find(name);
        if (flag is null || flag.ParseError is not null)
        {
            return defaultValue;
        }

        try
        {
            return FlagEngine.IsOn(snapshot, flag, context ?? s_emptyContext, _timeProvider, out _, out _);
        }
#pragma warning disable CA1031 // Evaluation never throws into the host: any failure is the caller's default.
        catch (Exception)
#pragma warning restore CA1031
        {
            return defaultValue;
        }
    }

    /// <summary>Evaluates a flag, with the reason, any error, and the variant for the context.</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="context">The context; <see langword="null"/> for an empty one.</param>
    /// <param name="defaultValue">The value when the flag is missing or cannot be evaluated.</param>
    /// <returns>The evaluation; never throws.</returns>
    public FlagEvaluation Evaluate(string name, FeatureFlagContext? context = null, bool defaultValue = false) =>
        Run(name, context, defaultValue, withVariant: true);

    /// <summary>Gets the variant of a flag for a context (Unleash's <c>getVariant</c>).</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="context">The context; <see langword="null"/> for an empty one.</param>
    /// <returns>The variant; <see cref="FlagVariant.Disabled"/> when the flag is off or missing, <see cref="FlagVariant.DisabledWhileFeatureEnabled"/> when it is on without a variant.</returns>
    public FlagVariant GetVariant(string name, FeatureFlagContext? context = null) =>
        Run(name, context, defaultValue: false, withVariant: true).Variant;

    /// <summary>Reads the payload of the flag's variant for a context as text (any payload type: <c>string</c>, <c>json</c>, <c>csv</c>, <c>number</c>).</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="context">The context; <see langword="null"/> for an empty one.</param>
    /// <param name="defaultValue">The value when the flag is missing, off, gives no variant or payload, or cannot be evaluated.</param>
    /// <returns>The value; never throws.</returns>
    public FlagValue<string> EvaluateString(string name, FeatureFlagContext? context, string defaultValue)
    {
        FlagEvaluation evaluation = Run(name, context, defaultValue: false, withVariant: true);
        if (evaluation.ErrorCode != FlagErrorCode.None)
        {
            return new FlagValue<string>(evaluation, defaultValue, FlagEvaluationReason.Error, evaluation.ErrorCode, null);
        }

        FlagVariant variant = evaluation.Variant;
        return variant.Enabled && variant.PayloadValue is { } text
            ? new FlagValue<string>(evaluation, text, evaluation.Reason, FlagErrorCode.None, null)
            : new FlagValue<string>(evaluation, defaultValue, NoPayloadReason(evaluation), FlagErrorCode.None, null);
    }

    /// <summary>Reads the payload of the flag's variant for a context as a number; the payload must have type <c>number</c>.</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="context">The context; <see langword="null"/> for an empty one.</param>
    /// <param name="defaultValue">The value when the flag is missing, off, gives no variant or payload, or cannot be evaluated.</param>
    /// <returns>The value; <see cref="FlagErrorCode.TypeMismatch"/> with the default when the payload is not a number. Never throws.</returns>
    public FlagValue<double> EvaluateNumber(string name, FeatureFlagContext? context, double defaultValue)
    {
        FlagEvaluation evaluation = Run(name, context, defaultValue: false, withVariant: true);
        if (evaluation.ErrorCode != FlagErrorCode.None)
        {
            return new FlagValue<double>(evaluation, defaultValue, FlagEvaluationReason.Error, evaluation.ErrorCode, null);
        }

        FlagVariant variant = evaluation.Variant;
        if (!variant.Enabled || variant.PayloadValue is null)
        {
            return new FlagValue<double>(evaluation, defaultValue, NoPayloadReason(evaluation), FlagErrorCode.None, null);
        }

        if (variant.PayloadType != "number" || !CompiledConstraint.TryParseNumber(variant.PayloadValue, out double number))
        {
            return new FlagValue<double>(
                evaluation,
                defaultValue,
                FlagEvaluationReason.Error,
                FlagErrorCode.TypeMismatch,
                $"Flag '{name}' variant '{variant.Name}' has a {variant.PayloadType ?? "untyped"} payload '{variant.PayloadValue}'; a number payload is expected.");
        }

        return new FlagValue<double>(evaluation, number, evaluation.Reason, FlagErrorCode.None, null);
    }

    private static FlagEvaluationReason NoPayloadReason(FlagEvaluation evaluation) =>
        evaluation.Value ? FlagEvaluationReason.Default : evaluation.Reason;

    private FlagEvaluation Run(string name, FeatureFlagContext? context, bool defaultValue, bool withVariant)
    {
        FlagSnapshot snapshot = Volatile.Read(ref _snapshot);
        CompiledFlag? flag = name is null ? null : snapshot.Find(name);
        if (flag is null)
        {
            return new FlagEvaluation(name ?? string.Empty, defaultValue, FlagEvaluationReason.Error, FlagErrorCode.FlagNotFound, null, FlagVariant.Disabled);
        }

        if (flag.ParseError is not null)
        {
            return new FlagEvaluation(name!, defaultValue, FlagEvaluationReason.Error, FlagErrorCode.ParseError, flag.ParseError, FlagVariant.Disabled);
        }

        try
        {
            FeatureFlagContext ctx = context ?? s_emptyContext;
            bool on = FlagEngine.IsOn(snapshot, flag, ctx, _timeProvider, out FlagEvaluationReason reason, out CompiledStrategy? matched);
            FlagVariant variant = withVariant ? FlagEngine.ResolveVariant(flag, on, matched, ctx, _timeProvider)
                : on ? FlagVariant.DisabledWhileFeatureEnabled : FlagVariant.Disabled;
            return new FlagEvaluation(name!, on, reason, FlagErrorCode.None, null, variant);
        }
#pragma warning disable CA1031 // Evaluation never throws into the host: any failure is the caller's default with GENERAL.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new FlagEvaluation(name!, defaultValue, FlagEvaluationReason.Error, FlagErrorCode.General, e.Message, FlagVariant.Disabled);
        }
    }
}
