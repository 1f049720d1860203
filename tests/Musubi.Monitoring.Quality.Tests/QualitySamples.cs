namespace Musubi.Monitoring.Quality.Tests;

/// <summary>Snapshots built by hand for the history, trend, alert and collection tests.</summary>
internal static class QualitySamples
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static QualitySnapshot Line(DateTimeOffset at, decimal lineCoverage) =>
        new(at, [QualityMeasurement.Known(QualityMetrics.LineCoverage, lineCoverage, QualityUnit.Percent)]);

    public static QualitySnapshot Of(DateTimeOffset at, params QualityMeasurement[] measurements) => new(at, measurements);

    public static QualityMeasurement Percent(string metric, decimal value) => QualityMeasurement.Known(metric, value, QualityUnit.Percent);

    public static QualityMeasurement Count(string metric, decimal value) => QualityMeasurement.Known(metric, value, QualityUnit.Count);

    public static QualityMeasurement Unknown(string metric) => QualityMeasurement.Unknown(metric, QualityUnit.Percent, "no report");
}
