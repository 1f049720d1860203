using System.Buffers;
using System.Text;

namespace Musubi.Monitoring.Metrics.Exposition;

/// <summary>
/// Writes Prometheus text 0.0.4 and OpenMetrics 1.0. One metadata block per family with its series
/// contiguous; label values escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>); HELP escaped as each format requires
/// (OpenMetrics also escapes <c>"</c>); histograms cumulative with <c>+Inf</c>, <c>_sum</c> and <c>_count</c>;
/// no BOM. Label blocks and metadata are encoded once and cached.
/// </summary>
internal static class PrometheusTextWriter
{
    public static void Write(IBufferWriter<byte> writer, MusubiMetricsCollector collector, bool openMetrics)
    {
        var sink = new Utf8Sink(writer);
        List<MetricFamilySnapshot> self = MetricsSnapshot.SelfFamilies(collector);
        ReadOnlySpan<MetricFamily> families = collector.Families;

        // Families and self families interleave by name so the document is sorted as a whole.
        int s = 0;
        foreach (MetricFamily family in families)
        {
            while (s < self.Count && string.CompareOrdinal(self[s].Name, family.Name) < 0)
            {
                WriteSnapshotFamily(ref sink, self[s++], openMetrics);
            }

            if (family.Members.Length == 1)
            {
                WriteFamily(ref sink, family, openMetrics);
            }
            else
            {
                WriteSnapshotFamily(ref sink, MetricsSnapshot.FromFamily(family), openMetrics);
            }
        }

        while (s < self.Count)
        {
            WriteSnapshotFamily(ref sink, self[s++], openMetrics);
        }

        if (openMetrics)
        {
            sink.Write("# EOF\n"u8);
        }

        sink.Flush();
    }

    /// <summary>Encodes <c>name="value",…</c> with escaped values (the same in both formats).</summary>
    public static byte[] EncodeLabels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(labels[i].Key).Append("=\"");
            AppendEscaped(builder, labels[i].Value, escapeQuote: true);
            builder.Append('"');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void WriteFamily(ref Utf8Sink sink, MetricFamily family, bool openMetrics)
    {
        FamilyText text = Cache(family);
        sink.Write(openMetrics ? text.OpenMetricsHeader : text.TextHeader);
        ReadOnlySpan<Series> series = family.Members[0].SeriesSnapshot(out Series? overflow);
        foreach (Series s in series)
        {
            WriteSeries(ref sink, family, text, s, openMetrics);
        }

        if (overflow is not null)
        {
            if (overflow.LabelsUtf8.Length == 0)
            {
                overflow.LabelsUtf8 = EncodeLabels(overflow.Labels);
            }

            WriteSeries(ref sink, family, text, overflow, openMetrics);
        }
    }

    private static void WriteSeries(ref Utf8Sink sink, MetricFamily family, FamilyText text, Series series, bool openMetrics)
    {
        byte[] labels = series.LabelsUtf8;
        switch (series)
        {
            case HistogramSeries histogram:
            {
                int buckets = family.Bounds!.Length + 1;
                Span<long> counts = buckets <= 128 ? stackalloc long[buckets] : new long[buckets];
                long total = histogram.CopyCounts(counts);
                WriteBuckets(ref sink, text, labels, counts, total, openMetrics);
                WriteSumAndCount(ref sink, text, labels, histogram.Sum, total, family.Bounds[0] < 0, openMetrics);
                break;
            }

            case SumSeries sum:
                WriteSample(ref sink, text.SampleName, labels, sum.Value, openMetrics);
                break;
            case LastValueSeries last:
                WriteSample(ref sink, text.SampleName, labels, last.Value, openMetrics);
                break;
        }
    }

