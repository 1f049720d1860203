namespace Musubi.Monitoring.Releases;

/// <summary>Where a <see cref="CanaryRun"/> is.</summary>
public enum CanaryState
{
    /// <summary>Running its steps (setting weights).</summary>
    Progressing,

    /// <summary>In a timed pause.</summary>
    Paused,

    /// <summary>Waiting for <see cref="CanaryRun.ApproveAsync"/>: at a <see cref="CanaryStepKind.PauseUntilApproved"/> step, or after an inconclusive analysis.</summary>
    AwaitingApproval,

    /// <summary>Running an analysis.</summary>
    Analyzing,

    /// <summary>Every step passed and the canary was promoted to 100 %. Final.</summary>
    Succeeded,

    /// <summary>An analysis failed; the rollback follows at once.</summary>
    Failed,

    /// <summary>The run was aborted; the rollback follows at once.</summary>
    Aborted,

    /// <summary>Running the rollback procedure.</summary>
    RollingBack,

    /// <summary>Every rollback step ran. Final.</summary>
    RolledBack,

    /// <summary>The rollback procedure ran to its end but at least one step threw. Final.</summary>
    RollbackFailed,
}

/// <summary>What a <see cref="CanaryEvent"/> records.</summary>
public enum CanaryEventKind
{
    /// <summary>The run moved to another <see cref="CanaryState"/>.</summary>
    StateChanged,

    /// <summary>The run started a step of its plan.</summary>
    StepStarted,

    /// <summary>The canary's weight was set (by a step, the promotion or the rollback).</summary>
    WeightSet,

    /// <summary>A metric was measured.</summary>
    Measurement,

    /// <summary>An analysis ended: successful, failed or inconclusive.</summary>
    AnalysisCompleted,

    /// <summary>The run was approved.</summary>
    Approved,

    /// <summary>A rollback step ran.</summary>
    RollbackStepSucceeded,

    /// <summary>A rollback step threw.</summary>
    RollbackStepFailed,

    /// <summary>A step of the plan threw (the router failed); the run rolls back.</summary>
    StepFailed,

    /// <summary>The <see cref="ICanaryHistory"/> threw; only in <see cref="CanaryRun.History"/>.</summary>
    HistoryWriteFailed,
}

/// <summary>One entry of a canary run's history.</summary>
/// <param name="Time">When it happened, from the run's <see cref="TimeProvider"/>.</param>
/// <param name="ReleaseId">The release the run belongs to.</param>
/// <param name="Kind">What happened.</param>
/// <param name="State">The run's state after it happened.</param>
/// <param name="StepIndex">The index of the plan step it belongs to, or <see langword="null"/> (promotion, rollback).</param>
/// <param name="Detail">What happened, in culture-invariant text.</param>
public sealed record CanaryEvent(DateTimeOffset Time, string ReleaseId, CanaryEventKind Kind, CanaryState State, int? StepIndex, string Detail);

/// <summary>Where an analysis is.</summary>
public enum AnalysisPhase
{
    /// <summary>Measuring.</summary>
    Running,

    /// <summary>Every metric had a successful measurement and none crossed a limit.</summary>
    Successful,

    /// <summary>A metric had more failures than the failure limit, or more consecutive errors than the consecutive-error limit.</summary>
    Failed,

    /// <summary>A metric had more inconclusive measurements than the limit, or no successful measurement; the run waits for approval.</summary>
    Inconclusive,

    /// <summary>The run was aborted while the analysis was running.</summary>
    Cancelled,
}

/// <summary>How one measurement of one metric counted.</summary>
public enum MeasurementOutcome
{
    /// <summary>The value met the success condition.</summary>
    Successful,

    /// <summary>The value did not meet the success condition (and met the failure condition, when there is one).</summary>
    Failed,

    /// <summary>The value met neither condition.</summary>
    Inconclusive,

    /// <summary>The provider threw or reported an error.</summary>
    Error,

    /// <summary>The provider found no data; it counted as the analysis's <see cref="NoDataPolicy"/> says.</summary>
    NoData,
}

/// <summary>One measurement of one metric in an analysis.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Window">The window measured.</param>
/// <param name="Outcome">How it counted.</param>
/// <param name="Measurement">What the provider returned (an error for an exception).</param>
public sealed record AnalysisMeasurement(string Metric, CanaryWindow Window, MeasurementOutcome Outcome, MetricMeasurement Measurement);

/// <summary>The counts of one metric in an analysis.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Successful">Successful measurements.</param>
/// <param name="Failed">Failed measurements, including no data under <see cref="NoDataPolicy.Fail"/>.</param>
/// <param name="Inconclusive">Inconclusive measurements, including no data under <see cref="NoDataPolicy.Inconclusive"/>.</param>
/// <param name="Errors">Errors, including no data under <see cref="NoDataPolicy.Error"/>.</param>
/// <param name="ConsecutiveErrors">Errors since the last measurement that was not an error (no data under <see cref="NoDataPolicy.Ignore"/> does not break a run of errors).</param>
/// <param name="NoData">Measurements that found no data, whatever they counted as.</param>
public sealed record AnalysisMetricResult(string Metric, int Successful, int Failed, int Inconclusive, int Errors, int ConsecutiveErrors, int NoData);

/// <summary>An analysis of a canary run, as it stands.</summary>
/// <param name="StepIndex">The plan step that runs it.</param>
/// <param name="Phase">Where it is.</param>
/// <param name="Reason">Why it ended, in culture-invariant text; <see langword="null"/> while running.</param>
/// <param name="Metrics">The counts per metric, in the analysis's order.</param>
/// <param name="Measurements">Every measurement, in order.</param>
public sealed record CanaryAnalysisResult(
    int StepIndex, AnalysisPhase Phase, string? Reason, IReadOnlyList<AnalysisMetricResult> Metrics, IReadOnlyList<AnalysisMeasurement> Measurements);
