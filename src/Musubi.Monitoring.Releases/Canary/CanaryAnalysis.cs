using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>What a measurement that found no data counts as.</summary>
public enum NoDataPolicy
{
    /// <summary>A failed measurement, counted against <see cref="CanaryAnalysis.FailureLimit"/> (Flagger's behaviour; the default).</summary>
    Fail,

    /// <summary>An error, counted against <see cref="CanaryAnalysis.ConsecutiveErrorLimit"/>, as when the provider throws.</summary>
    Error,

    /// <summary>An inconclusive measurement, counted against <see cref="CanaryAnalysis.InconclusiveLimit"/>: too many pause the run.</summary>
    Inconclusive,

    /// <summary>
    /// Nothing: the interval is used up but counts as neither success, failure, error nor inconclusive. A metric that
    /// never has data still has no successful measurement, so the analysis ends inconclusive, never successful.
    /// </summary>
    Ignore,
}

/// <summary>
/// A canary analysis: metrics measured every <see cref="Interval"/>, <see cref="Count"/> times, each measurement judged
/// against its metric's conditions, with Argo Rollouts' limits.
/// </summary>
/// <remarks>
/// <para>
/// <b>Measurements.</b> The first measurement is taken one <see cref="Interval"/> after the analysis starts, over the
/// window from the start; each next one an interval later, over the window since the previous one. Every metric is
/// measured at each interval and counted on its own: a value meeting the success condition is successful; otherwise
/// it is failed (or inconclusive, when the metric has a failure condition the value does not meet either); a provider
/// that throws or reports an error is an error; no data counts as <see cref="NoDataPolicy"/> says.
/// </para>
/// <para>
/// <b>Result</b>, decided after every interval, in this order, for any metric: more failures than
/// <see cref="FailureLimit"/> (<c>failures &gt; limit</c>), or more consecutive errors than
/// <see cref="ConsecutiveErrorLimit"/>, fails the analysis (the run rolls back); more inconclusive measurements than
/// <see cref="InconclusiveLimit"/> makes it inconclusive (the run pauses for approval). After <see cref="Count"/>
/// intervals it is successful when every metric had at least one successful measurement, and inconclusive otherwise:
/// an analysis with no successful measurement is never successful.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class CanaryAnalysis
{
    /// <summary>Initializes a new instance of the <see cref="CanaryAnalysis"/> class.</summary>
    /// <param name="metrics">The metrics to measure, with distinct names.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no metrics, one is <see langword="null"/>, or two share a name.</exception>
    public CanaryAnalysis(IEnumerable<AnalysisMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        AnalysisMetric[] list = [.. metrics];
        if (list.Length == 0)
        {
            throw new ArgumentException("A canary analysis needs at least one metric; none was given.", nameof(metrics));
        }

        int missing = Array.IndexOf(list, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"Metric {missing} of the canary analysis is null.", nameof(metrics));
        }

        string? repeated = list.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"Two metrics of the canary analysis are named '{repeated}'; names must be distinct.", nameof(metrics));
        }

        Metrics = list;
    }

    /// <summary>Gets the metrics, in order.</summary>
    public IReadOnlyList<AnalysisMetric> Metrics { get; }

    /// <summary>Gets the time between measurements, which is also each measurement's window.</summary>
    /// <value>The default is 1 minute; more than zero and at most <see cref="CanaryStep.MaxDuration"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero, negative or longer than <see cref="CanaryStep.MaxDuration"/>.</exception>
    public TimeSpan Interval
    {
        get;
        init
        {
            if (value <= TimeSpan.Zero || value > CanaryStep.MaxDuration)
            {
                throw new ArgumentOutOfRangeException(nameof(Interval), value,
                    $"CanaryAnalysis.Interval: an analysis interval is more than zero and at most {CanaryStep.MaxDuration.TotalDays.ToString(CultureInfo.InvariantCulture)} days; {value.ToString("c", CultureInfo.InvariantCulture)} was given.");
            }

            field = value;
        }
    } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the number of measurements (intervals) after which the analysis ends.</summary>
    /// <value>The default is 5; at least 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Count
    {
        get;
        init => field = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Count), value, $"CanaryAnalysis.Count is {value}; an analysis takes at least 1 measurement.");
    } = 5;

    /// <summary>Gets the number of failed measurements a metric may have: the analysis fails when <c>failures &gt; FailureLimit</c>.</summary>
    /// <value>The default is 0 (the first failure fails the analysis); at least 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int FailureLimit
    {
        get;
        init => field = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(FailureLimit), value, $"CanaryAnalysis.FailureLimit is {value}; it is the number of failures tolerated, 0 or more.");
    }

    /// <summary>Gets the number of errors in a row a metric may have: the analysis fails when <c>consecutive errors &gt; ConsecutiveErrorLimit</c>.</summary>
    /// <value>The default is 4 (as in Argo Rollouts); at least 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int ConsecutiveErrorLimit
    {
        get;
        init => field = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(ConsecutiveErrorLimit), value, $"CanaryAnalysis.ConsecutiveErrorLimit is {value}; it is the number of errors in a row tolerated, 0 or more.");
    } = 4;

    /// <summary>Gets the number of inconclusive measurements a metric may have: the analysis is inconclusive (the run pauses) when <c>inconclusive &gt; InconclusiveLimit</c>.</summary>
    /// <value>The default is 0; at least 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int InconclusiveLimit
    {
        get;
        init => field = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(InconclusiveLimit), value, $"CanaryAnalysis.InconclusiveLimit is {value}; it is the number of inconclusive measurements tolerated, 0 or more.");
    }

    /// <summary>Gets what a measurement with no data counts as.</summary>
    /// <value>The default is <see cref="NoDataPolicy.Fail"/>, as in Flagger.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Releases.NoDataPolicy"/>.</exception>
    public NoDataPolicy NoDataPolicy
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(NoDataPolicy), value, $"CanaryAnalysis.NoDataPolicy is {value}; use Fail, Error, Inconclusive or Ignore.");
    }
}

