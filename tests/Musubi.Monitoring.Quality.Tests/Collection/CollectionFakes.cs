using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Quality.Tests.Collection;

/// <summary>A source that returns the line coverage values it is given, one per collection, stamped with the clock.</summary>
internal sealed class ScriptedSource(TimeProvider time, params decimal?[] lineCoverage) : IQualitySource
{
    private int _next;

    public int Calls => Volatile.Read(ref _next);

    public Func<CancellationToken, Task>? Gate { get; set; }

    public Exception? FailNext { get; set; }

    public async Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default)
    {
        int index = Interlocked.Increment(ref _next) - 1;
        if (Gate is { } gate)
        {
            await gate(cancellationToken);
        }

        if (FailNext is { } failure)
        {
            FailNext = null;
            throw failure;
        }

        decimal? value = lineCoverage[Math.Min(index, lineCoverage.Length - 1)];
        QualityMeasurement m = value is { } v
            ? QualityMeasurement.Known(QualityMetrics.LineCoverage, v, QualityUnit.Percent)
            : QualityMeasurement.Unknown(QualityMetrics.LineCoverage, QualityUnit.Percent, "no coverage report");
        return new QualitySnapshot(time.GetUtcNow(), [m], ["coverage.cobertura.xml"]);
    }
}

internal sealed class RecordingSink : IQualityAlertSink
{
    public ConcurrentQueue<QualityAlert> Alerts { get; } = new();

    public Task OnQualityAlertAsync(QualityAlert alert, CancellationToken cancellationToken)
    {
        Alerts.Enqueue(alert);
        return Task.CompletedTask;
    }
}

internal sealed class ThrowingSink : IQualityAlertSink
{
    public int Calls;

    public Task OnQualityAlertAsync(QualityAlert alert, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        throw new InvalidOperationException("chat service down");
    }
}

/// <summary>A store whose appends fail while <see cref="Failing"/> is set.</summary>
internal sealed class FlakyStore : IQualityHistoryStore
{
    public InMemoryQualityHistoryStore Inner { get; } = new();

    public bool Failing { get; set; }

    public Task AppendAsync(QualitySnapshot snapshot, CancellationToken cancellationToken = default) =>
        Failing ? throw new IOException("disk full") : Inner.AppendAsync(snapshot, cancellationToken);

    public Task<IReadOnlyList<QualitySnapshot>> GetLatestAsync(int count, CancellationToken cancellationToken = default) => Inner.GetLatestAsync(count, cancellationToken);

    public Task<IReadOnlyList<QualitySnapshot>> GetRangeAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        Inner.GetRangeAsync(since, until, cancellationToken);
}

internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception), exception));
}
