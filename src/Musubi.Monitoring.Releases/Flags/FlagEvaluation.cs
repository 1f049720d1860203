namespace Musubi.Monitoring.Releases;

/// <summary>The result of evaluating a flag: its value, why, and the variant when one was asked for.</summary>
/// <remarks>Evaluation never throws: failures give the caller's default with <see cref="FlagEvaluationReason.Error"/> and an <see cref="ErrorCode"/>.</remarks>
public readonly struct FlagEvaluation : IEquatable<FlagEvaluation>
{
    private readonly string? _errorMessage;

    internal FlagEvaluation(string flagName, bool value, FlagEvaluationReason reason, FlagErrorCode errorCode, string? errorMessage, FlagVariant variant)
    {
        FlagName = flagName;
        Value = value;
        Reason = reason;
        ErrorCode = errorCode;
        _errorMessage = errorMessage;
        Variant = variant;
    }

    /// <summary>Gets the name of the flag that was evaluated.</summary>
    public string FlagName { get; }

    /// <summary>Gets the flag's value for the context (the caller's default when <see cref="ErrorCode"/> is not <see cref="FlagErrorCode.None"/>).</summary>
    public bool Value { get; }

    /// <summary>Gets why the flag has its value.</summary>
    public FlagEvaluationReason Reason { get; }

    /// <summary>Gets the error that made the evaluation fall back to the default, or <see cref="FlagErrorCode.None"/>.</summary>
    public FlagErrorCode ErrorCode { get; }

    /// <summary>Gets a description of the error, or <see langword="null"/>.</summary>
    /// <remarks>The message for a missing flag is only built when read, so a miss allocates nothing.</remarks>
    public string? ErrorMessage => ErrorCode == FlagErrorCode.FlagNotFound && _errorMessage is null ? $"No flag named '{FlagName}'." : _errorMessage;

    /// <summary>Gets the variant for the context (the <c>disabled</c> variant when the flag is off or has none).</summary>
    public FlagVariant Variant { get; }

    /// <summary>Compares two evaluations.</summary>
    /// <param name="left">The first evaluation.</param>
    /// <param name="right">The second evaluation.</param>
    /// <returns><see langword="true"/> when all parts are equal.</returns>
    public static bool operator ==(FlagEvaluation left, FlagEvaluation right) => left.Equals(right);

    /// <summary>Compares two evaluations.</summary>
    /// <param name="left">The first evaluation.</param>
    /// <param name="right">The second evaluation.</param>
    /// <returns><see langword="true"/> when any part differs.</returns>
    public static bool operator !=(FlagEvaluation left, FlagEvaluation right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(FlagEvaluation other) =>
        string.Equals(FlagName, other.FlagName, StringComparison.Ordinal) && Value == other.Value && Reason == other.Reason &&
        ErrorCode == other.ErrorCode && string.Equals(_errorMessage, other._errorMessage, StringComparison.Ordinal) && ReferenceEquals(Variant, other.Variant);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlagEvaluation other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FlagName, Value, Reason, ErrorCode);

    /// <inheritdoc/>
    public override string ToString() =>
        ErrorCode == FlagErrorCode.None ? $"{FlagName}: {Value} ({Reason})" : $"{FlagName}: {Value} ({Reason}, {ErrorCode}: {ErrorMessage})";
}
