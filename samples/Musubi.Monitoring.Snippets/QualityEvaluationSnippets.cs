using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Quality;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's "Thresholds, gates and the dashboard" examples.</summary>
public static class QualityEvaluationSnippets
{
    public static async Task<string> Dashboard(IQualitySource source)
    {
        // begin-snippet: quality-dashboard
        QualitySnapshot snapshot = await source.CollectAsync();                  // the report readers, AddQuality's source, or by hand
        QualityConfiguration config = QualityConfiguration.Load("quality.json");  // thresholds over the defaults, and the gate
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot, config.Thresholds);
        QualityGateResult gate = (config.Gate ?? QualityGate.Default).Evaluate(snapshot);

        string text = QualityDashboard.ToText(evaluation, gate, new QualityDashboardOptions
        {
            Width = Console.IsOutputRedirected ? 100 : Math.Clamp(Console.WindowWidth, 40, 1000),
            Unicode = Console.OutputEncoding.CodePage == 65001,                   // else [OK] [WARN] [CRIT] [UNKNOWN] and #.
        });
        string markdown = QualityDashboard.ToMarkdown(evaluation, gate);          // for a PR comment
        string json = QualityDashboard.ToJson(evaluation, gate);                  // exact decimal numbers
        foreach (QualityGateConditionResult failure in gate.Failures)
        {
            Console.WriteLine(failure);                                           // "line_coverage is 79.999, expected at least 80"
        }
        // end-snippet
        return text + markdown + json;
    }

    public static void Host(IServiceCollection services, IQualitySource reports)
    {
        // begin-snippet: quality-di
        services.AddMusubiMonitoring()
            .AddQuality(o =>
            {
                o.ConfigurationFile = "quality.json";                             // read and checked at start
                o.GateConditions.Add(new QualityGateCondition("documentation", QualityGateOperator.AtLeast, 80m)); // replaces the file's gate
            })
            .AddQualitySource(sp => reports)                                      // e.g. the coverage and TRX readers
            .AddQualityMetric("documentation", QualityUnit.Percent, ct => ValueTask.FromResult<decimal?>(87.5m))
            .AddQualityGateHealthCheck(failureStatus: HealthStatus.Degraded);     // tagged "quality"
        // end-snippet
    }
}