    private static void WriteBuckets(ref Utf8Sink sink, FamilyText text, byte[] labels, scoped ReadOnlySpan<long> counts, long total, bool openMetrics)
    {
        byte[][] le = openMetrics ? text.OpenMetricsLe : text.TextLe;
        long cumulative = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            sink.Write(text.BucketName);
            sink.Write((byte)'{');
            if (labels.Length > 0)
            {
                sink.Write(labels);
                sink.Write((byte)',');
            }

            sink.Write(le[i]);
            sink.Write("} "u8);
            sink.WriteLong(i == counts.Length - 1 ? total : cumulative);
            sink.Write((byte)'\n');
        }
    }

    /// <summary>
    /// Writes <c>_sum</c> and <c>_count</c>. OpenMetrics 1.0 treats a histogram's sum as counter-like (never
    /// negative or NaN) and allows no sum where buckets go below zero; there both are left out (they are
    /// optional together, and the <c>+Inf</c> bucket still carries the count). The text format has no such rule.
    /// </summary>
    private static void WriteSumAndCount(ref Utf8Sink sink, FamilyText text, byte[] labels, double sum, long count, bool negativeBuckets, bool openMetrics)
    {
        if (openMetrics && (negativeBuckets || !(sum >= 0)))
        {
            return;
        }

        WriteSample(ref sink, text.SumName, labels, sum, openMetrics);
        WriteCount(ref sink, text.CountName, labels, count);
    }

    private static void WriteSample(ref Utf8Sink sink, byte[] name, byte[] labels, double value, bool openMetrics)
    {
        WriteSampleName(ref sink, name, labels);
        sink.WriteNumber(value, openMetrics);
        sink.Write((byte)'\n');
    }

    private static void WriteCount(ref Utf8Sink sink, byte[] name, byte[] labels, long count)
    {
        WriteSampleName(ref sink, name, labels);
        sink.WriteLong(count);
        sink.Write((byte)'\n');
    }

    /// <summary>Writes <c>name{labels} </c>, without braces when there are no labels.</summary>
    private static void WriteSampleName(ref Utf8Sink sink, byte[] name, byte[] labels)
    {
        sink.Write(name);
        if (labels.Length > 0)
        {
            sink.Write((byte)'{');
            sink.Write(labels);
            sink.Write((byte)'}');
        }

        sink.Write((byte)' ');
    }

    private static void WriteSnapshotFamily(ref Utf8Sink sink, MetricFamilySnapshot family, bool openMetrics)
    {
        bool info = openMetrics && family.Name == MetricsSnapshot.TargetInfoName;
        FamilyText text = FamilyText.Create(family.Name, family.Type, family.Unit, family.Help,
            (family.Series.Count > 0 ? family.Series[0].Histogram?.Bounds : null), info);
        sink.Write(openMetrics ? text.OpenMetricsHeader : text.TextHeader);
        foreach (MetricSeriesSnapshot series in family.Series)
        {
            byte[] labels = EncodeLabels(series.Labels);
            if (series.Histogram is { } histogram)
            {
                WriteBuckets(ref sink, text, labels, [.. histogram.BucketCounts], histogram.Count, openMetrics);
                WriteSumAndCount(ref sink, text, labels, histogram.Sum, histogram.Count, histogram.Bounds.Count > 0 && histogram.Bounds[0] < 0, openMetrics);
            }
            else
            {
                WriteSample(ref sink, text.SampleName, labels, series.Value, openMetrics);
            }
        }
    }

    private static FamilyText Cache(MetricFamily family)
    {
        if (family.TextCache is FamilyText cached)
        {
            return cached;
        }

        var text = FamilyText.Create(family.Name, family.Type, family.Unit, family.Help, family.Bounds, info: false);
        family.TextCache = text;
        return text;
    }

    private static void AppendEscaped(StringBuilder builder, string value, bool escapeQuote)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '"' when escapeQuote:
                    builder.Append("\\\"");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    /// <summary>The encoded metadata, sample names and <c>le</c> labels of one family.</summary>
    private sealed class FamilyText
    {
        public required byte[] TextHeader { get; init; }

        public required byte[] OpenMetricsHeader { get; init; }

        public required byte[] SampleName { get; init; }

        public required byte[] BucketName { get; init; }

        public required byte[] SumName { get; init; }

        public required byte[] CountName { get; init; }

        public required byte[][] TextLe { get; init; }

        public required byte[][] OpenMetricsLe { get; init; }

        public static FamilyText Create(string name, MetricType type, string? unit, string help, IReadOnlyList<double>? bounds, bool info)
        {
            string textName = type == MetricType.Counter ? name + "_total" : name;
            string textType = type switch
            {
                MetricType.Counter => "counter",
                MetricType.Histogram => "histogram",
                _ => "gauge",
            };

            var textHeader = new StringBuilder();
            if (help.Length > 0)
            {
                textHeader.Append("# HELP ").Append(textName).Append(' ');
                AppendEscaped(textHeader, help, escapeQuote: false);
                textHeader.Append('\n');
            }

            textHeader.Append("# TYPE ").Append(textName).Append(' ').Append(textType).Append('\n');

            // OpenMetrics: the family name carries no _total (nor _info); TYPE, UNIT, HELP in that order.
            string omName = info ? name[..^"_info".Length] : name;
            var omHeader = new StringBuilder();
            omHeader.Append("# TYPE ").Append(omName).Append(' ').Append(info ? "info" : textType).Append('\n');
            if (unit is not null)
            {
                omHeader.Append("# UNIT ").Append(omName).Append(' ').Append(unit).Append('\n');
            }

            if (help.Length > 0)
            {
                omHeader.Append("# HELP ").Append(omName).Append(' ');
                AppendEscaped(omHeader, help, escapeQuote: true);
                omHeader.Append('\n');
            }

            int bucketCount = (bounds?.Count ?? 0) + 1;
            var textLe = new byte[bucketCount][];
            var omLe = new byte[bucketCount][];
            for (int i = 0; i < bucketCount; i++)
            {
                bool last = i == bucketCount - 1;
                string plain = last ? "+Inf" : PrometheusNumber.ToText(bounds![i]);
                string canonical = last ? "+Inf" : PrometheusNumber.ToText(bounds![i], canonical: true);
                textLe[i] = Encoding.UTF8.GetBytes("le=\"" + plain + "\"");
                omLe[i] = Encoding.UTF8.GetBytes("le=\"" + canonical + "\"");
            }

            return new FamilyText
            {
                TextHeader = Encoding.UTF8.GetBytes(textHeader.ToString()),
                OpenMetricsHeader = Encoding.UTF8.GetBytes(omHeader.ToString()),
                SampleName = Encoding.UTF8.GetBytes(textName),
                BucketName = Encoding.UTF8.GetBytes(name + "_bucket"),
                SumName = Encoding.UTF8.GetBytes(name + "_sum"),
                CountName = Encoding.UTF8.GetBytes(name + "_count"),
                TextLe = textLe,
                OpenMetricsLe = omLe,
            };
        }
    }
}
