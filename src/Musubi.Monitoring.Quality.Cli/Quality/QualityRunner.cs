using System.Globalization;
using Musubi.Monitoring.Quality.Cli.Output;

namespace Musubi.Monitoring.Quality.Cli.Quality;

/// <summary>Loads the reports, evaluates them and prints the dashboard and/or the gate.</summary>
internal static class QualityRunner
{
    /// <summary>Runs a quality request.</summary>
    /// <param name="context">Where to write, the clock and the folder.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>0, or 1 when the gate failed or an input (thresholds, baseline, folder) could not be used.</returns>
    public static async Task<int> RunAsync(CliContext context, QualityRequest request, CancellationToken cancellationToken)
    {
        QualityConfiguration configuration;
        try
        {
            configuration = request.Thresholds is { } file
                ? QualityConfiguration.Load(context.FullPath(file))
                : new QualityConfiguration(QualityThresholdSet.Default);
        }
        catch (QualityConfigurationException e)
        {
            await context.Error.WriteLineAsync($"--thresholds: {e.Message}");
            return ExitCodes.Failure;
        }

        CoverageReport? baseline = null;
        if (request.Baseline is { } baselinePath)
        {
            try
            {
                baseline = await QualityReportReader.ReadCoverageAsync(context.FullPath(baselinePath), cancellationToken);
            }
            catch (QualityReportException e)
            {
                await context.Error.WriteLineAsync($"--baseline: {e.Message}");
                return ExitCodes.Failure;
            }
        }

        IReadOnlyList<string> coverage, tests;
        if (request.Coverage is null && request.Tests is null)
        {
            QualityReportPaths found = QualityReportDiscovery.Find(context.CurrentDirectory);
            (coverage, tests) = (found.Coverage, found.Tests);
            if (coverage.Count == 0 && tests.Count == 0)
            {
                await context.Error.WriteLineAsync(
                    $"No {QualityReportDiscovery.CoveragePattern} or {QualityReportDiscovery.TestPattern} under '{context.CurrentDirectory}'; every metric is UNKNOWN. Give --coverage and --tests, or run dotnet test --collect:\"XPlat Code Coverage\" --logger trx first.");
            }
        }
        else
        {
            coverage = [.. (request.Coverage ?? []).Select(context.FullPath)];
            tests = [.. (request.Tests ?? []).Select(context.FullPath)];
        }

        QualityReportSet set = await QualityReportSet.LoadAsync(coverage, tests, cancellationToken);
        foreach (QualityReportError error in set.Errors)
        {
            // The other reports still load; the error names the file.
            await context.Error.WriteLineAsync(error.Message);
        }

        QualitySnapshot snapshot = set.ToSnapshot(context.Time.GetUtcNow(), baseline);
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot, configuration.Thresholds);
        QualityGateResult? gate = request.Gate ? (configuration.Gate ?? QualityGate.Default).Evaluate(snapshot) : null;
        QualityOutput.Write(context, request, evaluation, gate);
        return gate is { Passed: false } ? ExitCodes.Failure : ExitCodes.Success;
    }
}
