using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>What an <see cref="ICanaryMetricsProvider"/> found.</summary>
public enum MeasurementStatus
{
    /// <summary>A value.</summary>
    Value,

    /// <summary>No data: nothing was recorded in the window (for a ratio, no requests).</summary>
    NoData,

    /// <summary>The measurement could not be taken.</summary>
    Error,
}

/// <summary>One reading of one metric over one window: a value, no data, or an error.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class MetricMeasurement
{
    private MetricMeasurement(MeasurementStatus status, double value, string? message)
    {
        Status = status;
        Value = value;
        Message = message;
    }

    /// <summary>Gets what was found.</summary>
    public MeasurementStatus Status { get; }

    /// <summary>Gets the value when <see cref="Status"/> is <see cref="MeasurementStatus.Value"/>; otherwise NaN.</summary>
    public double Value { get; }

    /// <summary>Gets why there is no value, or <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Creates a measurement with a value; NaN is taken as no data.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The measurement.</returns>
    public static MetricMeasurement Of(double value)
        => double.IsNaN(value) ? NoData("the value was NaN") : new(MeasurementStatus.Value, value, null);

    /// <summary>Creates a measurement that found no data.</summary>
    /// <param name="reason">Why, for the history; <see langword="null"/> for none.</param>
    /// <returns>The measurement.</returns>
    public static MetricMeasurement NoData(string? reason = null) => new(MeasurementStatus.NoData, double.NaN, reason);

    /// <summary>Creates a measurement that could not be taken.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static MetricMeasurement Error(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(MeasurementStatus.Error, double.NaN, message);
    }

    /// <summary>Describes the measurement in culture-invariant text.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Status switch
    {
        MeasurementStatus.Value => Value.ToString("R", CultureInfo.InvariantCulture),
        MeasurementStatus.NoData => Message is null ? "no data" : "no data: " + Message,
        _ => "error: " + Message,
    };
}

/// <summary>The time range a measurement covers, start exclusive and end inclusive, as a Prometheus range.</summary>
/// <param name="Start">The start: the previous measurement, or the analysis's start.</param>
/// <param name="End">The end: when the measurement is taken.</param>
public readonly record struct CanaryWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>Reads live metrics for a canary analysis.</summary>
/// <remarks>Implementations are called from timer callbacks and must be thread-safe.</remarks>
public interface ICanaryMetricsProvider
{
    /// <summary>
    /// Called when an analysis starts, before its first window, so a provider that computes windows from
    /// cumulative readings can take one at <paramref name="start"/>. The default does nothing.
    /// </summary>
    /// <param name="start">The start of the first window.</param>
    /// <param name="cancellationToken">Cancelled when the run is aborted.</param>
    /// <returns>A task that completes when the provider is ready.</returns>
    public ValueTask BeginAnalysisAsync(DateTimeOffset start, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Measures <paramref name="metric"/> over <paramref name="window"/>.</summary>
    /// <param name="metric">The metric; its <see cref="AnalysisMetric.Query"/> says what to measure.</param>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancelled when the run is aborted.</param>
    /// <returns>The measurement. A provider may also throw; that counts as an error.</returns>
    public ValueTask<MetricMeasurement> MeasureAsync(AnalysisMetric metric, CanaryWindow window, CancellationToken cancellationToken);
}
