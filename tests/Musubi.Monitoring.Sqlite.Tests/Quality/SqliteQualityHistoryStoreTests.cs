using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Quality;
using static Musubi.Monitoring.Sqlite.Tests.Quality.QualityHistoryStoreContractTests;

namespace Musubi.Monitoring.Sqlite.Tests.Quality;

public sealed class SqliteQualityHistoryStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetLatestAsync_AfterRestart_ReadsEverySnapshotBackExactly()
    {
        var first = new SqliteQualityHistoryStore(_database.ConnectionString);
        var appended = new List<QualitySnapshot>();
        for (int i = 0; i < 12; i++)
        {
            QualitySnapshot snapshot = i % 3 == 0 ? Rich(s_t0.AddHours(i)) : Line(s_t0.AddHours(i), i == 1 ? 79.999m : 50m + (i / 1000m));
            appended.Add(snapshot);
            await first.AppendAsync(snapshot, Token);
        }

        SqliteConnection.ClearAllPools();
        var restarted = new SqliteQualityHistoryStore(_database.ConnectionString);
        IReadOnlyList<QualitySnapshot> read = await restarted.GetLatestAsync(100, Token);

        Assert.Equal(appended.Count, read.Count);
        for (int i = 0; i < appended.Count; i++)
        {
            AssertExactlyEqual(appended[i], read[i]);
        }

        Assert.Equal("79.999", read[1].Measurements[0].ToString()[..^1]);
        Assert.Equal(QualityStatus.Warning, QualityThresholds.Defaults[0].Evaluate(read[0].Measurements[0]));
    }

    [Fact]
    public async Task AppendAsync_CreatesTheQualityMigrationScope()
    {
        await new SqliteQualityHistoryStore(_database.ConnectionString).AppendAsync(Line(s_t0, 80m), Token);

        Assert.Equal(1L, _database.Scalar("SELECT MAX(id) FROM schema_migrations WHERE scope = 'quality';"));
        Assert.Equal("80", _database.Scalar("SELECT value FROM quality_measurements;"));
        Assert.Equal("Percent", _database.Scalar("SELECT unit FROM quality_measurements;"));
    }

    [Fact]
    public async Task AppendAsync_TwoInstancesConcurrently_LoseNothing()
    {
        var a = new SqliteQualityHistoryStore(_database.ConnectionString);
        var b = new SqliteQualityHistoryStore(_database.ConnectionString);

        await Task.WhenAll(
            Task.Run(async () => { for (int i = 0; i < 30; i++) { await a.AppendAsync(Rich(s_t0.AddMinutes(i)), Token); } }, Token),
            Task.Run(async () => { for (int i = 0; i < 30; i++) { await b.AppendAsync(Line(s_t0.AddMinutes(i), i), Token); } }, Token));

        IReadOnlyList<QualitySnapshot> all = await a.GetLatestAsync(1000, Token);
        Assert.Equal(60, all.Count);
        Assert.Equal(30 * 8 + 30, all.Sum(s => s.Measurements.Count));
    }

    [Theory]
    [InlineData("UPDATE quality_measurements SET value = '79,999' WHERE metric = 'method_coverage';", "value '79,999'")]
    [InlineData("UPDATE quality_measurements SET value = '80' WHERE metric = 'line_coverage';", "do not match its counts 79999/100000")]
    [InlineData("UPDATE quality_measurements SET unit = 'Percentage' WHERE metric = 'flaky_tests';", "unit 'Percentage'")]
    [InlineData("UPDATE quality_measurements SET unit = '7' WHERE metric = 'flaky_tests';", "unit '7'")]
    [InlineData("UPDATE quality_measurements SET value = '150' WHERE metric = 'method_coverage';", "'method_coverage' is not a valid measurement")]
    [InlineData("UPDATE quality_measurements SET unknown_reason = NULL WHERE metric = 'new_line_coverage';", "neither a value nor a reason")]
    [InlineData("UPDATE quality_measurements SET denominator = NULL WHERE metric = 'test_pass_rate';", "only one of numerator and denominator")]
    [InlineData("UPDATE quality_measurements SET metric = 'line_coverage' WHERE metric = 'docs';", "measured twice")]
    [InlineData("UPDATE quality_snapshots SET sources = '{\"a\":1}';", "sources '{\"a\":1}'")]
    [InlineData("UPDATE quality_snapshots SET warnings = '[null]';", "warnings '[null]'")]
    [InlineData("UPDATE quality_snapshots SET timestamp_offset = 100000;", "not a valid instant")]
    public async Task GetLatestAsync_BadStoredData_ThrowsInvalidDataExceptionNamingTheSnapshot(string corruption, string expected)
    {
        var store = new SqliteQualityHistoryStore(_database.ConnectionString);
        await store.AppendAsync(Rich(s_t0), Token);
        _database.Execute(corruption);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetLatestAsync(1, Token));

        Assert.Contains("Stored quality snapshot 1", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task UseSqlite_WithAddQualityHistoryBeforeOrAfter_ResolvesTheSqliteStoreOnTheSameFile()
    {
        foreach (bool historyFirst in new[] { true, false })
        {
            var services = new ServiceCollection();
            Musubi.Monitoring.MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
            if (historyFirst)
            {
                builder.AddQualityHistory().UseSqlite(_database.ConnectionString);
            }
            else
            {
                builder.UseSqlite(_database.ConnectionString).AddQualityHistory();
            }

            await using ServiceProvider provider = services.BuildServiceProvider();
            IQualityHistoryStore store = provider.GetRequiredService<IQualityHistoryStore>();
            await store.AppendAsync(Line(s_t0, historyFirst ? 1m : 2m), Token);

            Assert.IsType<SqliteQualityHistoryStore>(store);
            Assert.Single(services, d => d.ServiceType == typeof(IQualityHistoryStore));
            Assert.Equal(_database.Path, ((SqliteQualityHistoryStore)store).DataSource);
        }

        Assert.Equal([1m, 2m], (await new SqliteQualityHistoryStore(_database.ConnectionString).GetLatestAsync(5, Token)).Select(s => s.Measurements[0].Value!.Value));
    }

    [Fact]
    public async Task QualityCollector_AfterRestart_ComparesWithTheStoredSnapshotAndRepeatsNoAlert()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(s_t0);
        await using (var before = new QualityCollector(new FixedSource(time, 70m), new SqliteQualityHistoryStore(_database.ConnectionString), timeProvider: time))
        {
            Assert.Single((await before.CollectAsync(Token)).Alerts); // first reading: warning
        }

        SqliteConnection.ClearAllPools();
        time.Advance(TimeSpan.FromHours(1));
        await using var after = new QualityCollector(new FixedSource(time, 65m), new SqliteQualityHistoryStore(_database.ConnectionString), timeProvider: time);

        QualityCollectionResult result = await after.CollectAsync(Token);

        Assert.Equal(QualityCollectionOutcome.Collected, result.Outcome);
        Assert.Empty(result.Alerts);
        Assert.Equal(2, (await new SqliteQualityHistoryStore(_database.ConnectionString).GetLatestAsync(10, Token)).Count);
    }

    [Fact]
    public void Constructor_InMemoryDatabase_ThrowsNamingIt()
    {
        ArgumentException e = Assert.Throws<ArgumentException>("connectionString", () => new SqliteQualityHistoryStore("Data Source=:memory:"));

        Assert.Contains(":memory:", e.Message);
    }
}

internal sealed class FixedSource(TimeProvider time, decimal lineCoverage) : IQualitySource
{
    public Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Line(time.GetUtcNow(), lineCoverage));
}
