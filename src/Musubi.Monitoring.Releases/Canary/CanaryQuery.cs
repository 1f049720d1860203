using System.Globalization;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Releases;

/// <summary>What a <see cref="CanaryQuery"/> measures.</summary>
public enum CanaryQueryKind
{
    /// <summary>The share of HTTP requests without a server error (status 500–599): <c>1 − 5xx / total</c>.</summary>
    SuccessRatio,

    /// <summary>The share of HTTP requests with a server error: <c>5xx / total</c>.</summary>
    ErrorRatio,

    /// <summary>A quantile of the HTTP request duration, in seconds.</summary>
    LatencyQuantile,

    /// <summary>A function of the metrics snapshots at the window's end and start.</summary>
    Custom,

    /// <summary>A query in a provider's own language (for example PromQL), for providers other than <see cref="CollectorCanaryMetrics"/>.</summary>
    Named,
}

/// <summary>
/// What an <see cref="AnalysisMetric"/> measures over a window: an HTTP success or error ratio, a latency quantile, a
/// custom function of metrics snapshots, or a provider's own query text.
/// </summary>
/// <remarks>
/// The HTTP queries read the request histogram <c>http_server_request_duration_seconds</c> that
/// <c>MusubiMetrics.RecordRequest</c> and the request middleware write, restricted to the series carrying every label
/// in <see cref="Labels"/> (Prometheus names: <c>http_route</c>, <c>http_request_method</c>,
/// <c>http_response_status_code</c>, or any label a canary's series carry). Immutable and thread-safe.
/// </remarks>
public sealed class CanaryQuery
{
    /// <summary>The request histogram the HTTP queries read.</summary>
    public const string HttpRequestHistogram = "http_server_request_duration_seconds";

    /// <summary>The label holding the response status code.</summary>
    public const string StatusCodeLabel = "http_response_status_code";

    /// <summary>The label holding the route template.</summary>
    public const string RouteLabel = "http_route";

    private CanaryQuery(CanaryQueryKind kind, ReadOnlySpan<(string Name, string Value)> labels, double quantile,
        Func<MetricsSnapshot, MetricsSnapshot?, double?>? custom, string? text)
    {
        var list = new KeyValuePair<string, string>[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            (string name, string value) = labels[i];
            if (string.IsNullOrEmpty(name) || value is null)
            {
                throw new ArgumentException($"Label filter {i} needs a name and a value; ('{name}', '{value}') was given.", nameof(labels));
            }

            list[i] = new(name, value);
        }

        Kind = kind;
        Labels = list;
        Quantile = quantile;
        CustomQuery = custom;
        Text = text;
    }

    /// <summary>Gets what the query measures.</summary>
    public CanaryQueryKind Kind { get; }

    /// <summary>Gets the labels every series read must carry (HTTP queries); empty for all series.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>Gets the quantile, from 0 to 1, for <see cref="CanaryQueryKind.LatencyQuantile"/>; otherwise 0.</summary>
    public double Quantile { get; }

    /// <summary>
    /// Gets the function of a <see cref="CanaryQueryKind.Custom"/> query: given the snapshot at the window's end and the
    /// one at its start (<see langword="null"/> when there is none), it returns the value, or <see langword="null"/> for no data.
    /// </summary>
    public Func<MetricsSnapshot, MetricsSnapshot?, double?>? CustomQuery { get; }

    /// <summary>Gets the text of a <see cref="CanaryQueryKind.Named"/> query; otherwise <see langword="null"/>.</summary>
    public string? Text { get; }

    /// <summary>Creates a query of the share of HTTP requests without a server error over the window (<c>1 − 5xx / total</c>).</summary>
    /// <param name="labels">Labels every series counted must carry, for example <c>("http_route", "/orders")</c>; none counts all.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentException">A label has an empty name or a <see langword="null"/> value.</exception>
    public static CanaryQuery SuccessRatio(params ReadOnlySpan<(string Name, string Value)> labels) => new(CanaryQueryKind.SuccessRatio, labels, 0, null, null);

    /// <summary>Creates a query of the share of HTTP requests with a server error over the window (<c>5xx / total</c>).</summary>
    /// <inheritdoc cref="SuccessRatio" path="/param"/>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentException">A label has an empty name or a <see langword="null"/> value.</exception>
    public static CanaryQuery ErrorRatio(params ReadOnlySpan<(string Name, string Value)> labels) => new(CanaryQueryKind.ErrorRatio, labels, 0, null, null);

    /// <summary>Creates a query of a quantile of the HTTP request duration over the window, in seconds.</summary>
    /// <param name="quantile">The quantile, from 0 to 1 (0.99 for p99).</param>
    /// <param name="labels">Labels every series counted must carry; none counts all.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantile"/> is not between 0 and 1.</exception>
    /// <exception cref="ArgumentException">A label has an empty name or a <see langword="null"/> value.</exception>
    public static CanaryQuery LatencyQuantile(double quantile, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        if (double.IsNaN(quantile) || quantile < 0 || quantile > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile,
                $"A quantile is between 0 and 1; {quantile.ToString(CultureInfo.InvariantCulture)} was given.");
        }

        return new(CanaryQueryKind.LatencyQuantile, labels, quantile, null, null);
    }

    /// <summary>Creates a query of the 99th percentile of the HTTP request duration over the window, in seconds.</summary>
    /// <param name="labels">Labels every series counted must carry; none counts all.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentException">A label has an empty name or a <see langword="null"/> value.</exception>
    public static CanaryQuery P99Latency(params ReadOnlySpan<(string Name, string Value)> labels) => LatencyQuantile(0.99, labels);

    /// <summary>Creates a query computed by <paramref name="query"/> from the snapshots at the window's end and start.</summary>
    /// <param name="query">Returns the value, or <see langword="null"/> (or NaN) for no data; an exception is a measurement error.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public static CanaryQuery Custom(Func<MetricsSnapshot, MetricsSnapshot?, double?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new(CanaryQueryKind.Custom, [], 0, query, null);
    }

    /// <summary>Creates a query in a provider's own language, such as PromQL, for a provider that runs it.</summary>
    /// <param name="text">The query text.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty or white space.</exception>
    public static CanaryQuery Named(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new(CanaryQueryKind.Named, [], 0, null, text);
    }

    /// <summary>Describes the query in culture-invariant text.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        string filter = Labels.Count == 0 ? string.Empty : "{" + string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
        return Kind switch
        {
            CanaryQueryKind.SuccessRatio => "success ratio" + filter,
            CanaryQueryKind.ErrorRatio => "error ratio" + filter,
            CanaryQueryKind.LatencyQuantile => "latency quantile " + Quantile.ToString("R", CultureInfo.InvariantCulture) + filter,
            CanaryQueryKind.Custom => "custom",
            _ => Text!,
        };
    }
}
