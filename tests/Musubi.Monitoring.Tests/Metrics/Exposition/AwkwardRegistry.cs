using System.Diagnostics.Metrics;

namespace Musubi.Monitoring.Tests.Metrics.Exposition;

/// <summary>
/// A registry full of awkward names and values: dots, dashes, unicode and leading digits in names; quotes,
/// backslashes, newlines and unicode in label values; an empty tag key; NaN and infinite gauges; tag keys that
/// collide after sanitising; a histogram tag named <c>le</c>; and a cardinality overflow.
/// </summary>
/// <remarks>
/// Every instrument has a description and a snake_case name without abbreviated or non-base units, because
/// <c>promtool check metrics</c> also lints (missing HELP, camelCase, "ms", "milliseconds" all fail it).
/// </remarks>
internal static class AwkwardRegistry
{
    public const int CardinalityLimit = 3;

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    public static MetricsHarness Create()
    {
        var harness = new MetricsHarness(o =>
        {
            o.ServiceName = "awkward \"service\"\\\n";
            o.ServiceVersion = "1.0.0-beta+ü";
            o.Metrics.CardinalityLimit = CardinalityLimit;
        });
        Meter meter = harness.Meter;
        Meter second = harness.CreateMeter("Second");

        meter.CreateCounter<long>("2xx.responses", "{response}", "Responses with a 2xx status.").Add(7, Tag("http.route", "/a"));
        meter.CreateCounter<long>("café.orders", null, "Orders at the café ☕.").Add(2, Tag("table", "terrasse"));
        meter.CreateCounter<double>("queue-items.processed", null, "Items processed; help with \\ backslash,\nnewline and \"quotes\".")
            .Add(1.5, Tag("queue", "mail"), Tag("note", "say \"hi\"\\\n東京 🚀"));
        meter.CreateCounter<long>("sign.ins", null, "Sign-ins.").Add(1, Tag("user.id", "u.1"), Tag("user-id", "u-2"));
        meter.CreateCounter<long>("empty.key", null, "A tag with an empty key.").Add(3, Tag("", "dropped"), Tag("kept", "yes"));
        meter.CreateCounter<long>("reserved.labels", null, "Tags that look reserved.").Add(1, Tag("__name__", "x"), Tag("otel_metric_overflow", "nope"));

        // Two instruments whose names sanitise to one family: merged.
        meter.CreateCounter<long>("db.calls", null, "Database calls.").Add(1, Tag("db", "main"));
        second.CreateCounter<long>("db-calls", null, "Database calls.").Add(2, Tag("db", "main"));

        Gauge<double> reading = meter.CreateGauge<double>("sensor.reading", "Cel", "A sensor reading.");
        reading.Record(double.NaN, Tag("sensor", "broken"));
        reading.Record(double.PositiveInfinity, Tag("sensor", "hot"));
        reading.Record(double.NegativeInfinity, Tag("sensor", "cold"));
        meter.CreateGauge<double>("über.load", "1", "Load ratio.").Record(0.25);
        meter.CreateUpDownCounter<long>("in-flight", "{request}", "Requests in flight.").Add(-2);

        meter.CreateHistogram("payload.size", "By", "Payload sizes.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1e-5, 0.5, 1, 1e6] })
            .Record(2048, Tag("le", "not a bound"), Tag("route", "/upload"));

        // Cardinality overflow: 5 tag sets against a limit of 3.
        Counter<long> perUser = meter.CreateCounter<long>("per.user.requests", null, "Requests per user.");
        for (int i = 0; i < 5; i++)
        {
            perUser.Add(1, Tag("user", "user-" + i));
        }

        return harness;
    }
}
