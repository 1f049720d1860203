using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class MusubiMetricsCollectorTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Ctor_NullArguments_ThrowArgumentNullException()
    {
        IOptions<MusubiMonitoringOptions> options = Options.Create(new MusubiMonitoringOptions());
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new MusubiMetricsCollector(null!, TimeProvider.System)).ParamName);
        Assert.Equal("timeProvider", Assert.Throws<ArgumentNullException>(() => new MusubiMetricsCollector(options, null!)).ParamName);
    }

    [Fact]
    public void Write_NullWriterOrUndefinedFormat_Throws()
    {
        using var harness = new MetricsHarness();
        Assert.Throws<ArgumentNullException>(() => harness.Collector.Write(null!, ExpositionFormat.PrometheusText));
        Assert.Throws<ArgumentOutOfRangeException>(() => harness.Collector.Write(new ArrayBufferWriter<byte>(), (ExpositionFormat)42));
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposedException()
    {
        using var harness = new MetricsHarness();
        harness.Collector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => harness.Collector.Write(new ArrayBufferWriter<byte>(), ExpositionFormat.PrometheusText));
        Assert.Throws<ObjectDisposedException>(() => harness.Collector.Collect());
    }

    [Fact]
    public async Task WriteAsync_Stream_WritesTheSameDocumentAsWrite()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(3);
        using var stream = new MemoryStream();
        await harness.Collector.WriteAsync(stream, ExpositionFormat.OpenMetrics, TestContext.Current.CancellationToken);
        Assert.Equal(harness.Scrape(ExpositionFormat.OpenMetrics), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Collect_Timestamp_ComesFromTimeProvider()
    {
        using var harness = new MetricsHarness();
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(MetricsHarness.Start.AddMinutes(5), harness.Collect().Timestamp);
    }

    [Fact]
    public void Collect_MeterNotSelected_IsNotCollected()
    {
        using var harness = new MetricsHarness();
        using var other = new Meter("Musubi.Tests.NotSelected." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("ignored_things").Add(1);
        harness.Meter.CreateCounter<long>("selected_things").Add(1);
        MetricsSnapshot snapshot = harness.Collect();
        Assert.Null(snapshot.Find("ignored_things"));
        Assert.Equal(1, snapshot.Find("selected_things")!.Sum());
    }

    [Fact]
    public void Write_EmptyTagKey_TagIsDroppedAndSeriesStillExported()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        counter.Add(2, Tag("", "dropped"), Tag("queue", "mail"));
        counter.Add(3, Tag("", "y"));
        counter.Add(4, Tag(null!, "z"), Tag("queue", "mail"));

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string text = harness.Scrape(format);
            // The strict reader rejects an empty label name; check the raw text as well.
            var document = ExpositionDocument.Parse(text, format == ExpositionFormat.OpenMetrics);
            Assert.DoesNotContain("{=", text, StringComparison.Ordinal);
            Assert.DoesNotContain(",=", text, StringComparison.Ordinal);
            Assert.DoesNotContain("dropped", text, StringComparison.Ordinal);
            List<Sample> samples = [.. document.SamplesNamed("jobs_total")];
            Assert.Equal(2, samples.Count);
            Assert.Equal(6, samples.Single(s => s.Label("queue") == "mail").Value);
            Assert.Equal(3, samples.Single(s => s.Labels.Count == 0).Value);
        }
    }

    [Fact]
    public void Collect_TagValuesOfDifferentTypesThatPrintTheSame_AreOneSeries()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("attempt", 1));
        counter.Add(1, Tag("attempt", 1L));
        counter.Add(1, Tag("attempt", "1"));
        counter.Add(1, Tag("attempt", 1.0));
        counter.Add(1, Tag("attempt", 1.0f));
        counter.Add(1, Tag("attempt", (short)1));
        counter.Add(1, Tag("attempt", (byte)1));
        counter.Add(1, Tag("attempt", 1u));

        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        Assert.Equal("1", series.Label("attempt"));
        Assert.Equal(8, series.Value);
    }

    [Fact]
    public void Collect_TagsInDifferentOrder_AreOneSeries()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("a", "x"), Tag("b", 2), Tag("c", true));
        counter.Add(1, Tag("c", true), Tag("a", "x"), Tag("b", 2));
        counter.Add(1, Tag("b", "2"), Tag("c", "true"), Tag("a", "x"));

        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        Assert.Equal(3, series.Value);
        Assert.Equal(["a", "b", "c"], series.Labels.Select(l => l.Key));
        Assert.Equal(["x", "2", "true"], series.Labels.Select(l => l.Value));
    }

    [Fact]
    public void Collect_DuplicateTagKey_FirstValueWinsAndIsOneSeries()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("a", "first"), Tag("a", "second"));
        counter.Add(1, Tag("a", "first"), Tag("a", "other"));
        counter.Add(1, Tag("a", "first"));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        Assert.Equal("first", series.Label("a"));
        Assert.Equal(3, series.Value);
    }

    [Fact]
    public void Collect_EmptyOrNullTagValue_IsNoLabelAndTheSameSeriesAsWithoutTheTag()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        counter.Add(1, Tag("a", "x"), Tag("b", ""));
        counter.Add(1, Tag("a", "x"), Tag("b", null));
        counter.Add(1, Tag("a", "x"));
        counter.Add(1, Tag("b", ""));
        counter.Add(1);

        MetricFamilySnapshot family = harness.Collect().Find("jobs")!;
        Assert.Equal(2, family.Series.Count);
        Assert.Equal(3, family.Sum(("a", "x")));
        Assert.DoesNotContain("b=", harness.Scrape(ExpositionFormat.PrometheusText), StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_ManySeriesOnOneInstrument_EachIsFoundAgain()
    {
        const int Count = 5_000;
        using var harness = new MetricsHarness(o => o.Metrics.CardinalityLimit = 10_000);
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < Count; i++)
            {
                counter.Add(1, Tag("user", "u" + i), Tag("n", i));
            }
        }

        MetricFamilySnapshot family = harness.Collect().Find("jobs")!;
        Assert.Equal(Count, family.Series.Count);
        Assert.All(family.Series, s => Assert.Equal(2, s.Value));
    }

    [Fact]
    public void Collect_SameTagObjectsAndEqualCopies_AreOneSeriesWhateverTheIdentityCacheHolds()
    {
        // The first call's string objects are cached by identity; equal copies must still find the series,
        // and the cached objects must never answer for other values that happen to share a cache slot.
        using var harness = new MetricsHarness(o => o.Metrics.CardinalityLimit = 10_000);
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        string[] values = [.. Enumerable.Range(0, 1_000).Select(i => "v" + i)];
        for (int round = 0; round < 3; round++)
        {
            foreach (string value in values)
            {
                counter.Add(1, Tag("k", value));
                counter.Add(1, Tag("k", new string(value.AsSpan())));
            }
        }

        MetricFamilySnapshot family = harness.Collect().Find("jobs")!;
        Assert.Equal(values.Length, family.Series.Count);
        Assert.All(family.Series, s => Assert.Equal(6, s.Value));
    }

    [Fact]
    public void Collect_DifferentTagValues_AreDifferentSeries()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("a", "1"));
        counter.Add(1, Tag("a", "2"));
        counter.Add(1, Tag("b", "1"));
        counter.Add(1, Tag("a", "1"), Tag("b", "1"));
        Assert.Equal(4, harness.Collect().Find("jobs")!.Series.Count);
    }

    [Fact]
    public void Collect_DoubleAndFloatTagValues_PrintInvariantShortest()
    {
        using var culture = new CultureScope("de-DE");
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("ratio", 0.025f), Tag("big", 1e6), Tag("small", 0.5));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        Assert.Equal("0.025", series.Label("ratio"));
        Assert.Equal("1e+06", series.Label("big"));
        Assert.Equal("0.5", series.Label("small"));
    }

    [Fact]
    public void Collect_CounterNegativeAndNaNAdds_AreIgnoredAndCountedAsInvalidMeasurements()
    {
        using var harness = new MetricsHarness();
        Counter<long> longs = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        longs.Add(5);
        longs.Add(-2);
        Counter<double> doubles = harness.Meter.CreateCounter<double>("work", "s", "Work.");
        doubles.Add(1.5);
        doubles.Add(-0.5);
        doubles.Add(double.NaN);
        doubles.Add(double.PositiveInfinity);

        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal(5, snapshot.Find("jobs")!.Sum());
        Assert.Equal(1.5, snapshot.Find("work_seconds")!.Sum());
        MetricFamilySnapshot invalid = snapshot.Find("musubi_metrics_invalid_measurements")!;
        Assert.Equal(MetricType.Counter, invalid.Type);
        Assert.Equal(1, invalid.Sum(("metric", "jobs")));
        Assert.Equal(3, invalid.Sum(("metric", "work_seconds")));

        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("jobs_total 5\n", text, StringComparison.Ordinal);
        Assert.Contains("musubi_metrics_invalid_measurements_total{metric=\"jobs\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("musubi_metrics_invalid_measurements_total{metric=\"work_seconds\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_UpDownCounterNegativeAdds_AreKept()
    {
        using var harness = new MetricsHarness();
        UpDownCounter<long> active = harness.Meter.CreateUpDownCounter<long>("connections", "{connection}", "Open connections.");
        active.Add(5);
        active.Add(-7);
        MetricFamilySnapshot family = harness.Collect().Find("connections")!;
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(-2, family.Sum());
        Assert.Null(harness.Collect().Find("musubi_metrics_invalid_measurements"));
    }

    [Fact]
    public void Collect_HistogramNaN_IsIgnoredAndCountedAsInvalid()
    {
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram<double>("latency", "s", "Latency.");
        histogram.Record(0.2);
        histogram.Record(double.NaN);
        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal(1, snapshot.Find("latency_seconds")!.Series[0].Histogram!.Count);
        Assert.Equal(1, snapshot.Find("musubi_metrics_invalid_measurements")!.Sum(("metric", "latency_seconds")));
    }

    [Fact]
    public void Collect_CardinalityLimitThreeAndFiveTagSets_KeepsThreeSeriesPlusOneOverflowSeries()
    {
        using var harness = new MetricsHarness(o => o.Metrics.CardinalityLimit = 3);
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        for (int i = 1; i <= 5; i++)
        {
            counter.Add(i, Tag("user", "u" + i));
        }

        // A refused tag set seen again goes to the overflow series but is not counted as refused twice.
        counter.Add(10, Tag("user", "u5"));
        counter.Add(100, Tag("user", "u1"));

        MetricsSnapshot snapshot = harness.Collect();
        MetricFamilySnapshot family = snapshot.Find("jobs")!;
        Assert.Equal(4, family.Series.Count);
        Assert.Equal(["u1", "u2", "u3"], family.Series.Take(3).Select(s => s.Label("user")));
        Assert.Equal([101d, 2, 3], family.Series.Take(3).Select(s => s.Value));
        MetricSeriesSnapshot overflow = family.Series[3];
        Assert.Equal([new KeyValuePair<string, string>("otel_metric_overflow", "true")], overflow.Labels);
        Assert.Equal(4 + 5 + 10, overflow.Value);
        Assert.Equal(2, snapshot.Find("musubi_metrics_series_refused")!.Sum(("metric", "jobs")));

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string text = harness.Scrape(format);
            var document = ExpositionDocument.Parse(text, format == ExpositionFormat.OpenMetrics);
            Assert.Equal(4, document.SamplesNamed("jobs_total").Count());
            Sample overflowSample = document.SamplesNamed("jobs_total").Single(s => s.Label("otel_metric_overflow") == "true");
            Assert.Equal(19, overflowSample.Value);
            Sample refused = Assert.Single(document.SamplesNamed("musubi_metrics_series_refused_total"));
            Assert.Equal("jobs", refused.Label("metric"));
            Assert.Equal(2, refused.Value);
        }

        Assert.Contains("musubi_metrics_series_refused_total{metric=\"jobs\"} 2\n", harness.Scrape(ExpositionFormat.PrometheusText), StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_CardinalityLimitOnHistogram_OverflowSeriesHasBuckets()
    {
        using var harness = new MetricsHarness(o => o.Metrics.CardinalityLimit = 1);
        Histogram<double> histogram = harness.Meter.CreateHistogram("latency", "s", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        histogram.Record(0.5, Tag("route", "/a"));
        histogram.Record(1.5, Tag("route", "/b"));
        histogram.Record(5, Tag("route", "/c"));

        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        ExpositionDocument.Parse(text, openMetrics: false);
        Assert.Contains("latency_seconds_bucket{otel_metric_overflow=\"true\",le=\"2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_count{otel_metric_overflow=\"true\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("musubi_metrics_series_refused_total{metric=\"latency_seconds\"} 2\n", text, StringComparison.Ordinal);
        ExpositionDocument.Parse(harness.Scrape(ExpositionFormat.OpenMetrics), openMetrics: true);
    }

    [Fact]
    public void Collect_TagKeysThatCollideAfterSanitizing_AreJoinedInOneLabel()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs");
        counter.Add(1, Tag("user.id", "a"), Tag("user-id", "b"));
        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("jobs")!.Series);
        KeyValuePair<string, string> label = Assert.Single(series.Labels);
        Assert.Equal("user_id", label.Key);
        Assert.Equal("b;a", label.Value);
    }

    [Fact]
    public void Collect_HistogramTagNamedLe_IsRenamedSoBucketsKeepTheirLabel()
    {
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram<double>("latency", "s", "Latency.");
        histogram.Record(0.2, Tag("le", "x"));
        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        var document = ExpositionDocument.Parse(text, openMetrics: false);
        Assert.All(document.SamplesNamed("latency_seconds_bucket"), s => Assert.Equal("x", s.Label("_le")));
    }

    [Fact]
    public void Collect_DefaultBuckets_UsedWithoutAdviceAndOverrideWinsOverAdvice()
    {
        using var harness = new MetricsHarness(o =>
        {
            o.Metrics.DefaultHistogramBuckets = [1, 2, 3];
            o.Metrics.HistogramBuckets["overridden"] = [10, 20];
        });
        harness.Meter.CreateHistogram<double>("plain").Record(1);
        harness.Meter.CreateHistogram("advised", null, null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5] }).Record(1);
        harness.Meter.CreateHistogram("overridden", null, null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5] }).Record(1);

        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal([1d, 2, 3], snapshot.Find("plain")!.Series[0].Histogram!.Bounds);
        Assert.Equal([0.5], snapshot.Find("advised")!.Series[0].Histogram!.Bounds);
        Assert.Equal([10d, 20], snapshot.Find("overridden")!.Series[0].Histogram!.Bounds);
    }

    [Fact]
    public void Collect_HistogramValueOnABound_CountsInThatBucket()
    {
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram("latency", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 4] });
        foreach (double v in new[] { 0.5, 1, 1.5, 2, 4, 4.0000001, double.PositiveInfinity, -3 })
        {
            histogram.Record(v);
        }

        HistogramSnapshot h = harness.Collect().Find("latency")!.Series[0].Histogram!;
        Assert.Equal([3L, 2, 1, 2], h.BucketCounts);
        Assert.Equal(8, h.Count);
    }

    [Fact]
    public void Collect_HistogramWithManyBuckets_UsesLeSemanticsToo()
    {
        double[] bounds = [.. Enumerable.Range(1, 40).Select(i => (double)i)];
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram("sizes", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds });
        histogram.Record(17);
        histogram.Record(17.5);
        histogram.Record(0);
        histogram.Record(41);

        HistogramSnapshot h = harness.Collect().Find("sizes")!.Series[0].Histogram!;
        Assert.Equal(1, h.BucketCounts[0]);
        Assert.Equal(1, h.BucketCounts[16]);
        Assert.Equal(1, h.BucketCounts[17]);
        Assert.Equal(1, h.BucketCounts[40]);
    }

    [Fact]
    public void Collect_ObservableInstruments_AreObservedAtEveryScrape()
    {
        using var harness = new MetricsHarness();
        int calls = 0;
        harness.Meter.CreateObservableGauge("temperature", () => new Measurement<double>(21.5, Tag("room", "lab")), "Cel", "Temperature.");
        harness.Meter.CreateObservableCounter("ticks", () => ++calls, null, "Ticks.");
        harness.Meter.CreateObservableUpDownCounter("queue.size", () => 7L, null, "Queue size.");

        Assert.Equal(21.5, harness.Collect().Find("temperature_celsius")!.Sum());
        MetricsSnapshot second = harness.Collect();
        Assert.Equal(2, second.Find("ticks")!.Sum());
        Assert.Equal(MetricType.Counter, second.Find("ticks")!.Type);
        Assert.Equal(7, second.Find("queue_size")!.Sum());
    }

    [Fact]
    public void Write_ObservableCallbackThrows_ScrapeStillSucceeds()
    {
        using var harness = new MetricsHarness();
        harness.Meter.CreateObservableGauge<double>("broken", (Func<double>)(() => throw new InvalidOperationException("boom")), null, "Broken.");
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(1);
        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("jobs_total 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TargetInfo_CarriesServiceIdentity()
    {
        using var harness = new MetricsHarness(o =>
        {
            o.ServiceName = "checkout";
            o.ServiceVersion = "1.2.3";
            o.Environment = "production";
        });
        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        Assert.Contains("target_info{deployment_environment_name=\"production\",service_name=\"checkout\",service_version=\"1.2.3\"} 1\n", text, StringComparison.Ordinal);
        string om = harness.Scrape(ExpositionFormat.OpenMetrics);
        Assert.Contains("# TYPE target info\n", om, StringComparison.Ordinal);
        Assert.Contains("target_info{deployment_environment_name=\"production\",service_name=\"checkout\",service_version=\"1.2.3\"} 1", om, StringComparison.Ordinal);
        ExpositionDocument.Parse(om, openMetrics: true);
    }

    [Fact]
    public void Collect_TwoCompatibleInstrumentsMappingToOneFamily_MergeAndSumEqualSeries()
    {
        using var harness = new MetricsHarness();
        Meter other = harness.CreateMeter("Other");
        Counter<long> first = harness.Meter.CreateCounter<long>("jobs.done", null, "Jobs done.");
        Counter<double> second = other.CreateCounter<double>("jobs-done", null, "Jobs done.");
        Counter<int> third = other.CreateCounter<int>("jobs_done_total", null, "Jobs done.");
        first.Add(2, Tag("queue", "a"));
        second.Add(3.5, Tag("queue", "a"));
        third.Add(1, Tag("queue", "a"));
        second.Add(1, Tag("queue", "b"));

        MetricFamilySnapshot family = harness.Collect().Find("jobs_done")!;
        Assert.Equal(2, family.Series.Count);
        Assert.Equal(6.5, family.Sum(("queue", "a")));
        Assert.Equal(1, family.Sum(("queue", "b")));
        Assert.Equal(0, harness.Collect().Find("musubi_metrics_instrument_conflicts")!.Sum());

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string text = harness.Scrape(format);
            var document = ExpositionDocument.Parse(text, format == ExpositionFormat.OpenMetrics);
            Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE jobs_done", StringComparison.Ordinal));
            Assert.Equal(6.5, document.SamplesNamed("jobs_done_total").Single(s => s.Label("queue") == "a").Value);
        }
    }

    [Fact]
    public void Collect_TwoMergedHistograms_SumBucketsOfEqualSeries()
    {
        using var harness = new MetricsHarness();
        Meter other = harness.CreateMeter("Other");
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] };
        harness.Meter.CreateHistogram("latency", "s", "Latency.", null, advice).Record(0.5);
        other.CreateHistogram("latency", "s", "Latency.", null, advice).Record(1.5);

        string text = harness.Scrape(ExpositionFormat.PrometheusText);
        ExpositionDocument.Parse(text, openMetrics: false);
        Assert.Contains("latency_seconds_bucket{le=\"1\"} 1\nlatency_seconds_bucket{le=\"2\"} 2\nlatency_seconds_bucket{le=\"+Inf\"} 2\nlatency_seconds_sum 2\nlatency_seconds_count 2\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("histogram")]
    [InlineData("gauge")]
    [InlineData("counter-with-unit")]
    [InlineData("histogram-other-buckets")]
    public void Collect_IncompatibleInstrumentMappingToAnExistingFamily_IsDroppedAndCountedAsConflict(string kind)
    {
        using var harness = new MetricsHarness();
        Meter other = harness.CreateMeter("Other");
        if (kind == "histogram-other-buckets")
        {
            harness.Meter.CreateHistogram("jobs", null, "Jobs.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] }).Record(1);
            other.CreateHistogram("jobs", null, "Jobs.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [2] }).Record(1);
        }
        else
        {
            harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(1);
            switch (kind)
            {
                case "histogram":
                    other.CreateHistogram<double>("jobs", null, "Jobs.").Record(1);
                    break;
                case "gauge":
                    other.CreateGauge<double>("jobs", null, "Jobs.").Record(1);
                    break;
                default:
                    // "jobs" with unit "s" maps to the family "jobs_seconds", already taken without a unit.
                    other.CreateCounter<long>("jobs_seconds", null, "Jobs.").Add(1);
                    other.CreateCounter<long>("jobs", "s", "Jobs.").Add(1);
                    break;
            }
        }

        MetricsSnapshot snapshot = harness.Collect();
        Assert.Equal(1, snapshot.Find("musubi_metrics_instrument_conflicts")!.Sum());
        Assert.Equal(1, snapshot.Find("jobs")?.Sum() ?? snapshot.Find("jobs_seconds")!.Sum());

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string text = harness.Scrape(format);
            ExpositionDocument.Parse(text, format == ExpositionFormat.OpenMetrics);
            Assert.Contains(format == ExpositionFormat.OpenMetrics
                ? "musubi_metrics_instrument_conflicts_total 1.0\n"
                : "musubi_metrics_instrument_conflicts_total 1\n", text, StringComparison.Ordinal);
        }
    }

    // The collector writes its own families (target_info, which OpenMetrics names "target" with TYPE info, and
    // musubi_metrics_*): a user instrument whose name or sample names meet them must not produce a second TYPE
    // line or a clashing sample name either.
    [Theory]
    [InlineData("gauge", "target")]
    [InlineData("histogram", "target")]
    [InlineData("gauge", "target_info")]
    [InlineData("counter", "target_info")]
    [InlineData("gauge", "musubi_metrics_instrument_conflicts_total")]
    [InlineData("counter", "musubi_metrics_instrument_conflicts")]
    [InlineData("gauge", "musubi_metrics_invalid_measurements_total")]
    public void Write_UserInstrumentNamedLikeACollectorFamily_NeverTwoTypeLinesForOneName(string kind, string name)
    {
        using var harness = new MetricsHarness();
        switch (kind)
        {
            case "counter":
                harness.Meter.CreateCounter<long>(name, null, "Help.").Add(1);
                break;
            case "gauge":
                harness.Meter.CreateGauge<long>(name, null, "Help.").Record(1);
                break;
            default:
                harness.Meter.CreateHistogram<double>(name, null, "Help.").Record(1);
                break;
        }

        // An invalid add makes the collector write musubi_metrics_invalid_measurements too.
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs.").Add(-1);

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            ExpositionDocument.Parse(harness.Scrape(format), format == ExpositionFormat.OpenMetrics);
        }
    }

    // A counter's samples are named family_total, a histogram's family_bucket/_sum/_count: another instrument
    // whose own family name is one of those sample names would put a second TYPE line (text 0.0.4) or a
    // clashing sample name (OpenMetrics) into the document.
    [Theory]
    [InlineData("counter", "jobs", "gauge", "jobs_total")]
    [InlineData("gauge", "jobs_total", "counter", "jobs")]
    [InlineData("histogram", "latency", "gauge", "latency_count")]
    [InlineData("histogram", "latency", "gauge", "latency_sum")]
    [InlineData("gauge", "latency_bucket", "histogram", "latency")]
    public void Write_InstrumentWhoseNameIsAnotherFamilysSampleName_NeverTwoTypeLinesForOneName(
        string firstKind, string firstName, string secondKind, string secondName)
    {
        using var harness = new MetricsHarness();
        Meter other = harness.CreateMeter("Other");
        Create(harness.Meter, firstKind, firstName);
        Create(other, secondKind, secondName);

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string text = harness.Scrape(format);
            ExpositionDocument.Parse(text, format == ExpositionFormat.OpenMetrics);
        }

        Assert.Equal(1, harness.Collect().Find("musubi_metrics_instrument_conflicts")!.Sum());

        static void Create(Meter meter, string kind, string name)
        {
            switch (kind)
            {
                case "counter":
                    meter.CreateCounter<long>(name, null, "Help.").Add(1);
                    break;
                case "gauge":
                    meter.CreateGauge<long>(name, null, "Help.").Record(1);
                    break;
                default:
                    meter.CreateHistogram<double>(name, null, "Help.").Record(1);
                    break;
            }
        }
    }
}
