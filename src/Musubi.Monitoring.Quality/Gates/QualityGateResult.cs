namespace Musubi.Monitoring.Quality;

/// <summary>The result of a <see cref="QualityGate"/> on one snapshot: passed or failed, with every condition's actual and expected values.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class QualityGateResult
{
    internal QualityGateResult(QualityGateConditionResult[] conditions)
    {
        Conditions = conditions;
        Failures = [.. conditions.Where(c => c.IsFailure)];
    }

    /// <summary>Whether no condition failed.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Every condition's result, in the gate's order.</summary>
    public IReadOnlyList<QualityGateConditionResult> Conditions { get; }

    /// <summary>The conditions that failed (a value that does not meet them, or one not measured), in the gate's order.</summary>
    public IReadOnlyList<QualityGateConditionResult> Failures { get; }
}