/// <summary>One metric of a <see cref="CanaryAnalysis"/>: a query and the conditions a measured value is judged by.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AnalysisMetric
{
    /// <summary>Initializes a new instance of the <see cref="AnalysisMetric"/> class.</summary>
    /// <param name="name">The metric's name in results and history, for example <c>success-rate</c>.</param>
    /// <param name="query">What the <see cref="ICanaryMetricsProvider"/> measures.</param>
    /// <param name="successCondition">The condition a successful value meets.</param>
    /// <param name="failureCondition">
    /// The condition a failed value meets; a value meeting neither is inconclusive. <see langword="null"/> (the default)
    /// makes every value that does not meet <paramref name="successCondition"/> a failure.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="query"/> or <paramref name="successCondition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public AnalysisMetric(string name, CanaryQuery query, AnalysisCondition successCondition, AnalysisCondition? failureCondition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(successCondition);
        Name = name;
        Query = query;
        SuccessCondition = successCondition;
        FailureCondition = failureCondition;
    }

    /// <summary>Gets the metric's name.</summary>
    public string Name { get; }

    /// <summary>Gets the query.</summary>
    public CanaryQuery Query { get; }

    /// <summary>Gets the condition a successful value meets.</summary>
    public AnalysisCondition SuccessCondition { get; }

    /// <summary>Gets the condition a failed value meets, or <see langword="null"/> when every unsuccessful value fails.</summary>
    public AnalysisCondition? FailureCondition { get; }

    /// <summary>Judges a measured value.</summary>
    internal MeasurementOutcome Judge(double value)
    {
        if (SuccessCondition.IsMet(value))
        {
            return MeasurementOutcome.Successful;
        }

        return FailureCondition is null || FailureCondition.IsMet(value) ? MeasurementOutcome.Failed : MeasurementOutcome.Inconclusive;
    }
}

/// <summary>How an <see cref="AnalysisCondition"/> compares a value with its threshold.</summary>
public enum ComparisonOperator
{
    /// <summary><c>value &gt;= threshold</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>value &gt; threshold</c>.</summary>
    GreaterThan,

    /// <summary><c>value &lt;= threshold</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>value &lt; threshold</c>.</summary>
    LessThan,
}

/// <summary>A comparison of a measured value with a threshold, for example <c>&gt;= 0.99</c> or <c>&lt;= 0.5</c>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AnalysisCondition
{
    private AnalysisCondition(ComparisonOperator op, double threshold)
    {
        if (!Enum.IsDefined(op))
        {
            throw new ArgumentOutOfRangeException(nameof(op), op, "Use a defined ComparisonOperator.");
        }

        if (!double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold,
                $"A condition's threshold is a finite number; {threshold.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        Operator = op;
        Threshold = threshold;
    }

    /// <summary>Gets the comparison.</summary>
    public ComparisonOperator Operator { get; }

    /// <summary>Gets the threshold.</summary>
    public double Threshold { get; }

    /// <summary>Creates the condition <c>value &gt;= threshold</c>.</summary>
    /// <param name="threshold">The threshold, a finite number.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public static AnalysisCondition AtLeast(double threshold) => new(ComparisonOperator.GreaterThanOrEqual, threshold);

    /// <summary>Creates the condition <c>value &gt; threshold</c>.</summary>
    /// <inheritdoc cref="AtLeast" path="/param"/>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public static AnalysisCondition Above(double threshold) => new(ComparisonOperator.GreaterThan, threshold);

    /// <summary>Creates the condition <c>value &lt;= threshold</c>.</summary>
    /// <inheritdoc cref="AtLeast" path="/param"/>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public static AnalysisCondition AtMost(double threshold) => new(ComparisonOperator.LessThanOrEqual, threshold);

    /// <summary>Creates the condition <c>value &lt; threshold</c>.</summary>
    /// <inheritdoc cref="AtLeast" path="/param"/>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public static AnalysisCondition Below(double threshold) => new(ComparisonOperator.LessThan, threshold);

    /// <summary>Tells whether <paramref name="value"/> meets the condition (NaN never does).</summary>
    /// <param name="value">The measured value.</param>
    /// <returns><see langword="true"/> when the comparison holds.</returns>
    public bool IsMet(double value) => Operator switch
    {
        ComparisonOperator.GreaterThanOrEqual => value >= Threshold,
        ComparisonOperator.GreaterThan => value > Threshold,
        ComparisonOperator.LessThanOrEqual => value <= Threshold,
        _ => value < Threshold,
    };

    /// <summary>Writes the condition in culture-invariant text, for example <c>&gt;= 0.99</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Operator switch
    {
        ComparisonOperator.GreaterThanOrEqual => ">= ",
        ComparisonOperator.GreaterThan => "> ",
        ComparisonOperator.LessThanOrEqual => "<= ",
        _ => "< ",
    } + Threshold.ToString("R", CultureInfo.InvariantCulture);
}
