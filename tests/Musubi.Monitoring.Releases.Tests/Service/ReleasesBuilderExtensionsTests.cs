using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Musubi.Monitoring.Releases.Tests.ReleaseSamples;

namespace Musubi.Monitoring.Releases.Tests.Service;

public sealed class ReleasesBuilderExtensionsTests
{
    [Fact]
    public void AddReleases_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("builder", () => ReleasesBuilderExtensions.AddReleases(null!));

    [Fact]
    public async Task AddReleases_Default_ResolvesServiceOnInMemoryStoreAndInjectedClock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        services.AddMusubiMonitoring().AddReleases(o => o.IdPrefix = "SHIP");
        await using ServiceProvider provider = services.BuildServiceProvider();

        ReleaseService service = provider.GetRequiredService<ReleaseService>();
        Release r = await service.PlanAsync("t", V("1.0.0"), ReleaseType.Major, "ana");

        Assert.IsType<InMemoryReleaseStore>(provider.GetRequiredService<IReleaseStore>());
        Assert.Same(provider.GetRequiredService<IReleaseStore>(), service.Store);
        Assert.StartsWith("SHIP-20260302-", r.Id, StringComparison.Ordinal);
        Assert.Equal(T0, r.CreatedAt);
    }

    [Fact]
    public void AddReleases_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();

        services.AddMusubiMonitoring().AddReleases(o => o.IdPrefix = "A").AddReleases(o => o.ConflictRetries = 9);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ReleaseService));
        Assert.Single(services, d => d.ServiceType == typeof(IReleaseStore));
        ReleaseOptions options = provider.GetRequiredService<IOptions<ReleaseOptions>>().Value;
        Assert.Equal(("A", 9), (options.IdPrefix, options.ConflictRetries));
    }

    [Fact]
    public void AddReleases_StoreRegisteredBefore_KeepsIt()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryReleaseStore();
        services.AddSingleton<IReleaseStore>(mine);

        services.AddMusubiMonitoring().AddReleases();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ReleaseService>().Store);
    }

    [Fact]
    public async Task AddReleases_InvalidOptions_FailsAtStartNamingTheOption()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring().AddReleases(o => o.ConflictRetries = 500);
        using IHost host = builder.Build();

        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ReleaseOptions.ConflictRetries is 500", e.Message);
    }
}
