using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>A metric's status changed between two consecutive snapshots.</summary>
/// <remarks>Immutable and safe to share between threads. Made by <see cref="QualityAlerts.Detect"/>.</remarks>
public sealed record QualityAlert
{
    /// <summary>The metric id.</summary>
    public required string Metric { get; init; }

    /// <summary>What the change means.</summary>
    public required QualityAlertKind Kind { get; init; }

    /// <summary>The status in the previous snapshot (<see cref="QualityStatus.Unknown"/> when the metric was missing or there was no previous snapshot).</summary>
    public required QualityStatus PreviousStatus { get; init; }

    /// <summary>The status now.</summary>
    public required QualityStatus Status { get; init; }

    /// <summary>The value now; <see langword="null"/> when unknown.</summary>
    public decimal? Value { get; init; }

    /// <summary>The value in the previous snapshot; <see langword="null"/> when unknown.</summary>
    public decimal? PreviousValue { get; init; }

    /// <summary>The measurement now; <see langword="null"/> when the snapshot has no measurement of the metric.</summary>
    public QualityMeasurement? Measurement { get; init; }

    /// <summary>The threshold the statuses were evaluated against.</summary>
    public required QualityThreshold Threshold { get; init; }

    /// <summary>When the snapshot that changed the status was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>When the previous snapshot was taken; <see langword="null"/> when there was none.</summary>
    public DateTimeOffset? PreviousTimestamp { get; init; }

    /// <summary>A one-line description, culture-invariant: <c>line_coverage Healthy → Warning (79.999, healthy at 80, critical at 60)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Metric} {PreviousStatus} → {Status} ({(Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "UNKNOWN")}, healthy at {Threshold.Healthy}, critical at {Threshold.Critical})");
}
