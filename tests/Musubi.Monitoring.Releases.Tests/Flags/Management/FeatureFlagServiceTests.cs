using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Releases.Tests.Flags.Management;

public sealed class FeatureFlagServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryFeatureFlagStore _store = new();
    private readonly FeatureFlags _flags = new();

    private const string UnleashDocument = """
        {
          "version": 2,
          "features": [
            { "name": "only-default", "enabled": true, "strategies": [ { "name": "default", "parameters": {} } ] },
            { "name": "rollout", "enabled": true, "strategies": [
                { "name": "userWithId", "parameters": { "userIds": "vip" } },
                { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "default", "groupId": "g" } } ] },
            { "name": "segmented", "enabled": true, "strategies": [ { "name": "default", "segments": [ 1 ] } ] }
          ],
          "segments": [ { "id": 1, "constraints": [ { "contextName": "userId", "operator": "IN", "values": [ "u1" ] } ] } ]
        }
        """;

    private FeatureFlagService Service(string? seed = null) => new(_flags, _store, _time, seed);

    private int OnOutOf1000(string flag) => Enumerable.Range(0, 1000).Count(i => _flags.IsEnabled(flag, new FeatureFlagContext { UserId = "user-" + i }));

    [Fact]
    public async Task SetEnabledAsync_UpsertedFlag_TurnsItOffForEveryoneAndSavesRevision()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.On("checkout"), "ana");
        Assert.True(_flags.IsEnabled("checkout"));

        _time.Advance(TimeSpan.FromMinutes(1));
        await service.SetEnabledAsync("checkout", false, "bo");

        Assert.Equal(0, OnOutOf1000("checkout"));
        Assert.Equal(2, service.Revision);
        StoredFeatureFlags stored = (await _store.LoadAsync())!;
        Assert.False(new FeatureFlags(FlagSnapshot.FromUnleashJson(stored.UnleashJson)).IsEnabled("checkout"));
        Assert.Equal(
            [new FeatureFlagChange(2, T0.AddMinutes(1), "bo", "disabled 'checkout'"), new FeatureFlagChange(1, T0, "ana", "upserted 'checkout'")],
            await service.GetChangesAsync());
    }

    [Fact]
    public async Task SetRolloutAsync_PercentageFlag_ChangesItsFlexibleRollout()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.Percentage("checkout", 10), "ana");
        int before = OnOutOf1000("checkout");

        await service.SetRolloutAsync("checkout", 60, "ana");

        Assert.InRange(before, 60, 140);
        int after = OnOutOf1000("checkout");
        Assert.InRange(after, 540, 660);
        // The same group id keeps everyone who was on still on.
        Assert.All(Enumerable.Range(0, 1000).Where(i => new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Percentage("checkout", 10))).IsEnabled("checkout", new FeatureFlagContext { UserId = "user-" + i })),
            i => Assert.True(_flags.IsEnabled("checkout", new FeatureFlagContext { UserId = "user-" + i })));
    }

    [Fact]
    public async Task SetRolloutAsync_FlagWithOnlyDefault_ReplacesDefaultWithFlexibleRollout()
    {
        FeatureFlagService service = Service(UnleashDocument);
        await service.LoadAsync();
        Assert.Equal(1000, OnOutOf1000("only-default"));

        await service.SetRolloutAsync("only-default", 0, "ana");

        Assert.Equal(0, OnOutOf1000("only-default"));
        JsonArray strategies = Feature(await service.ExportUnleashJsonAsync(), "only-default")["strategies"]!.AsArray();
        JsonObject strategy = Assert.IsType<JsonObject>(Assert.Single(strategies));
        Assert.Equal("flexibleRollout", (string?)strategy["name"]);
        Assert.Equal("0", (string?)strategy["parameters"]!["rollout"]);
        Assert.Equal("only-default", (string?)strategy["parameters"]!["groupId"]);
    }

    [Fact]
    public async Task SetRolloutAsync_UnleashFlagWithOtherStrategies_ChangesTheFirstFlexibleRolloutOnly()
    {
        FeatureFlagService service = Service(UnleashDocument);

        await service.SetRolloutAsync("rollout", 0, "ana");

        Assert.True(_flags.IsEnabled("rollout", new FeatureFlagContext { UserId = "vip" }));
        Assert.Equal(0, OnOutOf1000("rollout"));
        JsonArray strategies = Feature(await service.ExportUnleashJsonAsync(), "rollout")["strategies"]!.AsArray();
        Assert.Equal(2, strategies.Count);
        Assert.Equal("g", (string?)strategies[1]!["parameters"]!["groupId"]);
    }

    [Fact]
    public async Task SetRolloutAsync_DefaultWithSegment_KeepsItAndAddsRollout()
    {
        FeatureFlagService service = Service(UnleashDocument);

        await service.SetRolloutAsync("segmented", 0, "ana");

        Assert.True(_flags.IsEnabled("segmented", new FeatureFlagContext { UserId = "u1" }));
        Assert.False(_flags.IsEnabled("segmented", new FeatureFlagContext { UserId = "u2" }));
        Assert.Equal(2, Feature(await service.ExportUnleashJsonAsync(), "segmented")["strategies"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task SetRolloutAsync_PercentOutOfRange_Throws(int percent) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Service().SetRolloutAsync("x", percent, "ana"));

    [Fact]
    public async Task SetEnabledAsync_UnknownFlag_ThrowsAndSavesNothing()
    {
        FeatureFlagService service = Service();

        KeyNotFoundException e = await Assert.ThrowsAsync<KeyNotFoundException>(() => service.SetEnabledAsync("nope", true, "ana"));

        Assert.Contains("'nope'", e.Message);
        Assert.Null(await _store.LoadAsync());
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"NaN\"")]
    public async Task ImportUnleashJsonAsync_RolloutThatIsNotANumber_ThrowsNamingTheFlagAndChangesNothing(string rollout)
    {
        FeatureFlagService service = Service(UnleashDocument);
        await service.LoadAsync();
        long revision = service.Revision;
        string json = $$$"""{"features":[{"name":"bad","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":{{{rollout}}}}}]}]}""";

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => service.ImportUnleashJsonAsync(json, "ana"));

        Assert.Contains("'bad'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(revision, service.Revision);
        Assert.False(_flags.Snapshot.Contains("bad"));
    }

    [Fact]
    public async Task ImportUnleashJsonAsync_InvalidJson_ThrowsAndKeepsFlags()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.On("a"), "ana");

        await Assert.ThrowsAsync<InvalidDataException>(() => service.ImportUnleashJsonAsync("""{ "features": [ { "name": "x" } ] }""", "ana"));

        Assert.True(_flags.IsEnabled("a"));
        Assert.Equal(1, (await _store.LoadAsync())!.Revision);
    }

    [Fact]
    public async Task ImportUnleashJsonAsync_Document_ReplacesEveryFlagAndEvaluatesAsLoadedDirectly()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.On("old"), "ana");

        await service.ImportUnleashJsonAsync(UnleashDocument, "ana");

        Assert.False(_flags.Snapshot.Contains("old"));
        var direct = new FeatureFlags(FlagSnapshot.FromUnleashJson(UnleashDocument));
        foreach (string flag in new[] { "only-default", "rollout", "segmented" })
        {
            foreach (string user in new[] { "u1", "u2", "vip" })
            {
                var context = new FeatureFlagContext { UserId = user };
                Assert.Equal(direct.IsEnabled(flag, context), _flags.IsEnabled(flag, context));
            }
        }

        Assert.Equal("imported 3 flags", (await service.GetChangesAsync(1))[0].Description);
    }

    [Fact]
    public async Task UpsertAsync_DefinitionWithVariants_EvaluatesLikeTheCompiledDefinition()
    {
        FlagDefinition definition = FlagDefinition.Percentage("exp", 50).WithVariants(
            new FlagVariantDefinition("blue") { FixedWeight = 200, PayloadType = "string", PayloadValue = "b", Stickiness = "userId" },
            new FlagVariantDefinition("green") { Overrides = new Dictionary<string, IReadOnlyList<string>> { ["userId"] = ["pinned"] } },
            new FlagVariantDefinition("red"));
        var compiled = new FeatureFlags(FlagSnapshot.FromDefinitions(definition, FlagDefinition.Users("vips", "a", "b"), FlagDefinition.Off("off")));
        FeatureFlagService service = Service();

        await service.UpsertAsync(definition, "ana");
        await service.UpsertAsync(FlagDefinition.Users("vips", "a", "b"), "ana");
        await service.UpsertAsync(FlagDefinition.Off("off"), "ana");
        var reloaded = new FeatureFlags(FlagSnapshot.FromUnleashJson((await _store.LoadAsync())!.UnleashJson));

        foreach (string user in Enumerable.Range(0, 300).Select(i => "user-" + i).Append("pinned").Append("a"))
        {
            var context = new FeatureFlagContext { UserId = user };
            foreach (string flag in new[] { "exp", "vips", "off" })
            {
                Assert.Equal(compiled.Evaluate(flag, context).Value, _flags.Evaluate(flag, context).Value);
                Assert.Equal(compiled.GetVariant(flag, context).Name, reloaded.GetVariant(flag, context).Name);
                Assert.Equal(compiled.GetVariant(flag, context).PayloadValue, reloaded.GetVariant(flag, context).PayloadValue);
            }
        }
    }

    [Fact]
    public async Task UpsertAsync_ExistingName_ReplacesInPlace()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.On("a"), "ana");
        await service.UpsertAsync(FlagDefinition.On("b"), "ana");

        await service.UpsertAsync(FlagDefinition.Off("a"), "ana");

        JsonArray features = JsonNode.Parse(await service.ExportUnleashJsonAsync())!["features"]!.AsArray();
        Assert.Equal(["a", "b"], features.Select(f => (string?)f!["name"]));
        Assert.False(_flags.IsEnabled("a"));
    }

    [Fact]
    public async Task RemoveAsync_Flag_RemovesIt()
    {
        FeatureFlagService service = Service();
        await service.UpsertAsync(FlagDefinition.On("a"), "ana");

        await service.RemoveAsync("a", "ana");

        Assert.False(_flags.Snapshot.Contains("a"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => service.RemoveAsync("a", "ana"));
    }

    [Fact]
    public async Task LoadAsync_StoreHasFlags_ReplacesTheSnapshotInUse()
    {
        await Service().UpsertAsync(FlagDefinition.On("stored"), "ana");
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("code")));

        Assert.True(await new FeatureFlagService(flags, _store, _time).LoadAsync());

        Assert.True(flags.IsEnabled("stored"));
        Assert.False(flags.Snapshot.Contains("code"));
    }

    [Fact]
    public async Task LoadAsync_EmptyStoreWithoutSeed_LeavesTheSnapshotInUse()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.On("code")));

        Assert.False(await new FeatureFlagService(flags, _store, _time).LoadAsync());

        Assert.True(flags.IsEnabled("code"));
    }

    [Fact]
    public async Task ChangeAsync_AnotherProcessSavedFirst_ReloadsAndAppliesTheChangeAgain()
    {
        var otherFlags = new FeatureFlags();
        FeatureFlagService mine = Service();
        var other = new FeatureFlagService(otherFlags, _store, _time);
        await mine.UpsertAsync(FlagDefinition.On("a"), "ana");
        await other.UpsertAsync(FlagDefinition.On("b"), "bo");

        await mine.SetEnabledAsync("a", false, "ana");

        Assert.Equal(3, mine.Revision);
        Assert.False(_flags.IsEnabled("a"));
        Assert.True(_flags.IsEnabled("b"));
        StoredFeatureFlags stored = (await _store.LoadAsync())!;
        Assert.Equal(3, stored.Revision);
        Assert.True(FlagSnapshot.FromUnleashJson(stored.UnleashJson).Contains("b"));
    }

    [Fact]
    public void Constructor_InvalidSeed_Throws() =>
        Assert.Throws<InvalidDataException>(() => Service("not json"));

    [Fact]
    public async Task AddFeatureFlagManagement_HostStarts_LoadsStoredFlags()
    {
        await Service().UpsertAsync(FlagDefinition.On("stored"), "ana");
        HostApplicationBuilder host = Host.CreateApplicationBuilder();
        host.Services.AddSingleton<IFeatureFlagStore>(_store);
        host.Services.AddMusubiMonitoring().AddFeatureFlagManagement().AddFeatureFlagManagement();
        using IHost app = host.Build();

        await app.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(app.Services.GetRequiredService<FeatureFlags>().IsEnabled("stored"));
        Assert.Same(app.Services.GetRequiredService<FeatureFlags>(), app.Services.GetRequiredService<FeatureFlagService>().Flags);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void AddFeatureFlagManagement_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddFeatureFlagManagement().AddFeatureFlagManagement();

        Assert.Single(services, d => d.ServiceType == typeof(FeatureFlagService));
        Assert.Single(services, d => d.ServiceType == typeof(IFeatureFlagStore));
        Assert.Single(services, d => d.ImplementationType?.Name == "FeatureFlagLoader");
    }

    [Fact]
    public void AddFeatureFlagManagement_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => FeatureFlagManagementBuilderExtensions.AddFeatureFlagManagement(null!));

    private static JsonObject Feature(string json, string name) =>
        JsonNode.Parse(json)!["features"]!.AsArray().OfType<JsonObject>().Single(f => (string?)f["name"] == name);
}
