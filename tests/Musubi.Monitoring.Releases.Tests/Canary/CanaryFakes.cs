using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Releases.Tests.Canary;

/// <summary>Returns scripted measurements per metric, in order; once a script runs out, its last entry repeats.</summary>
internal sealed class ScriptedMetrics : ICanaryMetricsProvider
{
    private readonly Dictionary<string, Queue<Func<MetricMeasurement>>> _scripts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<MetricMeasurement>> _last = new(StringComparer.Ordinal);

    public List<(string Metric, CanaryWindow Window)> Calls { get; } = [];

    public List<DateTimeOffset> Begins { get; } = [];

    public ScriptedMetrics Script(string metric, params Func<MetricMeasurement>[] steps)
    {
        _scripts[metric] = new Queue<Func<MetricMeasurement>>(steps);
        return this;
    }

    public ValueTask BeginAnalysisAsync(DateTimeOffset start, CancellationToken cancellationToken)
    {
        Begins.Add(start);
        return ValueTask.CompletedTask;
    }

    public ValueTask<MetricMeasurement> MeasureAsync(AnalysisMetric metric, CanaryWindow window, CancellationToken cancellationToken)
    {
        Calls.Add((metric.Name, window));
        Queue<Func<MetricMeasurement>> queue = _scripts[metric.Name];
        if (queue.TryDequeue(out Func<MetricMeasurement>? next))
        {
            _last[metric.Name] = next;
        }

        return ValueTask.FromResult(_last[metric.Name]());
    }

    public static Func<MetricMeasurement> Value(double value) => () => MetricMeasurement.Of(value);

    public static Func<MetricMeasurement> NoData() => () => MetricMeasurement.NoData("nothing recorded");

    public static Func<MetricMeasurement> Throws() => () => throw new InvalidOperationException("metrics backend down");
}

internal sealed class RecordingRouter(List<string> log) : ITrafficRouter
{
    public List<int> Weights { get; } = [];

    public int? FailAt { get; set; }

    public ValueTask SetWeightAsync(int percent, CancellationToken cancellationToken)
    {
        if (percent == FailAt)
        {
            throw new InvalidOperationException("router unavailable");
        }

        Weights.Add(percent);
        log.Add("weight " + percent);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingFlags(List<string> log) : ICanaryFlagSwitch
{
    public List<string> Disabled { get; } = [];

    public ValueTask DisableAsync(string flag, CancellationToken cancellationToken)
    {
        Disabled.Add(flag);
        log.Add("disable " + flag);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingHistory : ICanaryHistory
{
    public List<CanaryEvent> Events { get; } = [];

    public ValueTask RecordAsync(CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        Events.Add(canaryEvent);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingStep(string description, List<string> log, bool fail = false) : IRollbackStep
{
    public string Description => description;

    public ValueTask ExecuteAsync(CancellationToken cancellationToken)
    {
        log.Add(description);
        return fail ? ValueTask.FromException(new InvalidOperationException(description + " broke")) : ValueTask.CompletedTask;
    }
}

/// <summary>A controller on a fake clock with recording fakes.</summary>
internal sealed class CanaryHarness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    public CanaryHarness(ICanaryMetricsProvider? metrics = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Metrics = metrics ?? Scripted;
        Router = new RecordingRouter(Log);
        Flags = new RecordingFlags(Log);
        Controller = new CanaryController(Metrics, Router, Time, Flags, History);
    }

    public FakeTimeProvider Time { get; }

    public List<string> Log { get; } = [];

    public ScriptedMetrics Scripted { get; } = new();

    public ICanaryMetricsProvider Metrics { get; }

    public RecordingRouter Router { get; }

    public RecordingFlags Flags { get; }

    public RecordingHistory History { get; } = new();

    public CanaryController Controller { get; }

    public static AnalysisMetric SuccessRate(string name = "success-rate")
        => new(name, CanaryQuery.SuccessRatio(), AnalysisCondition.AtLeast(0.99));

    public static CanaryPlan Plan(CanaryAnalysis analysis, params IRollbackStep[] rollback)
        => new([CanaryStep.SetWeight(10), CanaryStep.Analyze(analysis)], rollback);

    public Task<CanaryRun> StartAsync(CanaryPlan plan, params string[] flags)
        => Controller.StartAsync("rel-42", plan, flags);

    public void Intervals(int count, TimeSpan interval)
    {
        for (int i = 0; i < count; i++)
        {
            Time.Advance(interval);
        }
    }
}
