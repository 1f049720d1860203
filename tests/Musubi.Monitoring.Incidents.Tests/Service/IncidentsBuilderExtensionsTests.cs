using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Incidents.Tests.Service;

public sealed class IncidentsBuilderExtensionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AddIncidents_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => IncidentsBuilderExtensions.AddIncidents(null!));

    [Fact]
    public void AddIncidents_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddIncidents(o => o.IdPrefix = "OPS").AddIncidents(o => o.ConflictRetries = 9);

        Assert.Single(services, d => d.ServiceType == typeof(IncidentService));
        Assert.Single(services, d => d.ServiceType == typeof(IIncidentStore));
        Assert.Single(services, d => d.ServiceType == typeof(ISloAlertObserver));
        using ServiceProvider provider = services.BuildServiceProvider();
        IncidentOptions options = provider.GetRequiredService<IOptions<IncidentOptions>>().Value;
        Assert.Equal(("OPS", 9), (options.IdPrefix, options.ConflictRetries));
    }

    [Fact]
    public void AddIncidents_Defaults_InMemoryStoreAndDocumentedOptions()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddIncidents();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryIncidentStore>(provider.GetRequiredService<IIncidentStore>());
        IncidentOptions o = provider.GetRequiredService<IOptions<IncidentOptions>>().Value;
        Assert.Equal("INC", o.IdPrefix);
        Assert.Equal(5, o.ConflictRetries);
        Assert.True(o.OpenFromSloAlerts);
        Assert.Equal((Severity.Sev2, Severity.Sev4), (o.SloPageSeverity, o.SloTicketSeverity));
        Assert.Equal(TimeSpan.FromDays(30), o.StatisticsWindow);
        Assert.Equal(TimeSpan.FromMinutes(1), o.StatisticsRefreshInterval);
        Assert.Equal(AlertGrouping.PerAlert, o.Alertmanager.Grouping);
        Assert.Equal("severity", o.Alertmanager.SeverityLabel);
        Assert.Equal(Severity.Sev3, o.Alertmanager.DefaultSeverity);
        Assert.Equal(Severity.Sev1, o.Alertmanager.SeverityMap["CRITICAL"]);
    }

    [Fact]
    public void AddIncidents_StoreRegisteredFirst_IsKept()
    {
        var store = new InMemoryIncidentStore();
        var services = new ServiceCollection();
        services.AddSingleton<IIncidentStore>(store);
        services.AddMusubiMonitoring().AddIncidents();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IncidentService>().Store);
    }

    [Fact]
    public async Task AddIncidents_InvalidOptions_FailHostStartNamingEach()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMusubiMonitoring().AddIncidents(o =>
        {
            o.IdPrefix = "";
            o.StatisticsWindow = TimeSpan.FromMinutes(5);
            o.Alertmanager.SeverityMap["odd"] = (Severity)0;
        });
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IdPrefix is ''", ex.Message, StringComparison.Ordinal);
        Assert.Contains("StatisticsWindow is 00:05:00", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SeverityMap[\"odd\"] is 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SloPageAlert_OpensAnIncidentAndItsResolutionResolvesIt()
    {
        using var harness = new Harness();
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        // 3% errors against a 99.9% SLO: a burn rate of 30 pages after a minute.
        for (int minute = 0; minute < 10; minute++)
        {
            orders.Add(970, new KeyValuePair<string, object?>("outcome", "ok"));
            orders.Add(30, new KeyValuePair<string, object?>("outcome", "error"));
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        }

        IncidentPage open = await harness.Service.ListAsync(new IncidentQuery { Open = true });
        Assert.Equal(2, open.Total);   // the page and the ticket
        Incident page = Assert.Single(open.Items, i => i.Severity == Severity.Sev2);
        Assert.Equal("slo:orders-availability:SLOErrorBudgetBurnPage", page.AlertKey);
        Assert.Equal("SLO orders-availability of checkout is burning its error budget (page)", page.Title);
        Assert.Equal(T0.AddMinutes(1), page.DetectedAt);
        Assert.Contains("burn rate 30 over 1h/5m, 6h/30m", page.Timeline[1].Text, StringComparison.Ordinal);
        Assert.Equal(["checkout"], page.AffectedServices);
        Assert.Single(open.Items, i => i.Severity == Severity.Sev4);

        for (int minute = 0; minute < 60; minute++)
        {
            orders.Add(1000, new KeyValuePair<string, object?>("outcome", "ok"));
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        }

        Incident resolved = (await harness.Service.GetAsync(page.Id))!;
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal("slo-monitor", resolved.Timeline[^1].Actor);
        Assert.Equal(1, (await harness.Service.ListAsync(new IncidentQuery { Open = true })).Total);   // the ticket's 6h window still burns
    }

    [Fact]
    public async Task SloAlerts_OpenFromSloAlertsOff_OpenNothing()
    {
        using var harness = new Harness(o => o.OpenFromSloAlerts = false);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");
        orders.Add(1000, new KeyValuePair<string, object?>("outcome", "error"));

        IReadOnlyList<SloAlert> alerts = await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        Assert.NotEmpty(alerts);
        Assert.Equal(0, (await harness.Service.ListAsync()).Total);
    }

    [Fact]
    public async Task Metrics_OpenBySeverityAndMttaMttrExportedThroughTheCollector()
    {
        using var harness = new Harness();
        IncidentService service = harness.Service;
        Incident a = await service.OpenAsync("a", Severity.Sev1, "ana");
        harness.Time.Advance(TimeSpan.FromMinutes(2));
        await service.AcknowledgeAsync(a.Id, "ana");
        harness.Time.Advance(TimeSpan.FromMinutes(8));
        await service.TransitionAsync(a.Id, IncidentStatus.Resolved, "ana");
        Incident b = await service.OpenAsync("b", Severity.Sev1, "ana");
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await service.AcknowledgeAsync(b.Id, "ana");
        await service.OpenAsync("c", Severity.Sev3, "ana");
        await service.MetricsRefresh;

        MetricsSnapshot snapshot = harness.Collector.Collect();

        MetricFamilySnapshot open = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_incidents_open"));
        Assert.Equal([("SEV1", 1d), ("SEV2", 0d), ("SEV3", 1d), ("SEV4", 0d), ("SEV5", 0d)],
            open.Series.Select(s => (s.Label("severity")!, s.Value)).OrderBy(p => p.Item1, StringComparer.Ordinal));
        MetricFamilySnapshot mtta = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_incidents_time_to_acknowledge_seconds"));
        Assert.Equal(180, mtta.Series.Single(s => s.Label("severity") == "SEV1" && s.Label("statistic") == "mean").Value);
        Assert.Equal(240, mtta.Series.Single(s => s.Label("severity") == "SEV1" && s.Label("statistic") == "p90").Value);
        MetricFamilySnapshot mttr = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_incidents_time_to_resolve_seconds"));
        Assert.Equal(600, Assert.Single(mttr.Series, s => s.Label("statistic") == "median").Value);
        Assert.DoesNotContain(mtta.Series, s => s.Label("severity") == "SEV3");   // unacknowledged: no figure
    }

    [Fact]
    public async Task Metrics_ManyAlertsDuringARefresh_FoldIntoOneMoreRefreshNotOnePerAlert()
    {
        var store = new GatedListStore();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        services.AddSingleton<IIncidentStore>(store);
        services.AddMusubiMonitoring().AddIncidents();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IncidentService service = provider.GetRequiredService<IncidentService>();

        for (int i = 0; i < 100; i++)
        {
            await service.HandleAlertAsync(new IncidentAlert("am:" + i, IncidentAlertState.Firing, "alert " + i, Severity.Sev3, "alertmanager"));
        }

        store.Gate.SetResult();
        await service.MetricsRefresh;

        // One refresh reads 5 open counts and 1 page of the window; the first was held while the 100 alerts came.
        Assert.Equal(12, store.Lists);
        Assert.Equal(100, (await store.ListAsync(new IncidentQuery { Open = true, Take = 1 })).Total);
    }

    [Fact]
    public async Task Metrics_ChangesSavedByAnotherWriter_ShowAfterTheRefreshInterval()
    {
        var time = new FakeTimeProvider(T0);
        var store = new InMemoryIncidentStore();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IIncidentStore>(store);
        builder.Services.AddMusubiMonitoring(o => o.Metrics.MeterName = "Musubi.IncidentTests.Refresh." + Guid.NewGuid().ToString("N"))
            .AddIncidents(o => o.StatisticsRefreshInterval = TimeSpan.FromMinutes(1));
        using IHost host = builder.Build();
        await host.StartAsync();
        IncidentService service = host.Services.GetRequiredService<IncidentService>();
        MusubiMetricsCollector collector = host.Services.GetRequiredService<MusubiMetricsCollector>();
        await service.MetricsRefresh;

        await store.AddAsync(Incident.Open("INC-other", "saved by another host", Severity.Sev1, T0, "elsewhere"));
        double before = collector.Collect().Find("musubi_incidents_open")!.Series.Single(s => s.Label("severity") == "SEV1").Value;
        time.Advance(TimeSpan.FromMinutes(1));
        await service.MetricsRefresh;
        double after = collector.Collect().Find("musubi_incidents_open")!.Series.Single(s => s.Label("severity") == "SEV1").Value;
        await host.StopAsync();

        Assert.Equal((0d, 1d), (before, after));
    }

    /// <summary>An in-memory store whose listings wait for a gate and are counted.</summary>
    private sealed class GatedListStore : IIncidentStore
    {
        private readonly InMemoryIncidentStore _inner = new();
        private int _lists;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Lists => Volatile.Read(ref _lists);

        public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default) => _inner.AddAsync(incident, cancellationToken);

        public Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default) => _inner.UpdateAsync(incident, cancellationToken);

        public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default) => _inner.FindByAlertKeyAsync(alertKey, cancellationToken);

        public async Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default)
        {
            if (!Gate.Task.IsCompleted)
            {
                Interlocked.Increment(ref _lists);
                await Gate.Task;
                return await _inner.ListAsync(query, cancellationToken);
            }

            Interlocked.Increment(ref _lists);
            return await _inner.ListAsync(query, cancellationToken);
        }
    }

    /// <summary>A container with the monitoring core, one SLO, incidents and a fake clock.</summary>
    private sealed class Harness : IDisposable
    {
        private readonly ServiceProvider _provider;

        public Harness(Action<IncidentOptions>? configure = null)
        {
            string prefix = "Musubi.IncidentTests." + Guid.NewGuid().ToString("N");
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Time);
            services.AddMusubiMonitoring(o =>
            {
                o.ServiceName = "checkout";
                o.Metrics.Meters.Clear();
                o.Metrics.Meters.Add(prefix + "*");
                o.Metrics.MeterName = prefix + ".Core";
            })
            .AddSlo(new ServiceLevelObjective("orders-availability", "checkout",
                Sli.FromBadEvents(SliKind.Availability, new MetricSelector("orders_total"),
                    new MetricSelector("orders_total", new LabelMatcher("outcome", MatchOperator.Equal, "error"))),
                Objective.Percent(99.9m), TimeSpan.FromDays(30)))
            .AddIncidents(configure);
            _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            Meter = _provider.GetRequiredService<IMeterFactory>().Create(prefix);
            Collector = _provider.GetRequiredService<MusubiMetricsCollector>();
            Monitor = _provider.GetRequiredService<SloMonitor>();
            Service = _provider.GetRequiredService<IncidentService>();
        }

        public FakeTimeProvider Time { get; } = new(T0);

        public Meter Meter { get; }

        public MusubiMetricsCollector Collector { get; }

        public SloMonitor Monitor { get; }

        public IncidentService Service { get; }

        public async Task<IReadOnlyList<SloAlert>> AdvanceAndEvaluateAsync(TimeSpan by)
        {
            Time.Advance(by);
            return await Monitor.EvaluateAsync();
        }

        public void Dispose() => _provider.Dispose();
    }
}
