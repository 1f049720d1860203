using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Releases;
using Musubi.Monitoring.Sqlite.Tests.Incidents;

namespace Musubi.Monitoring.Sqlite.Tests;

public sealed class SqliteBuilderExtensionsTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void UseSqlite_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("builder", () => SqliteBuilderExtensions.UseSqlite(null!, _database.ConnectionString));

    [Fact]
    public void UseSqlite_NullConnectionString_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("connectionString", () => new ServiceCollection().AddMusubiMonitoring().UseSqlite(null!));

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Colour=blue")]
    public void UseSqlite_InvalidConnectionString_ThrowsArgumentExceptionNamingIt(string connectionString)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(nameof(connectionString), () => new ServiceCollection().AddMusubiMonitoring().UseSqlite(connectionString));

        Assert.Contains(connectionString, e.Message);
    }

    [Fact]
    public async Task UseSqlite_AfterAnInMemoryStore_ResolvesAWorkingSqliteStore()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IIncidentStore, InMemoryIncidentStore>();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddMusubiMonitoring().UseSqlite(_database.ConnectionString);
        await using ServiceProvider provider = services.BuildServiceProvider();

        IIncidentStore store = provider.GetRequiredService<IIncidentStore>();
        await store.AddAsync(IncidentSamples.Simple("a", IncidentSamples.T0), TestContext.Current.CancellationToken);

        Assert.IsType<SqliteIncidentStore>(store);
        Assert.Same(store, provider.GetRequiredService<SqliteIncidentStore>());
        Assert.Equal(1, (await new SqliteIncidentStore(_database.ConnectionString).GetAsync("a", TestContext.Current.CancellationToken))?.Version);
    }

    [Fact]
    public void UseSqlite_CalledTwice_RegistersOneStoreForTheLastConnectionString()
    {
        string other = Path.Combine(_database.Directory, "other.db");
        var services = new ServiceCollection();

        services.AddMusubiMonitoring().UseSqlite(_database.ConnectionString).UseSqlite($"Data Source={other}");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IIncidentStore));
        Assert.Single(services, d => d.ServiceType == typeof(SqliteIncidentStore));
        Assert.Equal(other, provider.GetRequiredService<SqliteIncidentStore>().DataSource);
    }

    [Fact]
    public async Task UseSqlite_WithAddReleasesBeforeOrAfter_ResolvesTheSqliteReleaseStoreOnTheSameFile()
    {
        foreach (bool releasesFirst in new[] { true, false })
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Musubi.Monitoring.Releases.Tests.ReleaseSamples.T0));
            Musubi.Monitoring.MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
            if (releasesFirst)
            {
                builder.AddReleases().AddIncidents().UseSqlite(_database.ConnectionString);
            }
            else
            {
                builder.UseSqlite(_database.ConnectionString).AddReleases().AddIncidents();
            }

            await using ServiceProvider provider = services.BuildServiceProvider();
            ReleaseService service = provider.GetRequiredService<ReleaseService>();
            Release planned = await service.PlanAsync("t", SemanticVersion.Parse("1.0.0"), ReleaseType.Major, "ana", cancellationToken: TestContext.Current.CancellationToken);

            Assert.IsType<SqliteReleaseStore>(service.Store);
            Assert.IsType<SqliteIncidentStore>(provider.GetRequiredService<IIncidentStore>());
            Assert.Same(service.Store, provider.GetRequiredService<SqliteReleaseStore>());
            Assert.Equal(_database.Path, provider.GetRequiredService<SqliteReleaseStore>().DataSource);
            Assert.Equal(1, (await new SqliteReleaseStore(_database.ConnectionString).GetAsync(planned.Id, TestContext.Current.CancellationToken))?.Revision);
        }
    }

    [Fact]
    public void UseSqlite_CalledTwice_RegistersOneReleaseStoreForTheLastConnectionString()
    {
        string other = Path.Combine(_database.Directory, "other.db");
        var services = new ServiceCollection();

        services.AddMusubiMonitoring().AddReleases().UseSqlite(_database.ConnectionString).UseSqlite($"Data Source={other}");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IReleaseStore));
        Assert.Single(services, d => d.ServiceType == typeof(SqliteReleaseStore));
        Assert.Equal(other, provider.GetRequiredService<SqliteReleaseStore>().DataSource);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseSqlite_WithFlagManagement_ReplacesTheFlagStoreAndKeepsChanges(bool managementFirst)
    {
        var services = new ServiceCollection();
        Musubi.Monitoring.MusubiMonitoringBuilder builder = services.AddMusubiMonitoring();
        if (managementFirst)
        {
            builder.AddFeatureFlagManagement().UseSqlite(_database.ConnectionString);
        }
        else
        {
            builder.UseSqlite(_database.ConnectionString).AddFeatureFlagManagement();
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        FeatureFlagService service = provider.GetRequiredService<FeatureFlagService>();
        await service.UpsertAsync(FlagDefinition.On("kept"), "ana", TestContext.Current.CancellationToken);

        Assert.Single(services, d => d.ServiceType == typeof(IFeatureFlagStore));
        Assert.Same(provider.GetRequiredService<SqliteFeatureFlagStore>(), provider.GetRequiredService<IFeatureFlagStore>());
        Assert.Equal(1, (await new SqliteFeatureFlagStore(_database.ConnectionString).LoadAsync(TestContext.Current.CancellationToken))?.Revision);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseSqlite_WithAddCostsBeforeOrAfter_ResolvesSqliteCostLedger(bool addCostsFirst)
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();
        if (addCostsFirst)
        {
            builder.AddCosts().UseSqlite(_database.ConnectionString);
        }
        else
        {
            builder.UseSqlite(_database.ConnectionString).AddCosts();
        }

        await using ServiceProvider provider = builder.Services.BuildServiceProvider();
        Musubi.Monitoring.Costs.CostRecord record = await provider.GetRequiredService<Musubi.Monitoring.Costs.CostTracker>().RecordAsync(
            new Musubi.Monitoring.Costs.LlmUsage("openai", "gpt-4o", DateTimeOffset.UnixEpoch, 10, 10), TestContext.Current.CancellationToken);

        Assert.IsType<SqliteCostLedger>(provider.GetRequiredService<Musubi.Monitoring.Costs.ICostLedger>());
        Assert.Same(provider.GetRequiredService<SqliteBudgetStore>(), provider.GetRequiredService<Musubi.Monitoring.Costs.IBudgetStore>());
        Assert.Single(builder.Services, d => d.ServiceType == typeof(Musubi.Monitoring.Costs.IBudgetStore));
        Assert.Equal(1L, _database.Scalar("SELECT COUNT(*) FROM cost_records;"));
        Assert.NotNull(record.Total);
    }
}
