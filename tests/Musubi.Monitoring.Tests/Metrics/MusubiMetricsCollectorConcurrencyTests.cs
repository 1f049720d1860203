using System.Diagnostics.Metrics;
using System.Text.Json;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics;

public sealed class MusubiMetricsCollectorConcurrencyTests
{
    private const int Threads = 2;
    private const int AddsPerThread = 5_000_000;

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Add_TwoThreadsFiveMillionEachOnCounterOfLong_TotalIsExactlyTenMillion()
    {
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("hits", null, "Hits.");
        RunOnThreads(Threads, _ =>
        {
            for (int i = 0; i < AddsPerThread; i++)
            {
                counter.Add(1, Tag("route", "/"));
            }
        });

        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("hits")!.Series);
        Assert.Equal(10_000_000d, series.Value);
        Assert.Contains("hits_total{route=\"/\"} 10000000\n", harness.Scrape(ExpositionFormat.PrometheusText), StringComparison.Ordinal);
    }

    [Fact]
    public void Inc_TwoThreadsFiveMillionEachOnBoundMusubiCounter_TotalIsExactlyTenMillion()
    {
        using var harness = new MetricsHarness();
        MusubiCounter.Bound bound = harness.Metrics.Counter("hits", "Hits.", "route").WithLabels("/");
        RunOnThreads(Threads, _ =>
        {
            for (int i = 0; i < AddsPerThread; i++)
            {
                bound.Inc();
            }
        });

        MetricSeriesSnapshot series = Assert.Single(harness.Collect().Find("hits")!.Series);
        Assert.Equal(10_000_000d, series.Value);
    }

    [Fact]
    public void Record_TwoThreadsOnOneHistogramWhileScraping_CountsAreExact()
    {
        const long PerThread = 500_000;
        using var harness = new MetricsHarness();
        Histogram<double> histogram = harness.Meter.CreateHistogram("latency", "s", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        int done = 0;
        var scraper = new Thread(() =>
        {
            while (Volatile.Read(ref done) < Threads)
            {
                ExpositionDocument.Parse(harness.Scrape(ExpositionFormat.PrometheusText), openMetrics: false);
            }
        });
        scraper.Start();
        RunOnThreads(Threads, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                histogram.Record(i % 3 == 0 ? 0.5 : i % 3 == 1 ? 1.5 : 3);
            }

            Interlocked.Increment(ref done);
        });
        scraper.Join();

        HistogramSnapshot h = Assert.Single(harness.Collect().Find("latency_seconds")!.Series).Histogram!;
        Assert.Equal(Threads * PerThread, h.Count);
        Assert.Equal([Threads * ((PerThread + 2) / 3), Threads * ((PerThread + 1) / 3), Threads * (PerThread / 3)], h.BucketCounts);
    }

    [Fact]
    public void Add_TwoThreadsCreatingTheSameNewSeries_EachTagSetIsOneSeries()
    {
        const int TagSets = 2_000;
        using var harness = new MetricsHarness();
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        RunOnThreads(Threads, t =>
        {
            for (int i = 0; i < TagSets; i++)
            {
                // Both threads meet every tag set at about the same time, in a different tag order.
                if (t == 0)
                {
                    counter.Add(1, Tag("user", i), Tag("shard", i % 7));
                }
                else
                {
                    counter.Add(1, Tag("shard", (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)), Tag("user", (long)i));
                }
            }
        });

        MetricFamilySnapshot family = harness.Collect().Find("jobs")!;
        Assert.Equal(TagSets, family.Series.Count);
        Assert.All(family.Series, s => Assert.Equal(Threads, s.Value));
    }

    [Fact]
    public void Add_TwoThreadsPastTheCardinalityLimit_KeepLimitSeriesAndCountEveryRefusedTagSetOnce()
    {
        const int Limit = 50;
        const int TagSets = 400;
        using var harness = new MetricsHarness(o => o.Metrics.CardinalityLimit = Limit);
        Counter<long> counter = harness.Meter.CreateCounter<long>("jobs", null, "Jobs.");
        RunOnThreads(Threads, _ =>
        {
            for (int i = 0; i < TagSets; i++)
            {
                counter.Add(1, Tag("user", i));
            }
        });

        MetricsSnapshot snapshot = harness.Collect();
        MetricFamilySnapshot family = snapshot.Find("jobs")!;
        Assert.Equal(Limit + 1, family.Series.Count);
        Assert.Equal(Threads * TagSets, family.Sum());
        Assert.Equal(TagSets - Limit, snapshot.Find("musubi_metrics_series_refused")!.Sum(("metric", "jobs")));
    }

    [Fact]
    public void Write_WhileOtherThreadsCreateInstrumentsAndSeries_EveryScrapeIsCompleteAndSelfConsistent()
    {
        const int InstrumentsPerWriter = 120;
        const int SeriesPerInstrument = 6;
        const int MinScrapes = 20;
        using var harness = new MetricsHarness(o => o.Metrics.DefaultHistogramBuckets = [0.01, 0.1, 1]);
        Histogram<double> shared = harness.Meter.CreateHistogram<double>("shared.latency", "s", "Shared latency.");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var kept = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int writersDone = 0;
        int writersMidway = 0;
        int scrapes = 0;
        int partialScrapes = 0;
        using var scrapedMidway = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, Threads).Select(w => new Thread(() =>
        {
            try
            {
                Meter meter = harness.CreateMeter("Writer" + w);
                for (int i = 0; i < InstrumentsPerWriter; i++)
                {
                    if (i == InstrumentsPerWriter / 2)
                    {
                        // Make sure scrapes really overlap creation: wait (bounded) until a scrape ran mid-way.
                        Interlocked.Increment(ref writersMidway);
                        Assert.True(scrapedMidway.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "No scrape ran while the writers were mid-way.");
                    }

                    string name = $"w{w}.i{i}";
                    for (int s = 0; s < SeriesPerInstrument; s++)
                    {
                        KeyValuePair<string, object?> tag = Tag("series", s);
                        switch (i % 4)
                        {
                            case 0:
                                meter.CreateCounter<long>(name + ".things", null, "Things.").Add(s + 1, tag);
                                break;
                            case 1:
                                meter.CreateGauge<double>(name + ".level", null, "Level.").Record(s * 0.5, tag);
                                break;
                            case 2:
                                meter.CreateHistogram<double>(name + ".duration", "s", "Duration.").Record(s * 0.05, tag);
                                break;
                            default:
                                meter.CreateUpDownCounter<int>(name + ".active", null, "Active.").Add(-s, tag);
                                break;
                        }

                        shared.Record(s * 0.01, Tag("writer", w), Tag("step", i));
                    }
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
            finally
            {
                Interlocked.Increment(ref writersDone);
            }
        })).ToList();

        var scrapers = Enumerable.Range(0, 2).Select(k => new Thread(() =>
        {
            try
            {
                int n = 0;
                while (Volatile.Read(ref writersDone) < Threads || n < MinScrapes)
                {
                    ExpositionFormat format = (ExpositionFormat)((n + k) % 3);
                    bool midway = Volatile.Read(ref writersMidway) == Threads;
                    string document = harness.Scrape(format);
                    if (format == ExpositionFormat.Json)
                    {
                        using JsonDocument json = JsonDocument.Parse(document);
                        Assert.True(json.RootElement.GetProperty("metrics").GetArrayLength() > 0);
                    }
                    else
                    {
                        ExpositionDocument parsed = ExpositionDocument.Parse(document, format == ExpositionFormat.OpenMetrics);
                        if (parsed.Families.Count < (Threads * InstrumentsPerWriter) + 3)
                        {
                            Interlocked.Increment(ref partialScrapes);
                        }

                        if (format == ExpositionFormat.PrometheusText && n % 7 == 0 && kept.Count < 3)
                        {
                            kept.Enqueue(document);
                        }
                    }

                    n++;
                    Interlocked.Increment(ref scrapes);
                    if (midway)
                    {
                        scrapedMidway.Set();
                    }
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
            finally
            {
                scrapedMidway.Set();
            }
        })).ToList();

        scrapers.ForEach(t => t.Start());
        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());
        scrapers.ForEach(t => t.Join());

        Assert.Empty(failures);
        Assert.True(scrapes >= 2 * MinScrapes);
        Assert.True(partialScrapes > 0, "No scrape saw a registry still being built.");

        // After the writers: everything is there, with exact values.
        string final = harness.Scrape(ExpositionFormat.PrometheusText);
        ExpositionDocument document = ExpositionDocument.Parse(final, openMetrics: false);
        MetricsSnapshot snapshot = harness.Collect();
        for (int w = 0; w < Threads; w++)
        {
            for (int i = 0; i < InstrumentsPerWriter; i++)
            {
                (string family, double expected) = (i % 4) switch
                {
                    0 => ($"w{w}_i{i}_things", 21d),
                    1 => ($"w{w}_i{i}_level", 7.5),
                    2 => ($"w{w}_i{i}_duration_seconds", 6),
                    _ => ($"w{w}_i{i}_active", -15),
                };
                MetricFamilySnapshot found = snapshot.Find(family) ?? throw new Xunit.Sdk.XunitException($"{family} is missing.");
                Assert.Equal(SeriesPerInstrument, found.Series.Count);
                Assert.Equal(expected, found.Sum(), 9);
            }
        }

        Assert.Equal(Threads * InstrumentsPerWriter * SeriesPerInstrument, snapshot.Find("shared_latency_seconds")!.Sum());
        Assert.Equal(0, snapshot.Find("musubi_metrics_instrument_conflicts")!.Sum());
        Assert.Equal((Threads * InstrumentsPerWriter) + 3, document.Families.Count);

        Promtool.CheckMetrics(final);
        foreach (string midway in kept)
        {
            Promtool.CheckMetrics(midway);
        }
    }

    private static void RunOnThreads(int count, Action<int> body)
    {
        using var barrier = new Barrier(count);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Thread[] threads = [.. Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                barrier.SignalAndWait();
                body(t);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
    }
}
