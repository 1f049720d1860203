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

        if (tracing.Batch is { } batch && batch.MaxExportBatchSize > batch.MaxQueueSize)
        {
            failures.Add($"MusubiMonitoringOptions.Tracing.Batch.MaxExportBatchSize is {batch.MaxExportBatchSize}, more than MaxQueueSize {batch.MaxQueueSize}; a batch cannot be larger than the queue.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
