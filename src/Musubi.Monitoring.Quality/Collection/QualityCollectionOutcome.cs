namespace Musubi.Monitoring.Quality;

/// <summary>How one <see cref="QualityCollector.CollectAsync"/> ended.</summary>
public enum QualityCollectionOutcome
{
    /// <summary>A snapshot was collected, stored and compared.</summary>
    Collected = 0,

    /// <summary>A snapshot was collected and compared, but the store refused it; it is kept to be appended again.</summary>
    NotStored = 1,

    /// <summary>Another collection was running; nothing was done.</summary>
    Skipped = 2,

    /// <summary>The source failed; nothing was stored and no alert was raised.</summary>
    Failed = 3,
}
