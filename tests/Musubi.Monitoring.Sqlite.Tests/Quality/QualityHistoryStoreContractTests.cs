using Musubi.Monitoring.Quality;

namespace Musubi.Monitoring.Sqlite.Tests.Quality;

/// <summary>The <see cref="IQualityHistoryStore"/> contract, run against every implementation.</summary>
public abstract class QualityHistoryStoreContractTests : IDisposable
{
    internal static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IQualityHistoryStore Store { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A snapshot with every kind of measurement: known values with awkward scales, ratios, unknowns with and without counts.</summary>
    internal static QualitySnapshot Rich(DateTimeOffset at) => new(
        at,
        [
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no line has a branch"),
            QualityMeasurement.Known(QualityMetrics.MethodCoverage, 80.0000m, QualityUnit.Percent),
            QualityMeasurement.Ratio(QualityMetrics.TestPassRate, 2, 3, "no test executed"),
            QualityMeasurement.Known(QualityMetrics.FlakyTests, 3m, QualityUnit.Count),
            QualityMeasurement.Unknown(QualityMetrics.NewLineCoverage, QualityUnit.Percent, "no baseline report: \"quoted\", ünïcode"),
            QualityMeasurement.Known("complexity", -0.000000000000000000000001m, QualityUnit.Number),
            QualityMeasurement.Known("docs", 79228162514264337593543950335m, QualityUnit.Number),
        ],
        ["/ci/coverage.cobertura.xml", "C:\\reports\\tests.trx"],
        ["coverage.cobertura.xml: a file without a package, read with a warning"]);

    internal static QualitySnapshot Line(DateTimeOffset at, decimal value) =>
        new(at, [QualityMeasurement.Known(QualityMetrics.LineCoverage, value, QualityUnit.Percent)]);

    internal static void AssertExactlyEqual(QualitySnapshot expected, QualitySnapshot actual)
    {
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Timestamp.Offset, actual.Timestamp.Offset);
        Assert.Equal(expected.Sources, actual.Sources);
        Assert.Equal(expected.Warnings, actual.Warnings);
        Assert.Equal(expected.Measurements, actual.Measurements);
        // Record equality compares decimals by value; the text keeps the scale (80.0000 stays 80.0000).
        Assert.Equal(expected.Measurements.Select(m => m.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture)), actual.Measurements.Select(m => m.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task AppendAsync_EveryKindOfMeasurement_ReadsBackExactly()
    {
        QualitySnapshot snapshot = Rich(s_t0.ToOffset(TimeSpan.FromHours(9)));

        await Store.AppendAsync(snapshot, Token);
        QualitySnapshot read = Assert.Single(await Store.GetLatestAsync(1, Token));

        AssertExactlyEqual(snapshot, read);
        Assert.Equal("79.999", read.Measurements[0].Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((0L, 0L, "no line has a branch"), (read.Measurements[1].Numerator!.Value, read.Measurements[1].Denominator!.Value, read.Measurements[1].UnknownReason));
        Assert.False(read.Measurements[1].IsKnown);
    }

    [Fact]
    public async Task AppendAsync_EmptySnapshot_ReadsBack()
    {
        var empty = new QualitySnapshot(s_t0, []);

        await Store.AppendAsync(empty, Token);

        AssertExactlyEqual(empty, Assert.Single(await Store.GetLatestAsync(5, Token)));
    }

    [Fact]
    public async Task GetLatestAsync_ReturnsTheNewestOldestFirstWithTiesInAppendOrder()
    {
        QualitySnapshot a = Line(s_t0.AddHours(3), 1m), b = Line(s_t0, 2m), c = Line(s_t0.AddHours(1), 3m), d = Line(s_t0.AddHours(1).ToOffset(TimeSpan.FromHours(-5)), 4m);
        foreach (QualitySnapshot s in new[] { a, b, c, d })
        {
            await Store.AppendAsync(s, Token);
        }

        Assert.Equal([2m, 3m, 4m, 1m], (await Store.GetLatestAsync(10, Token)).Select(s => s.Measurements[0].Value!.Value));
        Assert.Equal([4m, 1m], (await Store.GetLatestAsync(2, Token)).Select(s => s.Measurements[0].Value!.Value));
    }

    [Fact]
    public async Task GetRangeAsync_IncludesStartExcludesEnd()
    {
        for (int i = 0; i < 5; i++)
        {
            await Store.AppendAsync(Line(s_t0.AddHours(i), 70m + i), Token);
        }

        IReadOnlyList<QualitySnapshot> range = await Store.GetRangeAsync(s_t0.AddHours(1), s_t0.AddHours(3), Token);

        Assert.Equal([71m, 72m], range.Select(s => s.Measurements[0].Value!.Value));
        Assert.Empty(await Store.GetRangeAsync(s_t0.AddHours(2), s_t0.AddHours(2), Token));
    }

    [Fact]
    public async Task GetLatestAsync_Empty_ReturnsNothing() => Assert.Empty(await Store.GetLatestAsync(3, Token));

    [Fact]
    public async Task GetLatestAsync_CountBelowOne_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("count", () => Store.GetLatestAsync(0, Token));

    [Fact]
    public async Task GetRangeAsync_EndBeforeStart_Throws() =>
        await Assert.ThrowsAsync<ArgumentException>("until", () => Store.GetRangeAsync(s_t0, s_t0.AddTicks(-1), Token));

    [Fact]
    public async Task AppendAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>("snapshot", () => Store.AppendAsync(null!, Token));

    protected virtual void Dispose(bool disposing)
    {
    }
}

public sealed class InMemoryQualityHistoryStoreContractTests : QualityHistoryStoreContractTests
{
    protected override IQualityHistoryStore Store { get; } = new InMemoryQualityHistoryStore();
}

public sealed class SqliteQualityHistoryStoreContractTests : QualityHistoryStoreContractTests
{
    private readonly TestDatabase _database = new();

    public SqliteQualityHistoryStoreContractTests() => Store = new SqliteQualityHistoryStore(_database.ConnectionString);

    protected override IQualityHistoryStore Store { get; }

    protected override void Dispose(bool disposing)
    {
        _database.Dispose();
        base.Dispose(disposing);
    }
}
