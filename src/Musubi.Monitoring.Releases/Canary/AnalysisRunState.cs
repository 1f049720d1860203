using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>The counters of one running analysis; used under the run's gate only.</summary>
internal sealed class AnalysisRunState
{
    private readonly Counters[] _counters;
    private readonly List<AnalysisMeasurement> _measurements = [];

    public AnalysisRunState(int stepIndex, CanaryAnalysis analysis, DateTimeOffset start)
    {
        StepIndex = stepIndex;
        Analysis = analysis;
        LastEnd = start;
        _counters = [.. analysis.Metrics.Select(_ => new Counters())];
    }

    public int StepIndex { get; }

    public CanaryAnalysis Analysis { get; }

    public DateTimeOffset LastEnd { get; set; }

    public int Taken { get; set; }

    public AnalysisPhase Phase { get; private set; } = AnalysisPhase.Running;

    public string? Reason { get; private set; }

    /// <summary>Counts one measurement of metric <paramref name="index"/> as the analysis's rules say.</summary>
    public AnalysisMeasurement Count(int index, CanaryWindow window, MetricMeasurement measurement)
    {
        AnalysisMetric metric = Analysis.Metrics[index];
        Counters c = _counters[index];
        MeasurementOutcome outcome;
        switch (measurement.Status)
        {
            case MeasurementStatus.Value:
                outcome = metric.Judge(measurement.Value);
                c.ConsecutiveErrors = 0;
                if (outcome == MeasurementOutcome.Successful)
                {
                    c.Successful++;
                }
                else if (outcome == MeasurementOutcome.Failed)
                {
                    c.Failed++;
                }
                else
                {
                    c.Inconclusive++;
                }

                break;
            case MeasurementStatus.NoData:
                outcome = MeasurementOutcome.NoData;
                c.NoData++;
                switch (Analysis.NoDataPolicy)
                {
                    case NoDataPolicy.Fail:
                        c.Failed++;
                        c.ConsecutiveErrors = 0;
                        break;
                    case NoDataPolicy.Error:
                        c.Errors++;
                        c.ConsecutiveErrors++;
                        break;
                    case NoDataPolicy.Inconclusive:
                        c.Inconclusive++;
                        c.ConsecutiveErrors = 0;
                        break;
                }

                break;
            default:
                outcome = MeasurementOutcome.Error;
                c.Errors++;
                c.ConsecutiveErrors++;
                break;
        }

        var result = new AnalysisMeasurement(metric.Name, window, outcome, measurement);
        _measurements.Add(result);
        return result;
    }

    /// <summary>Decides the phase after an interval: failure and error limits first, then inconclusive, then the count.</summary>
    public AnalysisPhase Decide()
    {
        CanaryAnalysis a = Analysis;
        for (int i = 0; i < _counters.Length; i++)
        {
            if (_counters[i].Failed > a.FailureLimit)
            {
                return End(AnalysisPhase.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"metric '{a.Metrics[i].Name}' had {_counters[i].Failed} failed measurements, more than the failure limit {a.FailureLimit}"));
            }

            if (_counters[i].ConsecutiveErrors > a.ConsecutiveErrorLimit)
            {
                return End(AnalysisPhase.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"metric '{a.Metrics[i].Name}' had {_counters[i].ConsecutiveErrors} errors in a row, more than the consecutive-error limit {a.ConsecutiveErrorLimit}"));
            }
        }

        for (int i = 0; i < _counters.Length; i++)
        {
            if (_counters[i].Inconclusive > a.InconclusiveLimit)
            {
                return End(AnalysisPhase.Inconclusive, string.Create(CultureInfo.InvariantCulture,
                    $"metric '{a.Metrics[i].Name}' had {_counters[i].Inconclusive} inconclusive measurements, more than the inconclusive limit {a.InconclusiveLimit}"));
            }
        }

        if (Taken < a.Count)
        {
            return AnalysisPhase.Running;
        }

        for (int i = 0; i < _counters.Length; i++)
        {
            if (_counters[i].Successful == 0)
            {
                return End(AnalysisPhase.Inconclusive, string.Create(CultureInfo.InvariantCulture,
                    $"metric '{a.Metrics[i].Name}' had no successful measurement in {a.Count}"));
            }
        }

        return End(AnalysisPhase.Successful, string.Create(CultureInfo.InvariantCulture,
            $"{a.Count} measurements of {a.Metrics.Count} metrics within the limits, each metric successful at least once"));
    }

    public void Cancel(string reason)
    {
        if (Phase == AnalysisPhase.Running)
        {
            End(AnalysisPhase.Cancelled, reason);
        }
    }

    public CanaryAnalysisResult ToResult() => new(
        StepIndex, Phase, Reason,
        [.. _counters.Select((c, i) => new AnalysisMetricResult(Analysis.Metrics[i].Name, c.Successful, c.Failed, c.Inconclusive, c.Errors, c.ConsecutiveErrors, c.NoData))],
        [.. _measurements]);

    private AnalysisPhase End(AnalysisPhase phase, string reason)
    {
        Phase = phase;
        Reason = reason;
        return phase;
    }

    private sealed class Counters
    {
        public int Successful { get; set; }

        public int Failed { get; set; }

        public int Inconclusive { get; set; }

        public int Errors { get; set; }

        public int ConsecutiveErrors { get; set; }

        public int NoData { get; set; }
    }
}
