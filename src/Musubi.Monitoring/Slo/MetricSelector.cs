using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Slo;

/// <summary>How a <see cref="LabelMatcher"/> compares a label's value.</summary>
public enum MatchOperator
{
    /// <summary><c>=</c>: equal.</summary>
    Equal,

    /// <summary><c>!=</c>: not equal.</summary>
    NotEqual,

    /// <summary><c>=~</c>: matches the regular expression (anchored, RE2).</summary>
    Regex,

    /// <summary><c>!~</c>: does not match the regular expression.</summary>
    NotRegex,
}

/// <summary>One PromQL label matcher, such as <c>http_response_status_code=~"5.."</c>.</summary>
/// <remarks>Immutable and thread-safe. Values are escaped when written, so any text is safe.</remarks>
public sealed partial record LabelMatcher
{
    /// <summary>Initializes a new instance of the <see cref="LabelMatcher"/> class.</summary>
    /// <param name="name">The label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</param>
    /// <param name="op">The operator.</param>
    /// <param name="value">The value or regular expression.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is not a Prometheus label name, <paramref name="op"/> is undefined, or a regular expression does
    /// not parse or uses what RE2 lacks (lookaround, backreferences, atomic groups).
    /// </exception>
    public LabelMatcher(string name, MatchOperator op, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!LabelName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus label name; use [a-zA-Z_][a-zA-Z0-9_]*.", nameof(name));
        }

        if (!Enum.IsDefined(op))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{(int)op} is not a MatchOperator."), nameof(op));
        }

        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            CheckRegex(name, value);
        }

        Name = name;
        Operator = op;
        Value = value;
    }

    /// <summary>Gets the label name.</summary>
    public string Name { get; }

    /// <summary>Gets the operator.</summary>
    public MatchOperator Operator { get; }

    /// <summary>Gets the value or regular expression.</summary>
    public string Value { get; }

    /// <summary>Returns the matcher as PromQL: <c>name="value"</c> with the value escaped.</summary>
    /// <returns>The PromQL text.</returns>
    public override string ToString() => Name + Operator switch
    {
        MatchOperator.NotEqual => "!=",
        MatchOperator.Regex => "=~",
        MatchOperator.NotRegex => "!~",
        _ => "=",
    } + Quote(Value);

    /// <summary>A PromQL double-quoted string literal.</summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*\\z")]
    internal static partial Regex LabelName();

    /// <summary>Refuses a pattern that does not parse, or uses what Prometheus' RE2 lacks (lookaround, backreferences, atomic groups).</summary>
    private static void CheckRegex(string name, string value)
    {
        try
        {
            _ = new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The regular expression {Quote(value)} for the label '{name}' does not parse: {ex.Message}", nameof(value), ex);
        }

        if (Re2Unsupported().IsMatch(value))
        {
            throw new ArgumentException($"The regular expression {Quote(value)} for the label '{name}' uses lookaround, a backreference or an atomic group, which Prometheus' RE2 does not support.", nameof(value));
        }
    }

    [GeneratedRegex(@"\(\?(=|!|<=|<!|>)|\\k<|\\[1-9]")]
    private static partial Regex Re2Unsupported();
}

/// <summary>A PromQL series selector: a metric name and label matchers, such as <c>http_requests_total{job="api"}</c>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial record MetricSelector
{
    /// <summary>Initializes a new instance of the <see cref="MetricSelector"/> class.</summary>
    /// <param name="metric">The metric name as Prometheus stores it (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>), such as <c>orders_total</c>.</param>
    /// <param name="matchers">Label matchers; none selects every series of the metric.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>, or a matcher is.</exception>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not a Prometheus metric name.</exception>
    public MetricSelector(string metric, params IEnumerable<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!MetricName().IsMatch(metric))
        {
            throw new ArgumentException($"'{metric}' is not a Prometheus metric name; use [a-zA-Z_:][a-zA-Z0-9_:]*, as the series is stored (orders_total, not orders.total).", nameof(metric));
        }

        LabelMatcher[] list = matchers is null ? [] : [.. matchers];
        foreach (LabelMatcher matcher in list)
        {
            ArgumentNullException.ThrowIfNull(matcher, nameof(matchers));
        }

        Metric = metric;
        Matchers = list;
    }

    /// <summary>Gets the metric name.</summary>
    public string Metric { get; }

    /// <summary>Gets the label matchers.</summary>
    public IReadOnlyList<LabelMatcher> Matchers { get; }

    /// <summary>Returns a selector for the same metric with more matchers.</summary>
    /// <param name="matchers">The matchers to add.</param>
    /// <returns>A new selector.</returns>
    public MetricSelector With(params IEnumerable<LabelMatcher> matchers) => new(Metric, [.. Matchers, .. matchers]);

    /// <summary>Returns a selector for another metric with the same matchers (a histogram's <c>_count</c> or <c>_bucket</c>).</summary>
    internal MetricSelector ForMetric(string metric) => new(metric, Matchers);

    /// <summary>Returns the selector as PromQL.</summary>
    /// <returns>The PromQL text, such as <c>orders_total{job="api"}</c>.</returns>
    public override string ToString() =>
        Matchers.Count == 0 ? Metric : $"{Metric}{{{string.Join(",", Matchers)}}}";

    /// <summary>Gets whether two selectors select the same series (same metric and matchers in the same order).</summary>
    /// <param name="other">The other selector.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public bool Equals(MetricSelector? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*\\z")]
    private static partial Regex MetricName();
}
