using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's metrics examples.</summary>
public static class MetricsSnippets
{
    public static void QuickStart()
    {
        // begin-snippet: quick-start
        var services = new ServiceCollection();
        services.AddMusubiMonitoring(o =>
        {
            o.ServiceName = "checkout";
            o.ServiceVersion = "1.4.2";
            o.Metrics.Meters.Add("Checkout.*");   // your meters: names or * patterns
        });

        using ServiceProvider provider = services.BuildServiceProvider();
        var collector = provider.GetRequiredService<MusubiMetricsCollector>();   // listens from now on
        var metrics = provider.GetRequiredService<MusubiMetrics>();               // the convenience API
        var meterFactory = provider.GetRequiredService<IMeterFactory>();          // for your own meters
        // end-snippet
        _ = (collector, metrics, meterFactory);
    }

    public static void StandardInstruments(IMeterFactory meterFactory)
    {
        // begin-snippet: instruments
        Meter meter = meterFactory.Create("Checkout.Orders");
        Counter<long> placed = meter.CreateCounter<long>("orders.placed", "{order}", "Orders placed");
        Histogram<double> latency = meter.CreateHistogram<double>("payment.duration", "s", "Payment call duration");

        placed.Add(1, new KeyValuePair<string, object?>("payment.method", "card"));
        latency.Record(0.042, new KeyValuePair<string, object?>("provider", "stripe"));
        // exported as orders_placed_total{payment_method="card"} and payment_duration_seconds_bucket{…}
        // end-snippet
    }

    public static void ConvenienceApi(MusubiMetrics metrics)
    {
        // begin-snippet: convenience
        MusubiCounter jobs = metrics.Counter("jobs_processed", "Jobs processed", "queue", "outcome");
        jobs.Inc(1, "emails", "ok");

        MusubiHistogram size = metrics.Histogram("batch_size", "Items per batch", buckets: [1, 10, 100, 1000]);
        size.Observe(42);

        metrics.Gauge("queue_depth", "Items waiting", "queue").Set(17, "emails");
        metrics.UpDownCounter("active_workers", "Workers running").Add(+1);

        // A bound series skips the label lookup on every call (like prometheus-net's labelled child).
        MusubiCounter.Bound emailsOk = jobs.WithLabels("emails", "ok");
        for (int i = 0; i < 1000; i++)
        {
            emailsOk.Inc();
        }
        // end-snippet
    }

    public static void HttpMetrics(MusubiMetrics metrics)
    {
        // begin-snippet: record-request
        metrics.RecordRequest("GET", "/api/orders/{id}", 200, TimeSpan.FromMilliseconds(35));
        // → http_server_request_duration_seconds{http_request_method="GET",http_route="/api/orders/{id}",http_response_status_code="200"}
        // end-snippet
    }

    public static async Task Export(MusubiMetricsCollector collector, Stream output, string? acceptHeader)
    {
        // begin-snippet: export
        ExpositionFormat format = ExpositionFormats.Negotiate(acceptHeader);   // OpenMetrics, text 0.0.4 or JSON
        await collector.WriteAsync(output, format);

        var buffer = new ArrayBufferWriter<byte>();
        collector.Write(buffer, ExpositionFormat.OpenMetrics);                 // ends with "# EOF"
        // end-snippet
    }

    public static void ReadInCode(MusubiMetricsCollector collector)
    {
        // begin-snippet: snapshot
        MetricsSnapshot snapshot = collector.Collect();
        MetricFamilySnapshot? requests = snapshot.Find("http_server_request_duration_seconds");
        double served = requests?.Sum() ?? 0;                                   // request count
        double errors = requests?.Sum(("error_type", "500")) ?? 0;
        double? p95 = requests?.MergeHistograms()?.EstimateQuantile(0.95);     // like histogram_quantile over sum by (le)
        // end-snippet
        _ = (served, errors, p95);
    }
}
