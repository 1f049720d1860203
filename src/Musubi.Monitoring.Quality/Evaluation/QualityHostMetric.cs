namespace Musubi.Monitoring.Quality;

/// <summary>A metric the host measures itself, registered with <c>AddQualityMetric</c>.</summary>
internal sealed record QualityHostMetric(string Metric, QualityUnit Unit, Func<CancellationToken, ValueTask<decimal?>> Measure);
