namespace Musubi.Monitoring.Quality;

/// <summary>Something that can measure quality now: report files, a host's own metrics, or several merged.</summary>
public interface IQualitySource
{
    /// <summary>Measures quality.</summary>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The snapshot; its unmeasurable metrics are <see cref="QualityStatus.Unknown"/>, never 100%.</returns>
    public Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default);
}
