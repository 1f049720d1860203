using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class MusubiMetricsTests
{
    [Fact]
    public void Counter_SameNameTwice_ReturnsSameObject()
    {
        using var harness = new MetricsHarness();
        MusubiCounter first = harness.Metrics.Counter("jobs", "Jobs.", "queue");
        MusubiCounter second = harness.Metrics.Counter("jobs", "Jobs.", "queue");
        Assert.Same(first, second);
        Assert.Same(harness.Metrics.Gauge("depth", "Depth."), harness.Metrics.Gauge("depth"));
        Assert.Same(harness.Metrics.UpDownCounter("active", "Active."), harness.Metrics.UpDownCounter("active"));
        Assert.Same(harness.Metrics.Histogram("latency", "Latency.", [1, 2], "route"), harness.Metrics.Histogram("latency", "Latency.", [1, 2], "route"));
    }

    [Fact]
    public void Counter_IncrementsAreExportedAsTotal()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs_processed", "Jobs processed.", "queue", "outcome");
        counter.Inc(labelValues: ["mail", "ok"]);
        counter.Inc(2, "mail", "ok");
        counter.WithLabels("mail", "failed").Inc(0.5);

        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("# HELP jobs_processed_total Jobs processed.\n# TYPE jobs_processed_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_processed_total{outcome=\"ok\",queue=\"mail\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_processed_total{outcome=\"failed\",queue=\"mail\"} 0.5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_NegativeAndNaNIncrements_AreIgnoredAndCountedAsInvalid()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs", "Jobs.");
        counter.Inc(3);
        counter.Inc(-1);
        counter.Inc(double.NaN);
        counter.WithLabels().Inc(-5);
        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal(3, snapshot.Find("jobs")!.Sum());
        Assert.Equal(3, snapshot.Find("musubi_metrics_invalid_measurements")!.Sum(("metric", "jobs")));
    }

    [Fact]
    public void Gauge_SetAndBoundSet_LastValueWins()
    {
        using var harness = new MetricsHarness();
        MusubiGauge gauge = harness.Metrics.Gauge("queue_depth", "Depth.", "queue");
        gauge.Set(5, "mail");
        gauge.Set(3, "mail");
        gauge.WithLabels("sms").Set(-1.5);
        MetricFamilySnapshot family = harness.Collect().Find("queue_depth")!;
        Assert.Equal(3, family.Sum(("queue", "mail")));
        Assert.Equal(-1.5, family.Sum(("queue", "sms")));
    }

    [Fact]
    public void UpDownCounter_AddAndBoundAdd_SumsDeltasAsGauge()
    {
        using var harness = new MetricsHarness();
        MusubiUpDownCounter active = harness.Metrics.UpDownCounter("active_sessions", "Sessions.", "region");
        active.Add(5, "eu");
        active.Add(-2, "eu");
        MusubiUpDownCounter.Bound bound = active.WithLabels("eu");
        bound.Add(-4);
        MetricFamilySnapshot family = harness.Collect().Find("active_sessions")!;
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(-1, family.Sum(("region", "eu")));
    }

    [Fact]
    public void Histogram_ObserveAndBoundObserve_FillBuckets()
    {
        using var harness = new MetricsHarness();
        MusubiHistogram histogram = harness.Metrics.Histogram("render_time", "Render time.", [0.1, 1], "page");
        histogram.Observe(0.05, "home");
        histogram.WithLabels("home").Observe(0.5);
        histogram.Observe(3, "home");
        HistogramSnapshot h = harness.Collect().Find("render_time")!.Series.Single().Histogram!;
        Assert.Equal([1L, 1, 1], h.BucketCounts);
        Assert.Equal(3.55, h.Sum, 10);
        Assert.Equal([0.1, 1], harness.Metrics.Histogram("render_time", "Render time.", [0.1, 1], "page").Buckets);
    }

    [Fact]
    public void Histogram_NoBuckets_UsesConfiguredDefault()
    {
        using var harness = new MetricsHarness(o => o.Metrics.DefaultHistogramBuckets = [1, 5]);
        MusubiHistogram histogram = harness.Metrics.Histogram("render_time", "Render time.");
        Assert.Null(histogram.Buckets);
        histogram.Observe(2);
        Assert.Equal([1d, 5], harness.Collect().Find("render_time")!.Series.Single().Histogram!.Bounds);
    }

    [Fact]
    public void Metrics_AreOnARealMeterFromTheFactory()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs");
        Assert.Same(harness.Metrics.Meter, counter.Instrument.Meter);
        Assert.Equal(harness.MeterPrefix + ".Convenience", harness.Metrics.Meter.Name);
        Assert.Equal("jobs", counter.Instrument.Name);
    }

    [Theory]
    [InlineData("gauge")]
    [InlineData("updown")]
    [InlineData("histogram")]
    [InlineData("other-labels")]
    [InlineData("fewer-labels")]
    public void Counter_RedefinedDifferently_ThrowsInvalidOperationException(string redefinition)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.Counter("jobs", "Jobs.", "queue");
        var e = Assert.Throws<InvalidOperationException>(() => _ = redefinition switch
        {
            "gauge" => (MusubiMetric)harness.Metrics.Gauge("jobs", "Jobs.", "queue"),
            "updown" => harness.Metrics.UpDownCounter("jobs", "Jobs.", "queue"),
            "histogram" => harness.Metrics.Histogram("jobs", "Jobs.", null, "queue"),
            "other-labels" => harness.Metrics.Counter("jobs", "Jobs.", "topic"),
            _ => harness.Metrics.Counter("jobs", "Jobs."),
        });
        Assert.Contains("'jobs'", e.Message, StringComparison.Ordinal);
    }

    // "jobs.count" and "jobs_count" are different instrument names but one Prometheus family: the second metric
    // would be created, recorded into, and silently never exported (only counted as an instrument conflict).
    [Theory]
    [InlineData("gauge")]
    [InlineData("histogram")]
    public void Gauge_NameMappingToAnExistingFamilyOfAnotherKind_ThrowsInvalidOperationException(string kind)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.Counter("jobs_count", "Jobs.");
        Assert.Throws<InvalidOperationException>(() => _ = kind == "gauge"
            ? (MusubiMetric)harness.Metrics.Gauge("jobs.count", "Jobs.")
            : harness.Metrics.Histogram("jobs-count", "Jobs."));
    }

    [Fact]
    public void Histogram_RedefinedWithOtherBuckets_ThrowsInvalidOperationException()
    {
        using var harness = new MetricsHarness();
        harness.Metrics.Histogram("latency", "Latency.", [1, 2]);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => harness.Metrics.Histogram("latency", "Latency.", [1, 3]));
        Assert.Contains("buckets [1, 2]", e.Message);
        Assert.Contains("buckets [1, 3]", e.Message);
    }

    [Fact]
    public void Histogram_AskedAgainWithoutBuckets_ReturnsTheExistingOne()
    {
        using var harness = new MetricsHarness();
        MusubiHistogram first = harness.Metrics.Histogram("latency", "Latency.", [1, 2]);
        Assert.Same(first, harness.Metrics.Histogram("latency", "Latency."));
    }

    [Theory]
    [InlineData("a b", "a:b")]
    [InlineData("jobs.done", "jobs-done")]
    public void Counter_TwoNamesExportedUnderOneName_SecondThrowsInvalidOperationException(string first, string second)
    {
        using var harness = new MetricsHarness();
        harness.Metrics.Counter(first, "Help.");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => harness.Metrics.Counter(second, "Help."));
        Assert.Contains(first, e.Message);
        Assert.Contains(second, e.Message);
    }

    [Theory]
    [InlineData("_total")]
    [InlineData("日本語")]
    public void Counter_NameLeavingNoPrometheusName_ThrowsArgumentException(string name)
    {
        using var harness = new MetricsHarness();
        ArgumentException e = Assert.Throws<ArgumentException>(() => harness.Metrics.Counter(name, "Help."));
        Assert.Equal("name", e.ParamName);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void WithLabels_NullValue_IsNoLabelLikeInc()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("nulls", "Jobs.", "queue");
        counter.WithLabels((string)null!).Inc();
        counter.Inc(1, (string)null!);
        MetricFamilySnapshot family = harness.Collect().Find("nulls")!;
        Assert.Equal(2, family.Series.Single().Value);
        Assert.Empty(family.Series.Single().Labels);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("___")]
    [InlineData("日本")]
    public void Counter_InvalidName_ThrowsArgumentExceptionNamingIt(string name)
    {
        using var harness = new MetricsHarness();
        foreach (Func<object> create in new Func<object>[]
        {
            () => harness.Metrics.Counter(name),
            () => harness.Metrics.Gauge(name),
            () => harness.Metrics.UpDownCounter(name),
            () => harness.Metrics.Histogram(name),
        })
        {
            ArgumentException e = Assert.Throws<ArgumentException>(create);
            Assert.Equal("name", e.ParamName);
            Assert.Contains("'" + name + "'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Counter_NullName_ThrowsArgumentNullException()
    {
        using var harness = new MetricsHarness();
        Assert.Throws<ArgumentNullException>(() => harness.Metrics.Counter(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    public void Counter_InvalidLabelName_ThrowsArgumentExceptionNamingIt(string label)
    {
        using var harness = new MetricsHarness();
        ArgumentException e = Assert.Throws<ArgumentException>(() => harness.Metrics.Counter("jobs", "Jobs.", "queue", label));
        Assert.Equal("labelNames", e.ParamName);
        Assert.Contains("'" + label + "'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => harness.Metrics.Histogram("latency", "Latency.", null, label));
    }

    [Theory]
    [InlineData("queue", "queue")]
    [InlineData("user.id", "user_id")]
    [InlineData("user-id", "user.id")]
    public void Counter_DuplicateLabelNames_ThrowsArgumentExceptionNamingIt(string first, string second)
    {
        using var harness = new MetricsHarness();
        ArgumentException e = Assert.Throws<ArgumentException>(() => harness.Metrics.Counter("jobs", "Jobs.", first, second));
        Assert.Equal("labelNames", e.ParamName);
        Assert.Contains("'" + second + "'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_LabelNamedLe_ThrowsArgumentException()
    {
        using var harness = new MetricsHarness();
        ArgumentException e = Assert.Throws<ArgumentException>(() => harness.Metrics.Histogram("latency", "Latency.", null, "route", "le"));
        Assert.Equal("labelNames", e.ParamName);
        Assert.Contains("'le'", e.Message, StringComparison.Ordinal);

        // Only histograms reserve it.
        harness.Metrics.Counter("jobs", "Jobs.", "le");
    }

    [Theory]
    [InlineData(new[] { 1, 0.5 }, "0.5")]
    [InlineData(new[] { 1d, 2, 2 }, "[2] is 2 after 2")]
    [InlineData(new[] { 1, double.NaN }, "NaN")]
    [InlineData(new[] { double.PositiveInfinity }, "Infinity")]
    [InlineData(new double[0], "empty")]
    public void Histogram_InvalidBuckets_ThrowsArgumentExceptionNamingTheBadValue(double[] buckets, string expected)
    {
        using var harness = new MetricsHarness();
        ArgumentException e = Assert.Throws<ArgumentException>(() => harness.Metrics.Histogram("latency", "Latency.", buckets));
        Assert.Equal("buckets", e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inc_WrongNumberOfLabelValues_DoesNotThrowAndRecordsNothing()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs", "Jobs.", "queue", "outcome");
        counter.Inc(1, "mail");
        counter.Inc(1, "mail", "ok", "extra");
        counter.Inc();
        harness.Metrics.Gauge("depth", "Depth.", "queue").Set(1);
        harness.Metrics.UpDownCounter("active", "Active.", "queue").Add(1, "a", "b");
        harness.Metrics.Histogram("latency", "Latency.", null, "route").Observe(1);

        MetricsSnapshot snapshot = harness.Collect();
        Assert.Empty(snapshot.Find("jobs")?.Series ?? []);
        Assert.Empty(snapshot.Find("depth")?.Series ?? []);
        Assert.Empty(snapshot.Find("active")?.Series ?? []);
        Assert.Empty(snapshot.Find("latency")?.Series ?? []);
    }

    [Fact]
    public void WithLabels_WrongNumberOfValues_ThrowsArgumentException()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs", "Jobs.", "queue", "outcome");
        ArgumentException e = Assert.Throws<ArgumentException>(() => counter.WithLabels("mail"));
        Assert.Equal("labelValues", e.ParamName);
        Assert.Throws<ArgumentException>(() => counter.WithLabels("mail", "ok", "extra"));
        Assert.Throws<ArgumentException>(() => harness.Metrics.Gauge("depth", "Depth.", "queue").WithLabels());
        Assert.Throws<ArgumentException>(() => harness.Metrics.UpDownCounter("active", "Active.").WithLabels("x"));
        Assert.Throws<ArgumentException>(() => harness.Metrics.Histogram("latency", "Latency.", null, "route").WithLabels("a", "b"));
        Assert.Throws<ArgumentNullException>(() => counter.WithLabels(null!));
    }

    [Fact]
    public void WithLabels_Bound_RecordsIntoTheSameSeriesAsInc()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs", "Jobs.", "queue");
        MusubiCounter.Bound bound = counter.WithLabels("mail");
        bound.Inc();
        counter.Inc(2, "mail");
        bound.Inc(3);
        Assert.Equal([new KeyValuePair<string, object?>("queue", "mail")], bound.Tags);
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        Assert.Equal(6, series.Value);
    }

    // Two hosts in one process (WebApplicationFactory tests, several hosts side by side) each build their own
    // MusubiMetrics on a meter from their own IMeterFactory; each host's scrape must show its own numbers only.
    [Fact]
    public void Counter_TwoServiceProvidersInOneProcess_DoNotSeeEachOthersMetrics()
    {
        string meterName = "Musubi.Tests.TwoHosts." + Guid.NewGuid().ToString("N");
        using ServiceProvider first = Build();
        using ServiceProvider second = Build();
        first.GetRequiredService<MusubiMetrics>().Counter("jobs", "Jobs.").Inc(1);
        second.GetRequiredService<MusubiMetrics>().Counter("jobs", "Jobs.").Inc(10);
        first.GetRequiredService<MusubiMetrics>().RecordRequest("GET", "/", 200, TimeSpan.FromMilliseconds(5));

        Assert.Equal(1, first.GetRequiredService<MusubiMetricsCollector>().Collect().Find("jobs")!.Sum());
        MetricsSnapshot secondSnapshot = second.GetRequiredService<MusubiMetricsCollector>().Collect();
        Assert.Equal(10, secondSnapshot.Find("jobs")!.Sum());
        Assert.Equal(0, secondSnapshot.Find("http_server_request_duration_seconds")?.Sum() ?? 0);

        ServiceProvider Build() => new ServiceCollection()
            .AddMusubiMonitoring(o =>
            {
                o.Metrics.Meters.Clear();
                o.Metrics.MeterName = meterName;
            })
            .Services.BuildServiceProvider();
    }

    [Fact]
    public void WithLabels_OtherListenersStillSeeTags()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("jobs", "Jobs.", "queue");
        var seen = new List<(double Value, string? Queue)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument, counter.Instrument))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            seen.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "queue").Value as string)));
        listener.Start();

        counter.WithLabels("mail").Inc(2);
        Assert.Equal([(2d, "mail")], seen);
    }

    [Fact]
    public void ConvenienceMetrics_WithAnotherListener_BothSeeEveryMeasurementOnce()
    {
        // The collector records convenience metrics directly and forwards to the instrument only for other
        // listeners: with one attached, each measurement must reach it once and still be counted once here.
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("direct_jobs", "Jobs.", "queue");
        MusubiHistogram histogram = harness.Metrics.Histogram("direct_sizes", "Sizes.", [1, 10]);
        var seen = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == harness.Metrics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            seen.Add($"{instrument.Name}={value} [{string.Join(",", tags.ToArray().Select(t => t.Key + ":" + t.Value))}]"));
        listener.Start();

        counter.Inc(1, "mail");
        counter.WithLabels("sms").Inc(2);
        histogram.Observe(5);
        harness.Metrics.RecordRequest("GET", "/x", 200, TimeSpan.FromMilliseconds(10));

        Assert.Equal(
            ["direct_jobs=1 [queue:mail]", "direct_jobs=2 [queue:sms]", "direct_sizes=5 []",
             "http.server.request.duration=0.01 [http.request.method:GET,http.response.status_code:200,http.route:/x]"],
            seen);
        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal(3, snapshot.Find("direct_jobs")!.Sum());
        Assert.Equal(1, snapshot.Find("direct_sizes")!.Sum());
        Assert.Equal(1, snapshot.Find("http_server_request_duration_seconds")!.Sum());
    }

    [Fact]
    public void ConvenienceMetrics_WithoutAnotherListener_InstrumentIsNotEnabledAndValuesAreCounted()
    {
        using var harness = new MetricsHarness();
        MusubiCounter counter = harness.Metrics.Counter("quiet_jobs", "Jobs.");
        counter.WithLabels().Inc(4);
        counter.Inc();

        Assert.False(counter.Instrument.Enabled);
        Assert.Equal(5, harness.Collect().Find("quiet_jobs")!.Sum());
    }
}
