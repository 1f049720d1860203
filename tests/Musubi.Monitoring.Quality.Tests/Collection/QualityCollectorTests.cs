using Microsoft.Extensions.Time.Testing;
using static Musubi.Monitoring.Quality.Tests.QualitySamples;

namespace Musubi.Monitoring.Quality.Tests.Collection;

public sealed class QualityCollectorTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryQualityHistoryStore _store = new();
    private readonly ListLogger _logger = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private QualityCollector Create(IQualitySource source, IQualityHistoryStore? store = null, QualityHistoryOptions? options = null, params IQualityAlertSink[] sinks) =>
        new(source, store ?? _store, options, sinks, _time, _logger);

    private async Task TickAsync(QualityCollector collector, TimeSpan by)
    {
        _time.Advance(by);
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);
    }

    [Fact]
    public void QualityHistoryOptions_Defaults()
    {
        var options = new QualityHistoryOptions();

        Assert.Equal((Hour, true, 10_000, 100), (options.Interval, options.CollectOnStart, options.InMemoryCapacity, options.MaxPendingSnapshots));
        Assert.Empty(options.Thresholds);
        Assert.Equal(5, options.Trends.Window);
    }

    [Theory]
    [InlineData(0, "Interval is 00:00:00")]
    [InlineData(-1, "Interval is -00:00:01")]
    [InlineData(3_000_000, "Interval is 34.17:20:00")]
    public void Constructor_IntervalOutOfRange_ThrowsNamingIt(int seconds, string expected)
    {
        var options = new QualityHistoryOptions { Interval = TimeSpan.FromSeconds(seconds) };

        ArgumentException e = Assert.Throws<ArgumentException>("options", () => Create(new ScriptedSource(_time, 80m), options: options));

        Assert.Contains("QualityHistoryOptions." + expected, e.Message);
    }

    [Fact]
    public void Constructor_InvalidCountsAndTrends_ThrowsNamingEach()
    {
        var options = new QualityHistoryOptions { InMemoryCapacity = 0, MaxPendingSnapshots = -1 };
        options.Trends.Window = 1;

        ArgumentException e = Assert.Throws<ArgumentException>("options", () => Create(new ScriptedSource(_time, 80m), options: options));

        Assert.Contains("InMemoryCapacity is 0", e.Message);
        Assert.Contains("MaxPendingSnapshots is -1", e.Message);
        Assert.Contains("QualityHistoryOptions.Trends.Window is 1", e.Message);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("source", () => new QualityCollector(null!, _store));
        Assert.Throws<ArgumentNullException>("store", () => new QualityCollector(new ScriptedSource(_time, 1m), null!));
        Assert.Throws<ArgumentNullException>("sinks", () => new QualityCollector(new ScriptedSource(_time, 1m), _store, sinks: [null!]));
    }

    [Fact]
    public async Task Start_CollectOnStart_CollectsAtOnceThenEveryInterval()
    {
        var source = new ScriptedSource(_time, 85m, 86m, 87m);
        await using QualityCollector collector = Create(source);

        collector.Start();
        await TickAsync(collector, TimeSpan.Zero);
        Assert.Equal(1, source.Calls);

        await TickAsync(collector, Hour - TimeSpan.FromSeconds(1));
        Assert.Equal(1, source.Calls);

        await TickAsync(collector, TimeSpan.FromSeconds(1));
        await TickAsync(collector, Hour);

        Assert.Equal(3, source.Calls);
        IReadOnlyList<QualitySnapshot> stored = await _store.GetLatestAsync(10, Token);
        Assert.Equal([T0, T0 + Hour, T0 + (2 * Hour)], stored.Select(s => s.Timestamp));
        Assert.Equal(87m, collector.LastSnapshot!.Measurements[0].Value);
    }

    [Fact]
    public async Task Start_WithoutCollectOnStart_WaitsOneInterval()
    {
        var source = new ScriptedSource(_time, 85m);
        await using QualityCollector collector = Create(source, options: new QualityHistoryOptions { CollectOnStart = false, Interval = TimeSpan.FromMinutes(10) });

        collector.Start();
        await TickAsync(collector, TimeSpan.FromMinutes(9));
        Assert.Equal(0, source.Calls);

        await TickAsync(collector, TimeSpan.FromMinutes(1));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task AlertLog_ValueWithManyDecimals_IsCutToFourTowardTheWorseSide()
    {
        // 2 of 3 lines: 66.666…; the log line showed all 28 digits.
        var source = new ScriptedSource(_time, 85m, 200m / 3m);
        await using QualityCollector collector = Create(source);

        collector.Start();
        await TickAsync(collector, TimeSpan.Zero);
        await TickAsync(collector, Hour);

        string line = Assert.Single(_logger.Entries, e => e.Id.Id == 5201).Message;
        Assert.Equal("Quality alert: line_coverage went from Healthy to Warning (value 66.6666…, healthy at 80, critical at 60).", line);
    }

    [Fact]
    public async Task Timer_StatusChanges_AlertOnceEachThroughEventAndEverySinkEvenWhenOneThrows()
    {
        // Healthy, Warning (79.999 is below 80), Warning again, Critical, Healthy.
        var source = new ScriptedSource(_time, 85m, 79.999m, 79m, 59m, 85m);
        var throwing = new ThrowingSink();
        var recording = new RecordingSink();
        await using QualityCollector collector = Create(source, sinks: [throwing, recording]);
        var raised = new List<QualityAlert>();
        collector.AlertRaised += (_, _) => throw new InvalidOperationException("handler bug");
        collector.AlertRaised += (sender, e) =>
        {
            Assert.Same(collector, sender);
            raised.Add(e.Alert);
        };

        collector.Start();
        await TickAsync(collector, TimeSpan.Zero);
        for (int i = 0; i < 4; i++)
        {
            await TickAsync(collector, Hour);
        }

        (QualityStatus, QualityStatus, QualityAlertKind, decimal?)[] expected =
        [
            (QualityStatus.Healthy, QualityStatus.Warning, QualityAlertKind.Degraded, 79.999m),
            (QualityStatus.Warning, QualityStatus.Critical, QualityAlertKind.Degraded, 59m),
            (QualityStatus.Critical, QualityStatus.Healthy, QualityAlertKind.Resolved, 85m),
        ];
        Assert.Equal(expected, raised.Select(a => (a.PreviousStatus, a.Status, a.Kind, a.Value)));
        Assert.Equal(raised, recording.Alerts);
        Assert.Equal(3, throwing.Calls);
        Assert.Equal([T0 + Hour, T0 + (3 * Hour), T0 + (4 * Hour)], raised.Select(a => a.Timestamp));
        Assert.Equal(80m, raised[0].Threshold.Healthy);
        Assert.Equal(3, _logger.Entries.Count(e => e.Id.Id == 5206 && e.Exception is InvalidOperationException { Message: "chat service down" }));
        Assert.Equal(3, _logger.Entries.Count(e => e.Id.Id == 5207));
        Assert.Equal(5, (await _store.GetLatestAsync(10, Token)).Count);
    }

    [Fact]
    public async Task Timer_TickWhileCollecting_IsSkippedNotOverlapped()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new ScriptedSource(_time, 85m) { Gate = _ => release.Task };
        await using QualityCollector collector = Create(source);

        collector.Start();
        _time.Advance(TimeSpan.Zero);
        _time.Advance(Hour);
        _time.Advance(Hour);
        Assert.Equal(1, source.Calls);
        Assert.Equal(2, collector.SkippedCollections);
        QualityCollectionResult manual = await collector.CollectAsync(Token);
        Assert.Equal(QualityCollectionOutcome.Skipped, manual.Outcome);

        release.SetResult();
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Single(await _store.GetLatestAsync(10, Token));
        source.Gate = null;
        await TickAsync(collector, Hour);
        Assert.Equal(2, (await _store.GetLatestAsync(10, Token)).Count);
    }

    [Fact]
    public async Task Timer_SourceThrows_IsLoggedAndTheNextTickCollects()
    {
        var source = new ScriptedSource(_time, 85m) { FailNext = new FileNotFoundException("coverage.cobertura.xml not found") };
        await using QualityCollector collector = Create(source);

        collector.Start();
        await TickAsync(collector, TimeSpan.Zero);
        Assert.Equal(1, collector.FailedCollections);
        Assert.Empty(await _store.GetLatestAsync(10, Token));
        Assert.Contains(_logger.Entries, e => e.Id.Id == 5203 && e.Exception is FileNotFoundException);

        await TickAsync(collector, Hour);
        Assert.Single(await _store.GetLatestAsync(10, Token));
    }

    [Fact]
    public async Task CollectAsync_SourceThrows_ReturnsFailedWithTheError()
    {
        var error = new InvalidDataException("truncated XML");
        await using QualityCollector collector = Create(new ScriptedSource(_time, 85m) { FailNext = error });

        QualityCollectionResult result = await collector.CollectAsync(Token);

        Assert.Equal((QualityCollectionOutcome.Failed, (QualitySnapshot?)null, (Exception?)error), (result.Outcome, result.Snapshot, result.Error));
    }

    [Fact]
    public async Task CollectAsync_StoreRefuses_KeepsSnapshotsAndAppendsThemInOrderLater()
    {
        var store = new FlakyStore { Failing = true };
        var source = new ScriptedSource(_time, 85m, 70m, 60m);
        await using QualityCollector collector = Create(source, store);

        QualityCollectionResult first = await collector.CollectAsync(Token);
        _time.Advance(Hour);
        QualityCollectionResult second = await collector.CollectAsync(Token);

        Assert.Equal(QualityCollectionOutcome.NotStored, first.Outcome);
        Assert.IsType<IOException>(first.Error);
        Assert.Equal(QualityCollectionOutcome.NotStored, second.Outcome);
        Assert.Single(second.Alerts); // Healthy → Warning is still raised.
        Assert.Equal(2, collector.PendingSnapshots);

        store.Failing = false;
        _time.Advance(Hour);
        QualityCollectionResult third = await collector.CollectAsync(Token);

        Assert.Equal(QualityCollectionOutcome.Collected, third.Outcome);
        Assert.Equal(0, collector.PendingSnapshots);
        Assert.Equal([85m, 70m, 60m], (await store.GetLatestAsync(10, Token)).Select(s => s.Measurements[0].Value!.Value));
    }

    [Fact]
    public async Task CollectAsync_MorePendingThanAllowed_DropsTheOldestAndCountsIt()
    {
        var store = new FlakyStore { Failing = true };
        await using QualityCollector collector = Create(new ScriptedSource(_time, 1m, 2m, 3m, 4m), store, new QualityHistoryOptions { MaxPendingSnapshots = 2 });

        for (int i = 0; i < 4; i++)
        {
            await collector.CollectAsync(Token);
            _time.Advance(Hour);
        }

        store.Failing = false;
        await collector.CollectAsync(Token);

        Assert.Equal(2, collector.DroppedSnapshots);
        Assert.Equal([3m, 4m, 4m], (await store.GetLatestAsync(10, Token)).Select(s => s.Measurements[0].Value!.Value));
        Assert.Equal(2, _logger.Entries.Count(e => e.Id.Id == 5205));
    }

    [Fact]
    public async Task CollectAsync_FirstAfterRestart_ComparesWithTheLatestStoredSnapshot()
    {
        await _store.AppendAsync(Line(T0 - Hour, 70m), Token);
        await using QualityCollector collector = Create(new ScriptedSource(_time, 72m, 50m));

        QualityCollectionResult same = await collector.CollectAsync(Token);
        QualityCollectionResult worse = await collector.CollectAsync(Token);

        Assert.Empty(same.Alerts);
        QualityAlert alert = Assert.Single(worse.Alerts);
        Assert.Equal((QualityStatus.Warning, QualityStatus.Critical), (alert.PreviousStatus, alert.Status));
    }

    [Fact]
    public async Task CollectAsync_ReportDisappears_AlertsUnmeasured()
    {
        await using QualityCollector collector = Create(new ScriptedSource(_time, 85m, null));

        await collector.CollectAsync(Token);
        QualityCollectionResult gone = await collector.CollectAsync(Token);

        Assert.Equal(QualityAlertKind.Unmeasured, Assert.Single(gone.Alerts).Kind);
    }

    [Fact]
    public async Task StopAsync_StopsTheTimer()
    {
        var source = new ScriptedSource(_time, 85m);
        QualityCollector collector = Create(source);
        collector.Start();
        await TickAsync(collector, TimeSpan.Zero);

        await collector.StopAsync(Token);
        await TickAsync(collector, 5 * Hour);

        Assert.False(collector.IsStarted);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task StopAsync_WhileCollecting_WaitsForItToFinish()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new ScriptedSource(_time, 85m) { Gate = _ => release.Task };
        QualityCollector collector = Create(source);
        collector.Start();
        _time.Advance(TimeSpan.Zero);

        Task stop = collector.StopAsync(Token);
        Assert.False(stop.IsCompleted);
        release.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Single(await _store.GetLatestAsync(10, Token));
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeoutFirst_CancelsTheRunningCollectionWithoutThrowing()
    {
        var source = new ScriptedSource(_time, 85m);
        QualityCollector collector = Create(source);
        source.Gate = ct => Task.Delay(Timeout.Infinite, ct);
        collector.Start();
        _time.Advance(TimeSpan.Zero);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        await collector.StopAsync(shutdown.Token);
        await collector.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Empty(await _store.GetLatestAsync(10, Token));
        Assert.Equal(0, collector.FailedCollections);
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Start_AfterDispose_Throws()
    {
        QualityCollector collector = Create(new ScriptedSource(_time, 85m));
        await collector.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(collector.Start);
    }

    [Fact]
    public async Task GetTrendsAsync_ReadsTheWindowFromTheStore()
    {
        var options = new QualityHistoryOptions();
        options.Trends.Window = 3;
        await using QualityCollector collector = Create(new ScriptedSource(_time, 50m, 80m, 81m, 82m), options: options);
        for (int i = 0; i < 4; i++)
        {
            await collector.CollectAsync(Token);
            _time.Advance(Hour);
        }

        QualityTrend trend = Assert.Single(await collector.GetTrendsAsync(Token));

        Assert.Equal((QualityTrendDirection.Improving, 80m, 82m, 2m), (trend.Direction, trend.First!.Value, trend.Last!.Value, trend.Change!.Value));
    }
}
