namespace Musubi.Monitoring.Releases;

/// <summary>Why an evaluation fell back to the caller's default (after OpenFeature's error codes).</summary>
public enum FlagErrorCode
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The snapshot has no flag of that name.</summary>
    FlagNotFound,

    /// <summary>The flag's definition could not be parsed (for example a rollout that is not a number); see <see cref="FlagEvaluation.ErrorMessage"/>.</summary>
    ParseError,

    /// <summary>The value asked for has another type than the flag's variant payload.</summary>
    TypeMismatch,

    /// <summary>An unexpected failure during evaluation.</summary>
    General,
}
