using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Quality;

/// <summary>
/// A health check that collects a snapshot from the registered quality sources (reusing the last one for
/// <see cref="QualityOptions.HealthCheckCacheDuration"/>) and runs the configured quality gate on it: healthy when the
/// gate passes, the registration's failure status otherwise, with the failing conditions in the description and data.
/// </summary>
/// <remarks>Created per run; the cache lives in the singleton <see cref="QualityGateHealthState"/>.</remarks>
internal sealed class QualityGateHealthCheck(QualityGateHealthState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        QualitySnapshot snapshot;
        try
        {
            snapshot = await state.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Quality could not be collected: {e.GetType().Name}: {e.Message}", e);
        }

        QualityGateResult result = state.Configuration.Gate!.Evaluate(snapshot);
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot, state.Configuration.Thresholds);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [QualityGateHealthDataKeys.Passed] = result.Passed,
            [QualityGateHealthDataKeys.Overall] = QualityText.Word(evaluation.Overall),
            [QualityGateHealthDataKeys.Timestamp] = snapshot.Timestamp,
            [QualityGateHealthDataKeys.Failures] = result.Failures.Select(f => f.ToString()).ToArray(),
        };
        foreach (QualityMetricEvaluation metric in evaluation.Metrics)
        {
            data[metric.Metric] = metric.Measurement.Value is { } v ? v : "UNKNOWN";
        }

        if (result.Passed)
        {
            return HealthCheckResult.Healthy(
                string.Create(CultureInfo.InvariantCulture, $"Quality gate passed ({result.Conditions.Count} {Conditions(result.Conditions.Count)}); overall {QualityText.Word(evaluation.Overall)}."),
                data);
        }

        string description = string.Create(CultureInfo.InvariantCulture,
            $"Quality gate failed ({result.Failures.Count} of {result.Conditions.Count} {Conditions(result.Conditions.Count)}): {string.Join("; ", result.Failures)}.");
        return new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
    }

    private static string Conditions(int count) => count == 1 ? "condition" : "conditions";
}
