using System.Globalization;
using System.Text.RegularExpressions;
using Musubi.Monitoring.Metrics.Exposition;

namespace Musubi.Monitoring.Slo;

/// <summary>What an SLI measures; it names the indicator in rules and dashboards and does not change the maths.</summary>
public enum SliKind
{
    /// <summary>The share of requests served without a server error.</summary>
    Availability,

    /// <summary>The share of requests served within a latency threshold.</summary>
    Latency,

    /// <summary>The share of operations that did not fail.</summary>
    ErrorRate,

    /// <summary>The share of work processed within capacity (for example, messages not dropped).</summary>
    Throughput,

    /// <summary>The share of results that were correct.</summary>
    Correctness,
}

/// <summary>
/// A service level indicator as a ratio of events: bad (or good) events over all events, each a Prometheus counter
/// selector, or for latency the buckets of a histogram. Ratios are always taken from counters (rates of sums), never
/// as a mean of ratios.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class Sli
{
    /// <summary>The name of the HTTP server request histogram <c>MusubiMetrics.RecordRequest</c> and the request middleware write.</summary>
    public const string HttpRequestHistogram = "http_server_request_duration_seconds";

    private Sli(SliKind kind, MetricSelector total, MetricSelector? good, MetricSelector? bad, double? threshold)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use a defined SliKind.");
        }

        Kind = kind;
        Total = total;
        Good = good;
        Bad = bad;
        LatencyThreshold = threshold;
    }

    /// <summary>Gets what the indicator measures.</summary>
    public SliKind Kind { get; }

    /// <summary>Gets the selector of all events (a counter, or a histogram's <c>_count</c>).</summary>
    public MetricSelector Total { get; }

    /// <summary>Gets the selector of good events, when the SLI counts good events.</summary>
    public MetricSelector? Good { get; }

    /// <summary>Gets the selector of bad events, when the SLI counts bad events.</summary>
    public MetricSelector? Bad { get; }

    /// <summary>Gets the latency threshold in seconds for a histogram SLI (a bucket boundary), else <see langword="null"/>.</summary>
    public double? LatencyThreshold { get; }

    /// <summary>Gets the histogram's base name for a latency SLI, else <see langword="null"/>.</summary>
    public string? Histogram => LatencyThreshold is null ? null : Total.Metric[..^"_count".Length];

    /// <summary>An SLI from bad events over all events, such as failed payments over payments.</summary>
    /// <param name="kind">What it measures.</param>
    /// <param name="total">All events (a counter).</param>
    /// <param name="bad">The bad events (a counter); a series that does not exist yet counts as no bad events.</param>
    /// <returns>The SLI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="total"/> or <paramref name="bad"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is undefined.</exception>
    public static Sli FromBadEvents(SliKind kind, MetricSelector total, MetricSelector bad)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(bad);
        return new Sli(kind, total, null, bad, null);
    }

    /// <summary>An SLI from good events over all events, such as correct answers over answers.</summary>
    /// <param name="kind">What it measures.</param>
    /// <param name="total">All events (a counter).</param>
    /// <param name="good">The good events (a counter); a series that does not exist yet counts as no good events.</param>
    /// <returns>The SLI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="total"/> or <paramref name="good"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is undefined.</exception>
    public static Sli FromGoodEvents(SliKind kind, MetricSelector total, MetricSelector good)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(good);
        return new Sli(kind, total, good, null, null);
    }

    /// <summary>
    /// A latency SLI from a Prometheus histogram: the share of observations at or under
    /// <paramref name="thresholdSeconds"/>, which must be one of the histogram's bucket boundaries.
    /// </summary>
    /// <param name="histogram">The histogram's base name, such as <c>http_server_request_duration_seconds</c>.</param>
    /// <param name="thresholdSeconds">The threshold: a bucket boundary, finite and positive.</param>
    /// <param name="matchers">Label matchers for the histogram's series.</param>
    /// <returns>The SLI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="histogram"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="histogram"/> is not a metric name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholdSeconds"/> is not finite and positive.</exception>
    public static Sli Latency(string histogram, double thresholdSeconds, params IEnumerable<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (!double.IsFinite(thresholdSeconds) || thresholdSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdSeconds), thresholdSeconds, "A latency threshold must be a finite, positive number of seconds that is a bucket boundary of the histogram.");
        }

        var total = new MetricSelector(histogram + "_count", matchers);
        var good = new MetricSelector(histogram + "_bucket", [.. total.Matchers, new LabelMatcher("le", MatchOperator.Regex, LeRegex(thresholdSeconds))]);
        return new Sli(SliKind.Latency, total, good, null, thresholdSeconds);
    }

    /// <summary>
    /// HTTP availability from this library's request histogram: requests answered 5xx over all requests.
    /// </summary>
    /// <param name="matchers">Label matchers, such as <c>http_route</c>; none for every request.</param>
    /// <returns>The SLI.</returns>
    public static Sli HttpAvailability(params IEnumerable<LabelMatcher> matchers)
    {
        var total = new MetricSelector(HttpRequestHistogram + "_count", matchers);
        return new Sli(SliKind.Availability, total, null, total.With(new LabelMatcher("http_response_status_code", MatchOperator.Regex, "5..")), null);
    }

    /// <summary>HTTP latency from this library's request histogram: requests served within <paramref name="thresholdSeconds"/>.</summary>
    /// <param name="thresholdSeconds">A bucket boundary of the histogram, such as 0.25 or 1.</param>
    /// <param name="matchers">Label matchers, such as <c>http_route</c>; none for every request.</param>
    /// <returns>The SLI.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholdSeconds"/> is not finite and positive.</exception>
    public static Sli HttpLatency(double thresholdSeconds, params IEnumerable<LabelMatcher> matchers) =>
        Latency(HttpRequestHistogram, thresholdSeconds, matchers);

    /// <summary>The PromQL error ratio over <paramref name="window"/>; never NaN, and 0 with no traffic.</summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Zero traffic: the denominator is clamped to a tiny positive number, so 0 / tiny = 0, not NaN.</item>
    /// <item>No bad (or good) series yet: <c>or vector(0)</c> stands in for the missing sum.</item>
    /// <item>No total series at all: no result, so nothing fires on a metric that does not exist.</item>
    /// </list>
    /// </remarks>
    internal string ErrorRatio(string window)
    {
        string total = $"sum(rate({Total}[{window}]))";
        string denominator = $"clamp_min({total}, 1e-12)";
        return Bad is not null
            ? $"(sum(rate({Bad}[{window}])) or vector(0)) / {denominator}"
            : $"clamp_min({total} - (sum(rate({Good}[{window}])) or vector(0)), 0) / {denominator}";
    }

    /// <summary>A regular expression for every way Prometheus may write <paramref name="bound"/> in an <c>le</c> label (<c>1</c> and <c>1.0</c>).</summary>
    internal static string LeRegex(double bound) =>
        string.Join('|', new[] { PrometheusNumber.ToText(bound), PrometheusNumber.ToText(bound, canonical: true), bound.ToString("R", CultureInfo.InvariantCulture) }
            .Distinct(StringComparer.Ordinal)
            .Select(Regex.Escape));
}
