using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Musubi.Monitoring.Quality;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's quality history examples.</summary>
public static class QualityHistorySnippets
{
    public static void Wiring(IHostApplicationBuilder builder, IQualitySource mySource)
    {
        // mySource is your IQualitySource (report readers, or the host's own metrics); sinks get every alert.
        builder.Services.AddSingleton(mySource);
        builder.Services.AddSingleton<IQualityAlertSink, ChatAlertSink>();
        builder.Services.AddMusubiMonitoring()
            .AddQualityHistory(o =>
            {
                o.Interval = TimeSpan.FromHours(6);          // default 1 hour; the first collection runs at start
                o.Trends.Window = 10;                        // trends over the last 10 snapshots (default 5)
                o.Trends.StableBand = 0.25m;                 // ±0.25 points is stable (default 0.5)
                o.Trends.Directions["complexity"] = ThresholdDirection.LowerIsBetter;
            })
            .UseSqlite("Data Source=musubi.db");             // history survives restarts (in memory without it)
    }

    public static async Task<string> Trends(QualityCollector collector)
    {
        collector.AlertRaised += (_, e) => Console.WriteLine(e.Alert);   // line_coverage Healthy → Warning (79.999, healthy at 80, critical at 60)

        QualityCollectionResult now = await collector.CollectAsync();    // or wait for the timer; now.Alerts, now.Outcome (Skipped while the start-up collection runs)
        IReadOnlyList<QualityTrend> trends = await collector.GetTrendsAsync();
        return string.Join(Environment.NewLine, trends.Select(t => FormattableString.Invariant($"{t.Metric}: {t.Direction} ({t.First} → {t.Last})")));
        // line_coverage: Improving (78.2 → 81.0)
    }

    public static async Task<IReadOnlyList<QualityTrend>> ByHand(IQualityHistoryStore store, QualitySnapshot snapshot)
    {
        IReadOnlyList<QualitySnapshot> latest = await store.GetLatestAsync(5);           // oldest first
        IReadOnlyList<QualityAlert> alerts = QualityAlerts.Detect(latest.Count > 0 ? latest[^1] : null, snapshot, QualityThresholds.Defaults);
        await store.AppendAsync(snapshot);
        return QualityTrends.Compute([.. latest, snapshot], new QualityTrendOptions(), QualityThresholds.Defaults);
    }

    private sealed class ChatAlertSink : IQualityAlertSink
    {
        public Task OnQualityAlertAsync(QualityAlert alert, CancellationToken cancellationToken)
        {
            Console.WriteLine($"{alert.Metric}: {alert.PreviousStatus} → {alert.Status} at {alert.Timestamp:O}");
            return Task.CompletedTask;
        }
    }
}
