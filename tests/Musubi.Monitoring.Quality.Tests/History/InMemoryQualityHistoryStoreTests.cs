using static Musubi.Monitoring.Quality.Tests.QualitySamples;

namespace Musubi.Monitoring.Quality.Tests.History;

public sealed class InMemoryQualityHistoryStoreTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Constructor_Defaults_KeepTenThousand() => Assert.Equal(10_000, new InMemoryQualityHistoryStore().Capacity);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_CapacityBelowOne_ThrowsNamingIt(int capacity)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(nameof(capacity), () => new InMemoryQualityHistoryStore(capacity));

        Assert.Contains(capacity.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public async Task AppendAsync_PastCapacity_DropsTheOldestAndCountsIt()
    {
        var store = new InMemoryQualityHistoryStore(3);
        for (int i = 0; i < 5; i++)
        {
            await store.AppendAsync(Line(T0.AddHours(i), 70m + i), Token);
        }

        IReadOnlyList<QualitySnapshot> all = await store.GetLatestAsync(10, Token);

        Assert.Equal([T0.AddHours(2), T0.AddHours(3), T0.AddHours(4)], all.Select(s => s.Timestamp));
        Assert.Equal(2, store.DroppedCount);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task AppendAsync_OutOfOrder_ReadsChronologicallyWithTiesInAppendOrder()
    {
        var store = new InMemoryQualityHistoryStore();
        QualitySnapshot late = Line(T0.AddHours(2), 1m), early = Line(T0, 2m), tieA = Line(T0.AddHours(1), 3m), tieB = Line(T0.AddHours(1).ToOffset(TimeSpan.FromHours(9)), 4m);

        foreach (QualitySnapshot s in new[] { late, tieA, early, tieB })
        {
            await store.AppendAsync(s, Token);
        }

        Assert.Equal([early, tieA, tieB, late], await store.GetLatestAsync(4, Token));
        Assert.Equal([tieB, late], await store.GetLatestAsync(2, Token));
        Assert.Equal([tieA, tieB], await store.GetRangeAsync(T0.AddHours(1), T0.AddHours(2), Token));
    }

    [Fact]
    public async Task GetLatestAsync_CountBelowOne_ThrowsNamingIt()
    {
        ArgumentOutOfRangeException e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>("count", () => new InMemoryQualityHistoryStore().GetLatestAsync(0, Token));

        Assert.Contains("count is 0", e.Message);
    }

    [Fact]
    public async Task GetRangeAsync_EndBeforeStart_ThrowsNamingBoth()
    {
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>("until", () => new InMemoryQualityHistoryStore().GetRangeAsync(T0, T0.AddSeconds(-1), Token));

        Assert.Contains("2026-12-01T08:59:59", e.Message);
        Assert.Contains("2026-12-01T09:00:00", e.Message);
    }

    [Fact]
    public async Task AppendAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>("snapshot", () => new InMemoryQualityHistoryStore().AppendAsync(null!, Token));
}
