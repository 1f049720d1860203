using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// The <see cref="IQualitySource"/> that <c>AddQuality</c> registers: collects every configured source in order, then
/// the host metrics, and merges them into one snapshot stamped by the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// Precedence: for each metric id the first <em>measured</em> value wins, in the order options sources, sources added
/// with <c>AddQualitySource</c>, host metrics; when no source measured it, the first unknown is kept. A later duplicate
/// is dropped with a warning in the snapshot (and the log) naming the metric and both sources.
/// </para>
/// <para>
/// Never throws into the caller except for its own cancellation: a failing source is left out with a warning; a host
/// metric that throws, returns <see langword="null"/>, or returns a value its unit does not allow is unknown with the reason.
/// Thread-safe: collections may run concurrently.
/// </para>
/// </remarks>
internal sealed class CompositeQualitySource : IQualitySource
{
    private readonly (string Name, IQualitySource Source)[] _sources;
    private readonly QualityHostMetric[] _hostMetrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CompositeQualitySource(IEnumerable<IQualitySource> sources, IEnumerable<QualityHostMetric> hostMetrics, TimeProvider time, ILogger logger)
    {
        IQualitySource[] all = [.. sources];
        _sources = [.. all.Select((s, i) => (Name(s, i, all), s))];
        _hostMetrics = [.. hostMetrics];
        _time = time;
        _logger = logger;
    }

    public async Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default)
    {
        var kept = new Dictionary<string, (QualityMeasurement Measurement, string From)>(StringComparer.Ordinal);
        var order = new List<string>();
        var sourcesRead = new List<string>();
        var warnings = new List<string>();

        void Offer(QualityMeasurement measurement, string from)
        {
            if (!kept.TryGetValue(measurement.Metric, out var existing))
            {
                kept.Add(measurement.Metric, (measurement, from));
                order.Add(measurement.Metric);
                return;
            }

            if (!existing.Measurement.IsKnown && measurement.IsKnown)
            {
                kept[measurement.Metric] = (measurement, from);
                if (!string.Equals(existing.From, from, StringComparison.Ordinal))
                {
                    warnings.Add($"Metric '{measurement.Metric}' from {from} replaces the unknown one from {existing.From}.");
                }

                return;
            }

            string ignored = $"Metric '{measurement.Metric}' from {from} was ignored: {existing.From} measured it first.";
            warnings.Add(ignored);
            QualityEvaluationLog.DuplicateMetric(_logger, measurement.Metric, from, existing.From);
        }

        foreach ((string name, IQualitySource source) in _sources)
        {
            QualitySnapshot snapshot;
            try
            {
                snapshot = await source.CollectAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("CollectAsync returned null.");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                QualityEvaluationLog.SourceFailed(_logger, e, name);
                warnings.Add($"Quality source {name} failed and was left out: {e.GetType().Name}: {e.Message}");
                continue;
            }

            sourcesRead.AddRange(snapshot.Sources);
            warnings.AddRange(snapshot.Warnings);
            foreach (QualityMeasurement measurement in snapshot.Measurements)
            {
                Offer(measurement, name);
            }
        }

        foreach (QualityHostMetric metric in _hostMetrics)
        {
            Offer(await MeasureAsync(metric, warnings, cancellationToken).ConfigureAwait(false), "host metric " + metric.Metric);
        }

        if (_hostMetrics.Length > 0)
        {
            sourcesRead.Add("host metrics");
        }

        return new QualitySnapshot(_time.GetUtcNow(), order.Select(m => kept[m].Measurement), sourcesRead, warnings);
    }

    private async Task<QualityMeasurement> MeasureAsync(QualityHostMetric metric, List<string> warnings, CancellationToken cancellationToken)
    {
        decimal? value;
        try
        {
            value = await metric.Measure(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QualityEvaluationLog.HostMetricFailed(_logger, e, metric.Metric);
            string reason = $"the host metric threw {e.GetType().Name}: {e.Message}";
            warnings.Add($"Host metric '{metric.Metric}': {reason}");
            return QualityMeasurement.Unknown(metric.Metric, metric.Unit, reason);
        }

        if (value is not { } v)
        {
            return QualityMeasurement.Unknown(metric.Metric, metric.Unit, "the host reported no value");
        }

        try
        {
            return QualityMeasurement.Known(metric.Metric, v, metric.Unit);
        }
        catch (ArgumentOutOfRangeException)
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"the host reported {v}, which is not a valid {QualityText.Unit(metric.Unit)}");
            warnings.Add($"Host metric '{metric.Metric}': {reason}");
            return QualityMeasurement.Unknown(metric.Metric, metric.Unit, reason);
        }
    }

    private static string Name(IQualitySource source, int index, IQualitySource[] all)
    {
        string type = source.GetType().Name;
        return all.Count(s => s.GetType() == source.GetType()) > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{type} #{index + 1}")
            : type;
    }
}
