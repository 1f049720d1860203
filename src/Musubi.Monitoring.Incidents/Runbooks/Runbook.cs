using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>What a <see cref="RunbookExecution"/> does when a step fails or times out.</summary>
public enum StepFailurePolicy
{
    /// <summary>Stop the run: it ends <see cref="RunbookExecutionStatus.Aborted"/>.</summary>
    Abort,

    /// <summary>Record the failure and go on with the next step: the run ends <see cref="RunbookExecutionStatus.CompletedWithFailures"/>.</summary>
    Continue,

    /// <summary>Run the step again, up to <see cref="RunbookStep.RetryCount"/> more times; when it still fails, abort.</summary>
    Retry,
}

/// <summary>One step of a <see cref="Runbook"/>. It is checked when the runbook is built.</summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed record RunbookStep
{
    /// <summary>The longest allowed <see cref="Timeout"/>: 30 days.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    /// <summary>The most retries a step may have: 100.</summary>
    public const int MaxRetryCount = 100;

    /// <summary>Gets the id, unique within the runbook (ordinal); executions and timeline entries name steps by it.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the instructions for the person or the executor.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the command to run, if the step has one. Executors read it; the runner does not interpret it.</summary>
    public string? Command { get; init; }

    /// <summary>
    /// Gets what the step should print or show when it worked, for the person running it. The runner does not compare
    /// it with an executor's output; an executor may.
    /// </summary>
    public string? ExpectedOutput { get; init; }

    /// <summary>Gets what happens when the step fails or times out.</summary>
    /// <value>The default is <see cref="StepFailurePolicy.Abort"/>.</value>
    public StepFailurePolicy OnFailure { get; init; }

    /// <summary>
    /// Gets how many more times a failed step is run when <see cref="OnFailure"/> is <see cref="StepFailurePolicy.Retry"/>
    /// (so at most <c>RetryCount + 1</c> attempts); 1 to <see cref="MaxRetryCount"/> with Retry, 0 otherwise.
    /// </summary>
    /// <value>The default is 0.</value>
    public int RetryCount { get; init; }

    /// <summary>
    /// Gets how long one attempt may take, if it is limited; positive, at most <see cref="MaxTimeout"/>. An attempt still
    /// running then is cut off (its executor is cancelled) and counts as a failure.
    /// </summary>
    /// <value>The default is <see langword="null"/> (no limit).</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Gets whether a person must confirm before the step runs (<see cref="RunbookExecution.Confirm"/>). The wait for the
    /// confirmation is not limited by <see cref="Timeout"/>.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RequiresConfirmation { get; init; }
}

/// <summary>
/// A versioned runbook: the ordered steps to follow for one kind of problem. Build it with the constructor, which checks
/// every step; keep the versions in a <see cref="RunbookCatalog"/> and run one with a <see cref="RunbookRunner"/>.
/// </summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed class Runbook
{
    /// <summary>Initializes a new instance of the <see cref="Runbook"/> class.</summary>
    /// <param name="id">The id, the same for every version; non-empty.</param>
    /// <param name="title">The title; non-empty.</param>
    /// <param name="version">The version; 1 or more.</param>
    /// <param name="steps">The steps, in the order they run; at least one.</param>
    /// <param name="description">What the runbook is for, if said.</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> or <paramref name="title"/> is null or white space; or <paramref name="steps"/> is empty,
    /// holds a null step, a step without an id or text, two steps with one id, a retry count without
    /// <see cref="StepFailurePolicy.Retry"/> (or Retry without a retry count from 1 to <see cref="RunbookStep.MaxRetryCount"/>),
    /// an unknown failure policy, or a timeout that is not positive or is over <see cref="RunbookStep.MaxTimeout"/>.
    /// The message names the step and the value.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    public Runbook(string id, string title, int version, IEnumerable<RunbookStep> steps, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(steps);
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version,
                string.Create(CultureInfo.InvariantCulture, $"Runbook '{id}' has version {version}; versions start at 1."));
        }

        ImmutableArray<RunbookStep> list = [.. steps];
        if (list.IsEmpty)
        {
            throw new ArgumentException($"Runbook '{id}' has no steps; add at least one.", nameof(steps));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Length; i++)
        {
            if (Problem(id, list[i], i + 1, seen) is { } problem)
            {
                throw new ArgumentException(problem, nameof(steps));
            }
        }

        Id = id;
        Title = title;
        Version = version;
        Steps = list;
        Description = string.IsNullOrWhiteSpace(description) ? null : description;
    }

    /// <summary>Gets the id, the same for every version.</summary>
    public string Id { get; }

    /// <summary>Gets the title.</summary>
    public string Title { get; }

    /// <summary>Gets the version; 1 or more.</summary>
    public int Version { get; }

    /// <summary>Gets what the runbook is for, if said.</summary>
    public string? Description { get; }

    /// <summary>Gets the steps, in the order they run.</summary>
    public ImmutableArray<RunbookStep> Steps { get; }

    /// <summary>Returns the runbook's id and version, such as <c>restart-api v2</c>.</summary>
    /// <returns>The id and version.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} v{Version}");

    private static string? Problem(string runbookId, RunbookStep? step, int number, Dictionary<string, int> seen)
    {
        if (step is null)
        {
            return Invariant($"Step {number} of runbook '{runbookId}' is null.");
        }

        if (string.IsNullOrWhiteSpace(step.Id))
        {
            return Invariant($"Step {number} of runbook '{runbookId}' has no id; give every step a unique id.");
        }

        string name = Invariant($"Step {number} ('{step.Id}') of runbook '{runbookId}'");
        if (!seen.TryAdd(step.Id, number))
        {
            return Invariant($"{name} has the same id as step {seen[step.Id]}; step ids must be unique.");
        }

        if (string.IsNullOrWhiteSpace(step.Text))
        {
            return $"{name} has no text; say what to do.";
        }

        if (!Enum.IsDefined(step.OnFailure))
        {
            return Invariant($"{name} has failure policy {(int)step.OnFailure}; use Abort, Continue or Retry.");
        }

        if (step.OnFailure == StepFailurePolicy.Retry && step.RetryCount is < 1 or > RunbookStep.MaxRetryCount)
        {
            return Invariant(
                $"{name} retries on failure with RetryCount {step.RetryCount}; use 1 to {RunbookStep.MaxRetryCount}.");
        }

        if (step.OnFailure != StepFailurePolicy.Retry && step.RetryCount != 0)
        {
            return Invariant(
                $"{name} has RetryCount {step.RetryCount} but OnFailure {step.OnFailure}; a retry count needs OnFailure Retry.");
        }

        if (step.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > RunbookStep.MaxTimeout))
        {
            return Invariant(
                $"{name} has timeout {timeout:c}; use a positive timeout of at most {RunbookStep.MaxTimeout:c}, or none.");
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
