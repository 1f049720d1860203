using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Tracing;

/// <summary>Cross-field checks of the tracing options that data annotations cannot express.</summary>
internal sealed class TracingOptionsValidator : IValidateOptions<MusubiMonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MusubiMonitoringOptions options)
    {
        TracingOptions? tracing = options.Tracing;
        if (tracing is null)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        for (int i = 0; i < tracing.Sources.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tracing.Sources[i]))
            {
                failures.Add($"MusubiMonitoringOptions.Tracing.Sources[{i}] is empty; give an activity source name or a pattern such as 'MyApp.*'.");
            }
        }

        if (tracing.Batch is { } batch)
        {
            const string Batch = "MusubiMonitoringOptions.Tracing.Batch";
            bool sizesInRange = true;
            foreach ((string option, int value) in new[] { ("MaxQueueSize", batch.MaxQueueSize), ("MaxExportBatchSize", batch.MaxExportBatchSize) })
            {
                if (value is < 1 or > 1_000_000)
                {
                    sizesInRange = false;
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Batch}.{option} is {value}; use 1 to 1,000,000."));
                }
            }

            if (sizesInRange && batch.MaxExportBatchSize > batch.MaxQueueSize)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Batch}.MaxExportBatchSize is {batch.MaxExportBatchSize}, more than MaxQueueSize {batch.MaxQueueSize}; a batch cannot be larger than the queue."));
            }

            foreach ((string option, TimeSpan value) in new[] { ("ScheduledDelay", batch.ScheduledDelay), ("ExportTimeout", batch.ExportTimeout) })
            {
                if (value < TimeSpan.FromMilliseconds(1) || value > TimeSpan.FromHours(1))
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Batch}.{option} is {value}; use 1 ms to 1 hour."));
                }
            }

            if (!Enum.IsDefined(batch.FullQueuePolicy))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Batch}.FullQueuePolicy is {(int)batch.FullQueuePolicy}, not a SpanQueueFullPolicy; use DropNewest or DropOldest."));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
