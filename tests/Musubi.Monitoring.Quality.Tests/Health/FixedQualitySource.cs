namespace Musubi.Monitoring.Quality.Tests.Health;

/// <summary>A source that returns the measurements it is given (or throws), and counts its collections.</summary>
internal sealed class FixedQualitySource(Func<QualitySnapshot> collect) : IQualitySource
{
    public FixedQualitySource(params QualityMeasurement[] measurements)
        : this(() => new QualitySnapshot(DateTimeOffset.UnixEpoch, measurements, sources: ["fixed.xml"]))
    {
    }

    public int Collections { get; private set; }

    public Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default)
    {
        Collections++;
        return Task.FromResult(collect());
    }
}
