namespace Musubi.Monitoring.Quality;

/// <summary>
/// The health check's shared state: the resolved configuration and the last snapshot, reused for the cache duration
/// on the injected clock. One collection at a time: concurrent checks wait for the one running and share its snapshot.
/// </summary>
internal sealed class QualityGateHealthState(IQualitySource source, QualityConfiguration configuration, TimeProvider time, TimeSpan cacheDuration) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private QualitySnapshot? _last;
    private long _lastAt;

    public QualityConfiguration Configuration { get; } = configuration;

    public async Task<QualitySnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is not null && cacheDuration > TimeSpan.Zero && time.GetElapsedTime(_lastAt) < cacheDuration)
            {
                return _last;
            }

            QualitySnapshot snapshot = await source.CollectAsync(cancellationToken).ConfigureAwait(false);
            _last = snapshot;
            _lastAt = time.GetTimestamp();
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
