using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

/// <summary>
/// A service provider with the Musubi tracer and an in-memory exporter, isolated from every other test: activity
/// listeners are process-global, so its activity source and meter names are unique to it.
/// </summary>
internal sealed class TracingHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public TracingHarness(Action<MusubiMonitoringOptions>? configure = null, Action<MusubiMonitoringBuilder>? build = null)
    {
        SourceName = "Test." + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        MusubiMonitoringBuilder builder = services.AddMusubiMonitoring(o =>
        {
            o.Tracing.ActivitySourceName = SourceName;
            o.Metrics.MeterName = SourceName + ".Meter";
            o.Metrics.Meters.Clear();
            o.Metrics.Meters.Add(SourceName + "*");
            configure?.Invoke(o);
        }).AddInMemorySpanExporter();
        build?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Tracer = _provider.GetRequiredService<MusubiTracer>();
        Exporter = _provider.GetRequiredService<InMemorySpanExporter>();
    }

    /// <summary>The tracer's own activity source name, unique to this harness.</summary>
    public string SourceName { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public MusubiTracer Tracer { get; }

    public InMemorySpanExporter Exporter { get; }

    public IServiceProvider Services => _provider;

    public void Dispose() => _provider.Dispose();
}

/// <summary>Bounded waits on background work: they assert on state, and real time is only a safety bound.</summary>
internal static class Eventually
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(5);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        long start = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > s_bound)
            {
                Assert.Fail($"Still waiting after {s_bound.TotalSeconds} s for: {what}.");
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>A <see cref="FakeTimeProvider"/> that also records the due time of every timer created on it, so a test can wait until a timer exists before advancing past it.</summary>
internal sealed class ObservedTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }

    /// <summary>Gets how many timers were created with <paramref name="dueTime"/> so far.</summary>
    public int TimersCreated(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);
}

/// <summary>An exporter that keeps every batch it receives (copied, as the contract asks) and can be made to block or fail.</summary>
internal class RecordingExporter : ISpanExporter
{
    private readonly ConcurrentQueue<string[]> _batches = new();
    private int _calls;

    public IReadOnlyList<string[]> Batches => [.. _batches];

    public IReadOnlyList<string> Names => [.. _batches.SelectMany(b => b)];

    public int Calls => Volatile.Read(ref _calls);

    public virtual Task ExportAsync(IReadOnlyList<Activity> spans, CancellationToken cancellationToken)
    {
        _batches.Enqueue([.. spans.Select(s => s.DisplayName)]);
        Interlocked.Increment(ref _calls);
        return Task.CompletedTask;
    }
}

/// <summary>Activities that have started and stopped, without any listener.</summary>
internal static class Spans
{
    public static Activity Ended(string name)
    {
        var activity = new Activity(name);
        activity.Start();
        activity.Stop();
        return activity;
    }
}
