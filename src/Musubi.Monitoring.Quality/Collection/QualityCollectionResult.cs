namespace Musubi.Monitoring.Quality;

/// <summary>What one <see cref="QualityCollector.CollectAsync"/> did.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record QualityCollectionResult
{
    /// <summary>How the collection ended.</summary>
    public required QualityCollectionOutcome Outcome { get; init; }

    /// <summary>The snapshot collected; <see langword="null"/> when skipped or failed.</summary>
    public QualitySnapshot? Snapshot { get; init; }

    /// <summary>The alerts raised; empty when none.</summary>
    public IReadOnlyList<QualityAlert> Alerts { get; init; } = [];

    /// <summary>What failed (the source, or the store when <see cref="QualityCollectionOutcome.NotStored"/>); <see langword="null"/> otherwise.</summary>
    public Exception? Error { get; init; }
}
