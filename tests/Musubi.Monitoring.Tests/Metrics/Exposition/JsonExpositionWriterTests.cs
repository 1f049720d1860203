using System.Diagnostics.Metrics;
using System.Text.Json;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

public sealed class JsonExpositionWriterTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static JsonElement Family(JsonDocument document, string name)
        => document.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    [Fact]
    public void Write_Json_ParsesAndCarriesFamiliesSeriesAndBuckets()
    {
        using var harness = new MetricsHarness();
        harness.Time.Advance(TimeSpan.FromSeconds(90));
        harness.Meter.CreateCounter<long>("jobs", null, "Jobs \"done\".").Add(3, Tag("queue", "mail"), Tag("note", "a\\b\n\"c\""));
        Histogram<double> histogram = harness.Meter.CreateHistogram("latency", "s", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.05, Tag("route", "/a"));
        histogram.Record(0.5, Tag("route", "/a"));
        histogram.Record(5, Tag("route", "/a"));

        using JsonDocument document = JsonDocument.Parse(harness.Scrape(ExpositionFormat.Json));
        Assert.Equal(MetricsHarness.Start.AddSeconds(90), document.RootElement.GetProperty("timestamp").GetDateTimeOffset());

        JsonElement jobs = Family(document, "jobs");
        Assert.Equal("counter", jobs.GetProperty("type").GetString());
        Assert.Equal("Jobs \"done\".", jobs.GetProperty("help").GetString());
        Assert.False(jobs.TryGetProperty("unit", out _));
        JsonElement jobSeries = Assert.Single(jobs.GetProperty("series").EnumerateArray());
        Assert.Equal("mail", jobSeries.GetProperty("labels").GetProperty("queue").GetString());
        Assert.Equal("a\\b\n\"c\"", jobSeries.GetProperty("labels").GetProperty("note").GetString());
        Assert.Equal(3, jobSeries.GetProperty("value").GetDouble());

        JsonElement latency = Family(document, "latency_seconds");
        Assert.Equal("histogram", latency.GetProperty("type").GetString());
        Assert.Equal("seconds", latency.GetProperty("unit").GetString());
        JsonElement series = Assert.Single(latency.GetProperty("series").EnumerateArray());
        Assert.Equal("/a", series.GetProperty("labels").GetProperty("route").GetString());
        Assert.Equal(3, series.GetProperty("count").GetInt64());
        Assert.Equal(5.55, series.GetProperty("sum").GetDouble(), 12);
        Assert.False(series.TryGetProperty("value", out _));
        JsonElement[] buckets = [.. series.GetProperty("buckets").EnumerateArray()];
        Assert.Equal(3, buckets.Length);
        Assert.Equal(0.1, buckets[0].GetProperty("le").GetDouble());
        Assert.Equal(1, buckets[0].GetProperty("count").GetInt64());
        Assert.Equal(1, buckets[1].GetProperty("le").GetDouble());
        Assert.Equal(2, buckets[1].GetProperty("count").GetInt64());
        Assert.Equal("+Inf", buckets[2].GetProperty("le").GetString());
        Assert.Equal(3, buckets[2].GetProperty("count").GetInt64());

        JsonElement target = Family(document, "target_info");
        Assert.Equal("unknown_service", Assert.Single(target.GetProperty("series").EnumerateArray()).GetProperty("labels").GetProperty("service_name").GetString());
    }

    [Fact]
    public void Write_JsonNonFiniteValues_AreStrings()
    {
        using var harness = new MetricsHarness();
        Gauge<double> gauge = harness.Meter.CreateGauge<double>("reading", null, "Reading.");
        gauge.Record(double.NaN, Tag("k", "nan"));
        gauge.Record(double.PositiveInfinity, Tag("k", "pos"));
        gauge.Record(double.NegativeInfinity, Tag("k", "neg"));
        harness.Meter.CreateHistogram<double>("spread", null, "Spread.").Record(double.PositiveInfinity);

        string json = harness.Scrape(ExpositionFormat.Json);
        using JsonDocument document = JsonDocument.Parse(json);
        Dictionary<string, JsonElement> values = Family(document, "reading").GetProperty("series").EnumerateArray()
            .ToDictionary(s => s.GetProperty("labels").GetProperty("k").GetString()!, s => s.GetProperty("value"));
        Assert.Equal(JsonValueKind.String, values["nan"].ValueKind);
        Assert.Equal("NaN", values["nan"].GetString());
        Assert.Equal("+Inf", values["pos"].GetString());
        Assert.Equal("-Inf", values["neg"].GetString());
        Assert.Contains("\"value\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Equal("+Inf", Assert.Single(Family(document, "spread").GetProperty("series").EnumerateArray()).GetProperty("sum").GetString());
    }

    [Fact]
    public void Write_JsonAwkwardRegistry_IsValidJsonWithEveryFamily()
    {
        using var harness = AwkwardRegistry.Create();
        using JsonDocument document = JsonDocument.Parse(harness.Scrape(ExpositionFormat.Json));
        List<string> names = [.. document.RootElement.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];
        Assert.Equal(harness.Collect().Families.Select(f => f.Name), names);
        JsonElement queue = Family(document, "queue_items_processed");
        Assert.Equal("say \"hi\"\\\n東京 🚀", queue.GetProperty("series")[0].GetProperty("labels").GetProperty("note").GetString());
    }
}
