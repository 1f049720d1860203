namespace Musubi.Monitoring.Quality;

/// <summary>
/// Conditions a snapshot must meet, such as "line_coverage at least 80" and "new_line_coverage at least 90"; the gate
/// passes when none fails. Values are compared exactly: 79.999 does not meet "at least 80".
/// </summary>
/// <remarks>
/// A condition on a metric that was not measured (unknown, or absent from the snapshot) fails as
/// <see cref="QualityGateOutcome.NotMeasured"/>, unless the condition sets <see cref="QualityGateCondition.IgnoreUnknown"/>.
/// Immutable and thread-safe.
/// </remarks>
public sealed class QualityGate
{
    /// <summary>Creates a gate.</summary>
    /// <param name="conditions">The conditions; at least one. A metric may have several (a range).</param>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="conditions"/> is empty.</exception>
    public QualityGate(IEnumerable<QualityGateCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        QualityGateCondition[] all = [.. conditions];
        foreach (QualityGateCondition condition in all)
        {
            ArgumentNullException.ThrowIfNull(condition, nameof(conditions));
        }

        if (all.Length == 0)
        {
            throw new ArgumentException("A quality gate needs at least one condition.", nameof(conditions));
        }

        Conditions = all;
    }

    /// <summary>
    /// The gate used when none is configured: <c>line_coverage</c> at least 80 (fails when not measured),
    /// <c>failed_tests</c> at most 0 and <c>new_line_coverage</c> at least 80 (both ignored when not measured, as when
    /// no test results or no baseline report are given).
    /// </summary>
    public static QualityGate Default { get; } = new(
    [
        new QualityGateCondition(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m),
        new QualityGateCondition(QualityMetrics.FailedTests, QualityGateOperator.AtMost, 0m) { IgnoreUnknown = true },
        new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 80m) { IgnoreUnknown = true },
    ]);

    /// <summary>The conditions, in the order given.</summary>
    public IReadOnlyList<QualityGateCondition> Conditions { get; }

    /// <summary>Checks every condition against a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The result, with each condition's actual and expected value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    public QualityGateResult Evaluate(QualitySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new QualityGateResult([.. Conditions.Select(c =>
            new QualityGateConditionResult(c, snapshot.TryGet(c.Metric, out QualityMeasurement m) ? m : null))]);
    }

    /// <summary>Reads a thresholds-and-gate JSON file (see <see cref="QualityConfiguration"/>) and returns its gate.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's gate, or <see cref="Default"/> when it has no <c>gate</c> section.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="QualityConfigurationException">The file cannot be read, is not valid JSON, or has a bad entry; the message names the file, the entry and the value.</exception>
    public static QualityGate Load(string path) => QualityConfiguration.Load(path).Gate ?? Default;
}
