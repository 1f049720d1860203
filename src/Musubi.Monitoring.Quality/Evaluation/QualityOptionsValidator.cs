using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Quality;

/// <summary>Checks <see cref="QualityOptions"/> at start-up, naming each bad option and its value; reads the configuration file.</summary>
internal sealed class QualityOptionsValidator : IValidateOptions<QualityOptions>
{
    public ValidateOptionsResult Validate(string? name, QualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ConfigurationFile is { } file)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                failures.Add($"QualityOptions.ConfigurationFile is '{file}'; give a file path or leave it null.");
            }
            else
            {
                try
                {
                    _ = QualityConfiguration.Load(file);
                }
                catch (QualityConfigurationException e)
                {
                    failures.Add($"QualityOptions.ConfigurationFile: {e.Message}");
                }
            }
        }

        var metrics = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Thresholds.Count; i++)
        {
            QualityThreshold? threshold = options.Thresholds[i];
            if (threshold is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"QualityOptions.Thresholds[{i}] is null."));
            }
            else if (!metrics.Add(threshold.Metric))
            {
                failures.Add($"QualityOptions.Thresholds has two thresholds for '{threshold.Metric}'; give each metric at most one.");
            }
        }

        for (int i = 0; i < options.GateConditions.Count; i++)
        {
            if (options.GateConditions[i] is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"QualityOptions.GateConditions[{i}] is null."));
            }
        }

        for (int i = 0; i < options.Sources.Count; i++)
        {
            if (options.Sources[i] is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"QualityOptions.Sources[{i}] is null."));
            }
        }

        if (options.HealthCheckCacheDuration < TimeSpan.Zero || options.HealthCheckCacheDuration > QualityOptions.MaxHealthCheckCacheDuration)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"QualityOptions.HealthCheckCacheDuration is {options.HealthCheckCacheDuration:c}; use 00:00:00 to 1.00:00:00 (1 day)."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configuration the options describe: the file (or the defaults), the thresholds over it, the gate.</summary>
    internal static QualityConfiguration Resolve(QualityOptions options)
    {
        QualityConfiguration file = options.ConfigurationFile is { } path
            ? QualityConfiguration.Load(path)
            : new QualityConfiguration(QualityThresholdSet.Default);
        QualityThresholdSet thresholds = file.Thresholds;
        foreach (QualityThreshold threshold in options.Thresholds)
        {
            thresholds = thresholds.With(threshold);
        }

        QualityGate gate = options.GateConditions.Count > 0 ? new QualityGate(options.GateConditions) : file.Gate ?? QualityGate.Default;
        return new QualityConfiguration(thresholds, gate);
    }
}
