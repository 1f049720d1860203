using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

/// <summary>
/// A real service provider with the Musubi core and the given SLOs, a <see cref="FakeTimeProvider"/>, a recording
/// alert observer and a meter (from <see cref="IMeterFactory"/>) whose name is unique to the harness.
/// </summary>
internal sealed class SloHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public SloHarness(IEnumerable<ServiceLevelObjective> slos, Action<IServiceCollection>? services = null, Action<SloOptions>? options = null)
    {
        string prefix = "Musubi.SloTests." + Guid.NewGuid().ToString("N");
        Time = new FakeTimeProvider(Start);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<ISloAlertObserver>(Observer);
        services?.Invoke(collection);
        MusubiMonitoringBuilder builder = collection.AddMusubiMonitoring(o =>
        {
            o.ServiceName = "checkout";
            o.Metrics.Meters.Clear();
            o.Metrics.Meters.Add(prefix + "*");
            o.Metrics.MeterName = prefix + ".Core";
        }).AddSlos(slos);
        if (options is not null)
        {
            builder.ConfigureSlos(options);
        }

        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Meter = _provider.GetRequiredService<IMeterFactory>().Create(prefix);
        Collector = _provider.GetRequiredService<MusubiMetricsCollector>();
        Monitor = _provider.GetRequiredService<SloMonitor>();
    }

    public FakeTimeProvider Time { get; }

    public Meter Meter { get; }

    public MusubiMetricsCollector Collector { get; }

    public SloMonitor Monitor { get; }

    public RecordingObserver Observer { get; } = new();

    public IServiceProvider Services => _provider;

    /// <summary>Advances the clock and evaluates, returning the transitions.</summary>
    public async Task<IReadOnlyList<SloAlert>> AdvanceAndEvaluateAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        _provider.Dispose();
        Observer.Dispose();
    }

    internal sealed class RecordingObserver : ISloAlertObserver, IDisposable
    {
        private readonly SemaphoreSlim _received = new(0);

        public ConcurrentQueue<SloAlert> Alerts { get; } = new();

        public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
        {
            Alerts.Enqueue(alert);
            _received.Release();
            return Task.CompletedTask;
        }

        public void Dispose() => _received.Dispose();

        /// <summary>Waits (in real time, for work on the thread pool) until an alert that matches arrives.</summary>
        public async Task<SloAlert> FirstAsync(Func<SloAlert, bool> match)
        {
            while (true)
            {
                if (Alerts.FirstOrDefault(match) is { } alert)
                {
                    return alert;
                }

                Assert.True(await _received.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "No matching alert arrived.");
            }
        }
    }
}
