using System.Diagnostics;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Tests.Tracing;

public sealed class InMemorySpanExporterTests
{
    [Fact]
    public async Task ExportAsync_BeyondCapacity_EvictsTheOldestAndCountsThem()
    {
        var exporter = new InMemorySpanExporter(capacity: 3);
        Activity[] spans = [.. Enumerable.Range(0, 5).Select(i => Spans.Ended("s" + i))];
        await exporter.ExportAsync(spans[..2], TestContext.Current.CancellationToken);
        await exporter.ExportAsync(spans[2..], TestContext.Current.CancellationToken);

        Assert.Equal(["s2", "s3", "s4"], exporter.GetFinishedSpans().Select(s => s.DisplayName));
        Assert.Equal(2, exporter.EvictedSpans);

        exporter.Clear();
        Assert.Empty(exporter.GetFinishedSpans());
        await exporter.ExportAsync([spans[0]], TestContext.Current.CancellationToken);
        Assert.Same(spans[0], Assert.Single(exporter.GetFinishedSpans()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Ctor_CapacityOutOfRange_ThrowsArgumentOutOfRangeException(int capacity)
        => Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new InMemorySpanExporter(capacity)).ParamName);
}
