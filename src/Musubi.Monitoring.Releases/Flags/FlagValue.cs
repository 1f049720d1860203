namespace Musubi.Monitoring.Releases;

/// <summary>A typed value read from the payload of a flag's variant, with why it is what it is.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>Evaluation never throws: failures give the caller's default with <see cref="FlagEvaluationReason.Error"/> and an <see cref="ErrorCode"/>.</remarks>
public readonly struct FlagValue<T> : IEquatable<FlagValue<T>>
{
    internal FlagValue(FlagEvaluation evaluation, T value, FlagEvaluationReason reason, FlagErrorCode errorCode, string? errorMessage)
    {
        FlagName = evaluation.FlagName;
        Variant = evaluation.Variant;
        Value = value;
        Reason = reason;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage ?? evaluation.ErrorMessage;
    }

    /// <summary>Gets the name of the flag that was evaluated.</summary>
    public string FlagName { get; }

    /// <summary>Gets the payload value, or the caller's default when the flag is off, has no variant or payload for the context, or on error.</summary>
    public T Value { get; }

    /// <summary>Gets why the value is what it is (<see cref="FlagEvaluationReason.Default"/> when the flag is on but gives no payload).</summary>
    public FlagEvaluationReason Reason { get; }

    /// <summary>Gets the error that made the value the default, or <see cref="FlagErrorCode.None"/>.</summary>
    public FlagErrorCode ErrorCode { get; }

    /// <summary>Gets a description of the error, or <see langword="null"/>.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets the variant the value came from.</summary>
    public FlagVariant Variant { get; }

    /// <summary>Compares two values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when all parts are equal.</returns>
    public static bool operator ==(FlagValue<T> left, FlagValue<T> right) => left.Equals(right);

    /// <summary>Compares two values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when any part differs.</returns>
    public static bool operator !=(FlagValue<T> left, FlagValue<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(FlagValue<T> other) =>
        string.Equals(FlagName, other.FlagName, StringComparison.Ordinal) && EqualityComparer<T>.Default.Equals(Value, other.Value) &&
        Reason == other.Reason && ErrorCode == other.ErrorCode && ReferenceEquals(Variant, other.Variant);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlagValue<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FlagName, Value, Reason, ErrorCode);

    /// <inheritdoc/>
    public override string ToString() =>
        ErrorCode == FlagErrorCode.None ? $"{FlagName}: {Value} ({Reason})" : $"{FlagName}: {Value} ({Reason}, {ErrorCode}: {ErrorMessage})";
}
