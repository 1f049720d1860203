using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Metrics.Exposition;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// Evaluates a <see cref="MetricSelector"/> against a <see cref="MetricsSnapshot"/> as Prometheus would against the
/// scrape of that snapshot: per selected series, its cumulative value.
/// </summary>
/// <remarks>
/// <para>
/// Name resolution follows the sample names the collector writes: <c>x_total</c> is counter family <c>x</c>;
/// <c>h_count</c>, <c>h_sum</c> and <c>h_bucket</c> are histogram family <c>h</c>'s count, sum and cumulative bucket
/// counts; any other name is a gauge family of that name. A counter selected without <c>_total</c> selects nothing,
/// as in Prometheus.
/// </para>
/// <para>
/// Label matchers compare with the series' labels; a missing label is the empty string, as in PromQL. Regular
/// expressions are anchored (<c>^(?:…)$</c>), culture-invariant, compiled once when the selector is compiled.
/// A bucket's <c>le</c> is matched as the number it is: an equality or regex matcher selects the bucket when either
/// of its spellings (<c>1</c> in the text format, <c>1.0</c> in OpenMetrics) matches, a negative matcher when
/// neither does.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
internal sealed class SelectorEvaluator
{
    private static readonly ConcurrentDictionary<string, Regex> s_regexes = new(StringComparer.Ordinal);

    private readonly (string Family, SampleKind Kind)[] _candidates;
    private readonly CompiledMatcher[] _matchers;
    private readonly CompiledMatcher[] _le;

    /// <summary>Compiles <paramref name="selector"/>.</summary>
    /// <exception cref="ArgumentException">A regular expression of the selector does not parse.</exception>
    public SelectorEvaluator(MetricSelector selector)
    {
        Selector = selector;
        string name = selector.Metric;
        var candidates = new List<(string, SampleKind)>();
        AddSuffix("_total", SampleKind.CounterTotal);
        AddSuffix("_count", SampleKind.HistogramCount);
        AddSuffix("_sum", SampleKind.HistogramSum);
        AddSuffix("_bucket", SampleKind.HistogramBucket);
        candidates.Add((name, SampleKind.Gauge));
        _candidates = [.. candidates];

        _matchers = [.. selector.Matchers.Where(m => m.Name != "le").Select(Compile)];
        _le = [.. selector.Matchers.Where(m => m.Name == "le").Select(Compile)];

        void AddSuffix(string suffix, SampleKind kind)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                candidates.Add((name[..^suffix.Length], kind));
            }
        }
    }

    private enum SampleKind
    {
        CounterTotal,
        HistogramCount,
        HistogramSum,
        HistogramBucket,
        Gauge,
    }

    /// <summary>Gets the selector.</summary>
    public MetricSelector Selector { get; }

    /// <summary>
    /// Calls <paramref name="visit"/> with a key that identifies each selected series and its cumulative value;
    /// nothing when no series matches. Non-finite values are skipped.
    /// </summary>
    public void Visit(MetricsSnapshot snapshot, Action<string, double> visit)
    {
        foreach ((string familyName, SampleKind kind) in _candidates)
        {
            if (snapshot.Find(familyName) is not { } family || !Fits(family.Type, kind))
            {
                continue;
            }

            foreach (MetricSeriesSnapshot series in family.Series)
            {
                if (!Matches(series))
                {
                    continue;
                }

                double value = kind switch
                {
                    SampleKind.HistogramCount => series.Histogram?.Count ?? series.Value,
                    SampleKind.HistogramSum => series.Histogram?.Sum ?? 0,
                    SampleKind.HistogramBucket => Buckets(series.Histogram),
                    _ => series.Value,
                };
                if (double.IsFinite(value))
                {
                    visit(Key(familyName, series), value);
                }
            }

            // The collector gives every sample name to one family only, so the first family that fits is the one.
            return;
        }
    }

    /// <summary>Sums the cumulative values of the selected series; 0 when none is selected.</summary>
    public double Sum(MetricsSnapshot snapshot)
    {
        double total = 0;
        Visit(snapshot, (_, value) => total += value);
        return total;
    }

    /// <summary>Compiles and caches an anchored regular expression as PromQL (RE2) anchors it.</summary>
    /// <exception cref="ArgumentException">The pattern does not parse.</exception>
    internal static Regex Anchored(string pattern) =>
        s_regexes.GetOrAdd(pattern, static p => new Regex("^(?:" + p + ")$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1)));

    private static bool Fits(MetricType type, SampleKind kind) => kind switch
    {
        SampleKind.CounterTotal => type == MetricType.Counter,
        SampleKind.Gauge => type == MetricType.Gauge,
        _ => type == MetricType.Histogram,
    };

    private static string Key(string family, MetricSeriesSnapshot series)
    {
        var key = new StringBuilder(family);
        foreach (KeyValuePair<string, string> label in series.Labels)
        {
            key.Append('\u0001').Append(label.Key).Append('\u0002').Append(label.Value);
        }

        return key.ToString();
    }

    private static CompiledMatcher Compile(LabelMatcher matcher) =>
        new(matcher.Name, matcher.Operator, matcher.Value,
            matcher.Operator is MatchOperator.Regex or MatchOperator.NotRegex ? Anchored(matcher.Value) : null);

    private bool Matches(MetricSeriesSnapshot series)
    {
        foreach (CompiledMatcher matcher in _matchers)
        {
            if (!matcher.IsMatch(series.Label(matcher.Name) ?? string.Empty))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The sum of the cumulative counts of the buckets whose <c>le</c> the matchers select.</summary>
    private double Buckets(HistogramSnapshot? histogram)
    {
        if (histogram is null)
        {
            return 0;
        }

        double total = 0;
        long cumulative = 0;
        for (int i = 0; i < histogram.BucketCounts.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            bool last = i == histogram.Bounds.Count;
            string plain = last ? "+Inf" : PrometheusNumber.ToText(histogram.Bounds[i]);
            string canonical = last ? "+Inf" : PrometheusNumber.ToText(histogram.Bounds[i], canonical: true);
            if (_le.All(m => m.Operator is MatchOperator.Equal or MatchOperator.Regex
                ? m.IsMatch(plain) || m.IsMatch(canonical)
                : m.IsMatch(plain) && m.IsMatch(canonical)))
            {
                total += cumulative;
            }
        }

        return total;
    }

    private sealed record CompiledMatcher(string Name, MatchOperator Operator, string Value, Regex? Regex)
    {
        public bool IsMatch(string value) => Operator switch
        {
            MatchOperator.Equal => string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.Regex => Regex!.IsMatch(value),
            _ => !Regex!.IsMatch(value),
        };
    }
}
