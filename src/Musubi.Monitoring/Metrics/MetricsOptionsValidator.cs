using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Metrics;

/// <summary>Cross-field checks of the metrics options that data annotations cannot express.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MusubiMonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MusubiMonitoringOptions options)
    {
        MetricsOptions? metrics = options.Metrics;
        if (metrics is null)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (metrics.Meters is not null)
        {
            for (int i = 0; i < metrics.Meters.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(metrics.Meters[i]))
                {
                    failures.Add($"MusubiMonitoringOptions.Metrics.Meters[{i}] is empty; give a meter name or a pattern such as 'MyApp.*'.");
                }
            }
        }

        if (metrics.DefaultHistogramBuckets is not null
            && HistogramBuckets.Validate(metrics.DefaultHistogramBuckets, "MusubiMonitoringOptions.Metrics.DefaultHistogramBuckets") is { } error)
        {
            failures.Add(error);
        }

        if (metrics.HistogramBuckets is not null)
        {
            foreach (KeyValuePair<string, double[]> entry in metrics.HistogramBuckets)
            {
                string option = $"MusubiMonitoringOptions.Metrics.HistogramBuckets[\"{entry.Key}\"]";
                if (HistogramBuckets.Validate(entry.Value, option) is { } bucketError)
                {
                    failures.Add(bucketError);
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
