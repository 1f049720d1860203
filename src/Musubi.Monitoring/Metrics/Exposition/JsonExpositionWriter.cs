using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Musubi.Monitoring.Metrics.Exposition;

/// <summary>
/// Writes a snapshot as JSON: <c>{"timestamp", "metrics": [{"name", "type", "unit", "help", "series": [{"labels",
/// "value" | "count", "sum", "buckets": [{"le", "count"}]}]}]}</c>. Bucket counts are cumulative, as in
/// Prometheus. Non-finite numbers, which JSON cannot carry, are the strings <c>"NaN"</c>, <c>"+Inf"</c> and
/// <c>"-Inf"</c>. Numbers are culture-invariant.
/// </summary>
internal static class JsonExpositionWriter
{
    private static readonly JsonWriterOptions s_options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static void Write(IBufferWriter<byte> buffer, MetricsSnapshot snapshot)
    {
        using var writer = new Utf8JsonWriter(buffer, s_options);
        writer.WriteStartObject();
        writer.WriteString("timestamp", snapshot.Timestamp);
        writer.WriteStartArray("metrics");
        foreach (MetricFamilySnapshot family in snapshot.Families)
        {
            writer.WriteStartObject();
            writer.WriteString("name", family.Name);
            writer.WriteString("type", family.Type switch
            {
                MetricType.Counter => "counter",
                MetricType.Histogram => "histogram",
                _ => "gauge",
            });
            if (family.Unit is not null)
            {
                writer.WriteString("unit", family.Unit);
            }

            if (family.Help.Length > 0)
            {
                writer.WriteString("help", family.Help);
            }

            writer.WriteStartArray("series");
            foreach (MetricSeriesSnapshot series in family.Series)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("labels");
                foreach (KeyValuePair<string, string> label in series.Labels)
                {
                    writer.WriteString(label.Key, label.Value);
                }

                writer.WriteEndObject();
                if (series.Histogram is { } histogram)
                {
                    writer.WriteNumber("count", histogram.Count);
                    WriteNumber(writer, "sum", histogram.Sum);
                    writer.WriteStartArray("buckets");
                    long cumulative = 0;
                    for (int i = 0; i < histogram.BucketCounts.Count; i++)
                    {
                        cumulative += histogram.BucketCounts[i];
                        writer.WriteStartObject();
                        if (i < histogram.Bounds.Count)
                        {
                            writer.WriteNumber("le", histogram.Bounds[i]);
                        }
                        else
                        {
                            writer.WriteString("le", "+Inf");
                        }

                        writer.WriteNumber("count", cumulative);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    WriteNumber(writer, "value", series.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");
        }
    }
}
