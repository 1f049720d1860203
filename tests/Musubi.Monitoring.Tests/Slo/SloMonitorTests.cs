using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Metrics;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class SloMonitorTests
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    private static ServiceLevelObjective OrdersSlo(string id = "orders-availability", decimal percent = 99.9m) => new(
        id, "checkout",
        Sli.FromBadEvents(SliKind.Availability,
            new MetricSelector("orders_total"),
            new MetricSelector("orders_total", new LabelMatcher("outcome", MatchOperator.Regex, "error|timeout"))),
        Objective.Percent(percent), Period);

    /// <summary>Records <paramref name="requests"/> orders of which <paramref name="errors"/> failed.</summary>
    private static void Record(Counter<long> orders, int requests, int errors)
    {
        orders.Add(requests - errors, new KeyValuePair<string, object?>("outcome", "ok"));
        if (errors > 0)
        {
            orders.Add(errors, new KeyValuePair<string, object?>("outcome", "error"));
        }
    }

    [Fact]
    public async Task EvaluateAsync_ZeroTraffic_BudgetOneNoNaNNoAlert()
    {
        using var harness = new SloHarness([OrdersSlo()]);

        IReadOnlyList<SloAlert> alerts = await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(5));

        SloStatus status = harness.Monitor.GetStatus("orders-availability");
        Assert.Empty(alerts);
        Assert.Empty(harness.Observer.Alerts);
        Assert.Equal(1m, status.Sli);
        Assert.Equal(1m, status.ErrorBudgetRemaining);
        Assert.Equal(0, status.TotalEvents);
        Assert.All(status.BurnRates.Values, rate => Assert.Equal(0m, rate));
        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(3), Period],
            status.BurnRates.Keys.Order());
        Assert.Empty(status.ActiveAlerts);
        Assert.Equal(harness.Time.GetUtcNow(), status.EvaluatedAt);
    }

    [Fact]
    public void GetStatus_BeforeFirstEvaluation_NoTraffic()
    {
        using var harness = new SloHarness([OrdersSlo()]);

        SloStatus status = harness.Monitor.GetStatus("orders-availability");

        Assert.Equal(1m, status.Sli);
        Assert.Equal(1m, status.ErrorBudgetRemaining);
        Assert.Equal(DateTimeOffset.MinValue, status.EvaluatedAt);
        Assert.Equal("checkout", status.Service);
        Assert.Equal(Objective.Percent(99.9m), status.Objective);
    }

    [Fact]
    public void GetStatus_UnknownId_ThrowsNamingTheId()
    {
        using var harness = new SloHarness([OrdersSlo()]);

        ArgumentException error = Assert.Throws<ArgumentException>(() => harness.Monitor.GetStatus("nope"));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("orders-availability", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => harness.Monitor.GetStatus(null!));
    }

    [Fact]
    public async Task EvaluateAsync_NoErrorSeriesYet_SliIsOne()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        Record(orders, 500, 0);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        SloStatus status = harness.Monitor.GetStatus("orders-availability");
        Assert.Equal(1m, status.Sli);
        Assert.Equal(1m, status.ErrorBudgetRemaining);
        Assert.Equal(500, status.TotalEvents);
        Assert.Equal(0, status.BadEvents);
        Assert.All(status.BurnRates.Values, rate => Assert.Equal(0m, rate));
    }

    [Fact]
    public async Task EvaluateAsync_FastBurn_PagesOnceThenResolvesOnce()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        // 3% errors for 10 minutes against a 99.9% SLO: a burn rate of 30.
        var transitions = new List<SloAlert>();
        for (int minute = 0; minute < 10; minute++)
        {
            Record(orders, 1000, 30);
            transitions.AddRange(await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1)));
        }

        SloAlert page = Assert.Single(harness.Observer.Alerts, a => a.Severity == AlertSeverity.Page);
        Assert.Equal(SloAlertState.Firing, page.State);
        Assert.Equal(SloRules.PageAlertName, page.AlertName);
        Assert.Equal("orders-availability", page.SloId);
        Assert.Equal("checkout", page.Service);
        Assert.Equal(["1h/5m", "6h/30m"], page.Windows);
        Assert.Equal(30m, page.BurnRate);
        Assert.Equal(SloHarness.Start + TimeSpan.FromMinutes(1), page.Time);
        SloAlert ticket = Assert.Single(harness.Observer.Alerts, a => a.Severity == AlertSeverity.Ticket);
        Assert.Equal(SloRules.TicketAlertName, ticket.AlertName);
        Assert.Equal(["3d/6h"], ticket.Windows);
        // The observer saw what the evaluation returned (concurrently, so in any order).
        Assert.Equal(transitions, harness.Observer.Alerts.OrderBy(a => a.Severity));

        SloStatus burning = harness.Monitor.GetStatus("orders-availability");
        Assert.Equal(0.97m, burning.Sli);
        Assert.Equal(30m, burning.BurnRates[TimeSpan.FromMinutes(5)]);
        Assert.Equal(1m - 30m, burning.ErrorBudgetRemaining);
        Assert.Equal(10_000, burning.TotalEvents);
        Assert.Equal(300, burning.BadEvents);
        Assert.Equal(2, burning.ActiveAlerts.Count);

        // The errors stop; good traffic goes on past the short windows (5 and 30 minutes).
        for (int minute = 0; minute < 60; minute++)
        {
            Record(orders, 1000, 0);
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        }

        SloAlert[] pages = [.. harness.Observer.Alerts.Where(a => a.Severity == AlertSeverity.Page)];
        Assert.Equal([SloAlertState.Firing, SloAlertState.Resolved], pages.Select(a => a.State));
        Assert.Empty(pages[1].Windows);
        SloStatus after = harness.Monitor.GetStatus("orders-availability");
        Assert.Equal(0m, after.BurnRates[TimeSpan.FromMinutes(5)]);
        Assert.DoesNotContain(after.ActiveAlerts, a => a.Severity == AlertSeverity.Page);
        // The ticket's 6-hour window still holds the burst.
        Assert.Contains(after.ActiveAlerts, a => a.Severity == AlertSeverity.Ticket);
    }

    [Fact]
    public async Task EvaluateAsync_SlowBurn_TicketOnly()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        // 0.3% errors for 7 hours: a burn rate of 3, above the ticket's 1 and below the pages' 14.4 and 6.
        for (int step = 0; step < 42; step++)
        {
            Record(orders, 10_000, 30);
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(10));
        }

        SloAlert alert = Assert.Single(harness.Observer.Alerts);
        Assert.Equal(AlertSeverity.Ticket, alert.Severity);
        Assert.Equal(SloAlertState.Firing, alert.State);
        Assert.Equal(["3d/6h"], alert.Windows);
        Assert.Equal(3m, alert.BurnRate);
        Assert.Equal(3m, harness.Monitor.GetStatus("orders-availability").BurnRates[TimeSpan.FromHours(6)]);
    }

    [Fact]
    public async Task EvaluateAsync_CounterReset_CountsTheNewValueNotANegativeDelta()
    {
        long total = 0;
        long bad = 0;
        var slo = new ServiceLevelObjective("jobs", "worker",
            Sli.FromBadEvents(SliKind.ErrorRate, new MetricSelector("jobs_total"), new MetricSelector("jobs_failed_total")),
            Objective.Percent(99m), Period);
        using var harness = new SloHarness([slo]);
        harness.Meter.CreateObservableCounter("jobs", () => Volatile.Read(ref total));
        harness.Meter.CreateObservableCounter("jobs.failed", () => Volatile.Read(ref bad));

        total = 1000;
        bad = 10;
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        // The process behind the counters restarted: they start again from 0.
        total = 100;
        bad = 0;
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        total = 300;
        bad = 2;
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        SloStatus status = harness.Monitor.GetStatus("jobs");
        Assert.Equal(1300, status.TotalEvents);
        Assert.Equal(12, status.BadEvents);
        Assert.Equal(Math.Round(1m - (12m / 1300m), 12), Math.Round(status.Sli, 12));
        Assert.All(status.BurnRates.Values, rate => Assert.True(rate >= 0m));
    }

    [Fact]
    public async Task BucketCount_AfterSixtyDays_StaysConstantAndOldErrorsExpire()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");
        int buckets = harness.Monitor.BucketCount;

        // 361 one-minute buckets for 6 hours, 721 one-hour buckets for 30 days.
        Assert.Equal(361 + 721, buckets);
        Record(orders, 1000, 500);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        Assert.True(harness.Monitor.GetStatus("orders-availability").ErrorBudgetRemaining < 0m);
        for (int hour = 0; hour < 60 * 24; hour++)
        {
            Record(orders, 100, 0);
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromHours(1));
        }

        SloStatus status = harness.Monitor.GetStatus("orders-availability");
        Assert.Equal(buckets, harness.Monitor.BucketCount);
        Assert.Equal(1m, status.ErrorBudgetRemaining);
        Assert.Equal(0, status.BadEvents);
        // The oldest hour of the period is counted by the share of it inside the window.
        Assert.InRange(status.TotalEvents, (30 * 24 * 100) - 100, (30 * 24 * 100) + 100);
    }

    [Fact]
    public async Task EvaluateAsync_LatencyHistogramAtBucketBoundary_CountsObservationsAtTheThresholdAsGood()
    {
        var slo = new ServiceLevelObjective("search-latency", "search",
            Sli.Latency("search_duration_seconds", 0.25, new LabelMatcher("route", MatchOperator.Equal, "/search")),
            Objective.Percent(95m), Period);   // (90% would be refused: the 1h/5m tier's threshold, 1.44, could never be crossed)
        using var harness = new SloHarness([slo]);
        Histogram<double> duration = harness.Meter.CreateHistogram<double>("search.duration", "s");
        var search = new KeyValuePair<string, object?>("route", "/search");
        var other = new KeyValuePair<string, object?>("route", "/other");

        for (int i = 0; i < 70; i++)
        {
            duration.Record(0.1, search);
        }

        for (int i = 0; i < 10; i++)
        {
            duration.Record(0.25, search); // at the boundary: le="0.25" holds it, so it is good
        }

        for (int i = 0; i < 20; i++)
        {
            duration.Record(0.3, search);
            duration.Record(5, other);
        }

        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        SloStatus status = harness.Monitor.GetStatus("search-latency");
        Assert.Equal(100, status.TotalEvents);
        Assert.Equal(20, status.BadEvents);
        Assert.Equal(0.8m, status.Sli);
        Assert.Equal(-3m, status.ErrorBudgetRemaining);
        Assert.Equal(4m, status.BurnRates[TimeSpan.FromMinutes(5)]);
    }

    [Fact]
    public async Task EvaluateAsync_GoodEventsSli_BadIsTotalLessGood()
    {
        var slo = new ServiceLevelObjective("answers", "bot",
            Sli.FromGoodEvents(SliKind.Correctness, new MetricSelector("answers_total"),
                new MetricSelector("answers_total", new LabelMatcher("correct", MatchOperator.NotEqual, "false"))),
            Objective.Percent(95m), Period);
        using var harness = new SloHarness([slo]);
        Counter<long> answers = harness.Meter.CreateCounter<long>("answers");

        answers.Add(90, new KeyValuePair<string, object?>("correct", "true"));
        answers.Add(10, new KeyValuePair<string, object?>("correct", "false"));
        answers.Add(100);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        SloStatus status = harness.Monitor.GetStatus("answers");
        Assert.Equal(200, status.TotalEvents);
        Assert.Equal(10, status.BadEvents);
        Assert.Equal(0.95m, status.Sli);
        Assert.Equal(0m, status.ErrorBudgetRemaining);
    }

    [Fact]
    public async Task EvaluateAsync_ThrowingObserver_ReportedAndNextEvaluationRuns()
    {
        var throwing = new ThrowingObserver();
        using var listener = new EventCapture();
        using var harness = new SloHarness([OrdersSlo()], s => s.AddSingleton<ISloAlertObserver>(throwing));
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        Record(orders, 1000, 100);
        IReadOnlyList<SloAlert> first = await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        Record(orders, 1000, 0);
        for (int minute = 0; minute < 60; minute++)
        {
            Record(orders, 1000, 0);
            await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(2, first.Count);
        Assert.True(throwing.Calls >= 3);
        Assert.Contains(harness.Observer.Alerts, a => a.Severity == AlertSeverity.Page && a.State == SloAlertState.Resolved);
        Assert.Contains(listener.Events, e => e.EventId == 40 && e.Payload!.Contains(typeof(ThrowingObserver).FullName!, StringComparison.Ordinal));
        Assert.Equal(harness.Time.GetUtcNow(), harness.Monitor.GetStatus("orders-availability").EvaluatedAt);
    }

    [Fact]
    public async Task EvaluateAsync_HangingObserver_TimesOutAndReported()
    {
        var hanging = new HangingObserver();
        using var listener = new EventCapture();
        using var harness = new SloHarness([OrdersSlo()], s => s.AddSingleton<ISloAlertObserver>(hanging),
            o => o.ObserverTimeout = TimeSpan.FromSeconds(2));
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        Record(orders, 1000, 100);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Task<IReadOnlyList<SloAlert>> evaluation = harness.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await hanging.Started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await harness.Observer.FirstAsync(a => a.Severity == AlertSeverity.Page);
        await harness.Observer.FirstAsync(a => a.Severity == AlertSeverity.Ticket);
        Assert.False(evaluation.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        IReadOnlyList<SloAlert> alerts = await evaluation.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, alerts.Count);
        Assert.Equal(2, harness.Observer.Alerts.Count);
        await hanging.Cancelled.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Contains(listener.Events, e => e.EventId == 41);
        Assert.Empty(await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Timer_HostStarted_EvaluatesEveryInterval()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");
        IHostedService[] hosted = [.. harness.Services.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(TestContext.Current.CancellationToken);
        }

        Record(orders, 1000, 100);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        SloAlert page = await harness.Observer.FirstAsync(a => a.Severity == AlertSeverity.Page);

        Assert.Equal(SloAlertState.Firing, page.State);
        Assert.Equal(SloHarness.Start + TimeSpan.FromSeconds(10), page.Time);
        foreach (IHostedService service in hosted)
        {
            await service.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Gauges_AfterEvaluation_InCollectorSnapshotWithSloServiceAndWindowLabels()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");
        Record(orders, 1000, 3);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        MetricsSnapshot snapshot = harness.Collector.Collect();

        MetricFamilySnapshot remaining = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_slo_error_budget_remaining"));
        MetricSeriesSnapshot series = Assert.Single(remaining.Series);
        Assert.Equal([new("service", "checkout"), new("slo", "orders-availability")], series.Labels);
        Assert.Equal(-2, series.Value, 10);
        MetricFamilySnapshot sli = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_slo_sli"));
        Assert.Equal(0.997, Assert.Single(sli.Series).Value, 10);
        MetricFamilySnapshot burn = Assert.IsType<MetricFamilySnapshot>(snapshot.Find("musubi_slo_burn_rate"));
        Assert.Equal(["1h", "30d", "30m", "3d", "5m", "6h"], burn.Series.Select(s => s.Label("window")!).Order(StringComparer.Ordinal));
        Assert.All(burn.Series, s =>
        {
            Assert.Equal("orders-availability", s.Label("slo"));
            Assert.Equal("checkout", s.Label("service"));
            Assert.Equal(3, s.Value, 10);
        });
    }

    [Fact]
    public async Task Gauges_ZeroTraffic_NoNaN()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        MetricsSnapshot snapshot = harness.Collector.Collect();

        foreach (string name in new[] { "musubi_slo_error_budget_remaining", "musubi_slo_sli", "musubi_slo_burn_rate" })
        {
            Assert.All(snapshot.Find(name)!.Series, s => Assert.False(double.IsNaN(s.Value)));
        }

        Assert.Equal(1, snapshot.Find("musubi_slo_sli")!.Series[0].Value);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public async Task EvaluateAsync_AnyCulture_SameNumbersAndWindowNames(string culture)
    {
        using var scope = new CultureScope(culture);
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");
        Record(orders, 1000, 30);
        IReadOnlyList<SloAlert> alerts = await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(["1h/5m", "6h/30m"], alerts[0].Windows);
        Assert.Equal(0.97m, harness.Monitor.GetStatus("orders-availability").Sli);
        MetricFamilySnapshot burn = harness.Collector.Collect().Find("musubi_slo_burn_rate")!;
        Assert.Contains(burn.Series, s => s.Label("window") == "5m");
        Assert.Contains("musubi_slo_burn_rate{service=\"checkout\",slo=\"orders-availability\",window=\"5m\"} 30\n",
            MetricsHarness.Scrape(harness.Collector, ExpositionFormat.PrometheusText), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WindowLongerThanDataSeen_UsesWhatExists()
    {
        using var harness = new SloHarness([OrdersSlo()]);
        Counter<long> orders = harness.Meter.CreateCounter<long>("orders");

        Record(orders, 1000, 2);
        await harness.AdvanceAndEvaluateAsync(TimeSpan.FromMinutes(1));

        // One minute of data: every window, up to the 30-day period, sees the same 0.2%.
        SloStatus status = harness.Monitor.GetStatus("orders-availability");
        Assert.All(status.BurnRates.Values, rate => Assert.Equal(2m, rate));
    }

    [Fact]
    public void Options_Defaults_TenSecondsAndTenSeconds()
    {
        var options = new SloOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.EvaluationInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ObserverTimeout);
    }

    [Fact]
    public void Options_Invalid_FailAtStartNamingOptionAndValue()
    {
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => new SloHarness([OrdersSlo()], options: o =>
        {
            o.EvaluationInterval = TimeSpan.FromMinutes(2);
            o.ObserverTimeout = TimeSpan.Zero;
        }));

        Assert.Contains("SloOptions.EvaluationInterval is 00:02:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("SloOptions.ObserverTimeout is 00:00:00", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingObserver : ISloAlertObserver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("observer broke");
        }
    }

    private sealed class HangingObserver : ISloAlertObserver
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task OnAlertAsync(SloAlert alert, CancellationToken cancellationToken)
        {
            cancellationToken.Register(() => Cancelled.TrySetResult());
            Started.TrySetResult();
            return new TaskCompletionSource().Task;
        }
    }

    private sealed class EventCapture : EventListener
    {
        public System.Collections.Concurrent.ConcurrentQueue<(int EventId, string? Payload)> Events { get; } = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Musubi-Monitoring")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) =>
            Events.Enqueue((eventData.EventId, eventData.Payload is null ? null : string.Join("|", eventData.Payload.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)))));
    }
}
