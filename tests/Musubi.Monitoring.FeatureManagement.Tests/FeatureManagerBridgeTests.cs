using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement.Tests;

/// <summary>Microsoft.FeatureManagement's real FeatureManager, reading Musubi flags, against FeatureFlags itself.</summary>
public sealed class FeatureManagerBridgeTests
{
    public static TheoryData<string> FlagNames => ["on", "off", "percentage", "users"];

    private static IEnumerable<string> Users() => Enumerable.Range(0, 1000).Select(i => "user-" + i);

    [Theory]
    [MemberData(nameof(FlagNames))]
    public async Task IsEnabledAsync_TargetingContext_EqualsFeatureFlagsFor1000Users(string flag)
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();

        int on = 0;
        foreach (string user in Users())
        {
            bool expected = flags.IsEnabled(flag, new FeatureFlagContext { UserId = user });
            Assert.Equal(expected, await manager.IsEnabledAsync(flag, new TargetingContext { UserId = user }));
            on += expected ? 1 : 0;
        }

        int expectedOn = flag switch { "on" => 1000, "off" => 0, "users" => 3, _ => -1 };
        if (expectedOn >= 0)
        {
            Assert.Equal(expectedOn, on);
        }
        else
        {
            Assert.InRange(on, 240, 360); // 30% of 1000, so the parity above is not all-false by accident.
        }
    }

    [Theory]
    [MemberData(nameof(FlagNames))]
    public async Task IsEnabledAsync_TargetingContextAccessor_EqualsFeatureFlagsFor1000Users(string flag)
    {
        var accessor = new SettableTargetingContextAccessor();
        using ServiceProvider provider = TestServices.Build(services: s => s.AddSingleton<ITargetingContextAccessor>(accessor));
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();

        foreach (string user in Users())
        {
            accessor.Current = new TargetingContext { UserId = user };
            Assert.Equal(flags.IsEnabled(flag, new FeatureFlagContext { UserId = user }), await manager.IsEnabledAsync(flag));
        }
    }

    [Fact]
    public async Task IsEnabledAsync_WithTargetingAccessorFromWithTargeting_UsesIt()
    {
        using ServiceProvider provider = TestServices.Build(configure: b => b.WithTargeting<FixedUserAccessor>());
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("users"));
    }

    [Fact]
    public async Task IsEnabledAsync_PassedContextOff_DoesNotFallBackToTheAccessor()
    {
        var accessor = new SettableTargetingContextAccessor { Current = new TargetingContext { UserId = "user-1" } };
        using ServiceProvider provider = TestServices.Build(services: s => s.AddSingleton<ITargetingContextAccessor>(accessor));
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("users"));
        Assert.False(await manager.IsEnabledAsync("users", new TargetingContext { UserId = "user-2" }));
        Assert.False(await manager.IsEnabledAsync("users", new FeatureFlagContext { UserId = "user-2" }));
    }

    [Fact]
    public async Task IsEnabledAsync_ContextOfAnotherType_UsesTheAccessor()
    {
        var accessor = new SettableTargetingContextAccessor { Current = new TargetingContext { UserId = "user-1" } };
        using ServiceProvider provider = TestServices.Build(services: s => s.AddSingleton<ITargetingContextAccessor>(accessor));
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("users", "not a targeting context"));
        accessor.Current = new TargetingContext { UserId = "user-2" };
        Assert.False(await manager.IsEnabledAsync("users", "not a targeting context"));
    }

    [Fact]
    public async Task IsEnabledAsync_NoAccessor_EvaluatesWithAnEmptyContext()
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("on"));
        Assert.False(await manager.IsEnabledAsync("users"));
    }

    [Fact]
    public async Task IsEnabledAsync_AccessorReturnsNull_EvaluatesWithAnEmptyContext()
    {
        var accessor = new SettableTargetingContextAccessor();
        using ServiceProvider provider = TestServices.Build(services: s => s.AddSingleton<ITargetingContextAccessor>(accessor));
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("on"));
        Assert.False(await manager.IsEnabledAsync("users"));
    }

    [Fact]
    public async Task IsEnabledAsync_FeatureFlagContext_UsesEveryField()
    {
        FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson("""
            { "features": [ { "name": "prod-enterprise", "enabled": true, "strategies": [ { "name": "default", "constraints": [
              { "contextName": "environment", "operator": "IN", "values": [ "production" ] },
              { "contextName": "plan", "operator": "IN", "values": [ "enterprise" ] } ] } ] } ] }
            """);
        using ServiceProvider provider = TestServices.Build(snapshot);
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();
        var context = new FeatureFlagContext { Environment = "production" };
        context.Properties["plan"] = "enterprise";

        Assert.True(await manager.IsEnabledAsync("prod-enterprise", context));
        context.Environment = "staging";
        Assert.False(await manager.IsEnabledAsync("prod-enterprise", context));
    }

    [Theory]
    [InlineData("STR_CONTAINS", "\"values\": [ \"beta\" ]")]
    [InlineData("REGEX", "\"value\": \"(^|,)beta(,|$)\"")]
    public async Task IsEnabledAsync_TargetingGroups_AreTheCommaJoinedGroupsProperty(string op, string values)
    {
        FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson($$"""
            { "features": [ { "name": "beta", "enabled": true, "strategies": [ { "name": "default", "constraints": [
              { "contextName": "groups", "operator": "{{op}}", {{values}} } ] } ] } ] }
            """);
        using ServiceProvider provider = TestServices.Build(snapshot);
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await manager.IsEnabledAsync("beta", new TargetingContext { UserId = "u", Groups = ["staff", "beta"] }));
        Assert.False(await manager.IsEnabledAsync("beta", new TargetingContext { UserId = "u", Groups = ["staff"] }));
        Assert.False(await manager.IsEnabledAsync("beta", new TargetingContext { UserId = "u" }));
    }

    [Fact]
    public void ToFlagContext_Groups_JoinedWithCommasSkippingEmptyOnes()
    {
        FeatureFlagContext? context = MusubiFeatureFilter.ToFlagContext(new TargetingContext { UserId = "u", Groups = ["a", "", null!, "b"] });

        Assert.NotNull(context);
        Assert.Equal("u", context.UserId);
        Assert.Equal("a,b", context.Properties["groups"]);
        Assert.False(MusubiFeatureFilter.ToFlagContext(new TargetingContext { Groups = [] })!.Properties.ContainsKey("groups"));
        Assert.Null(MusubiFeatureFilter.ToFlagContext(null));
    }

    [Fact]
    public async Task IsEnabledAsync_UnknownFlag_IsFalse()
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.False(await manager.IsEnabledAsync("unknown"));
        Assert.False(await manager.IsEnabledAsync("unknown", new TargetingContext { UserId = "user-1" }));
        Assert.False(await manager.IsEnabledAsync("ON")); // Names are case-sensitive, as in Unleash.
    }

    [Fact]
    public async Task IsEnabledAsync_UnknownFlagWithIgnoreMissingFeaturesOff_ThrowsMissingFeature()
    {
        using ServiceProvider provider = TestServices.Build(services: s => s.Configure<FeatureManagementOptions>(o => o.IgnoreMissingFeatures = false));
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        FeatureManagementException e = await Assert.ThrowsAsync<FeatureManagementException>(() => manager.IsEnabledAsync("unknown"));
        Assert.Equal(FeatureManagementError.MissingFeature, e.Error);
        Assert.True(await manager.IsEnabledAsync("on"));
    }

    [Fact]
    public async Task IsEnabledAsync_AfterUpdate_SeesTheNewFlagsImmediately()
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();
        Assert.True(await manager.IsEnabledAsync("on"));
        Assert.False(await manager.IsEnabledAsync("added"));

        flags.Update(FlagSnapshot.FromDefinitions(FlagDefinition.Off("on"), FlagDefinition.On("added")));

        Assert.False(await manager.IsEnabledAsync("on"));
        Assert.True(await manager.IsEnabledAsync("added"));
        Assert.False(await manager.IsEnabledAsync("users", new TargetingContext { UserId = "user-1" }));
    }

    [Fact]
    public async Task IsEnabledAsync_NewScopeAfterUpdate_FeatureManagerSnapshotSeesTheNewFlags()
    {
        using ServiceProvider provider = TestServices.Build();
        FeatureFlags flags = provider.GetRequiredService<FeatureFlags>();
        using (IServiceScope scope = provider.CreateScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<IFeatureManagerSnapshot>().IsEnabledAsync("on"));
        }

        flags.Update(FlagSnapshot.FromDefinitions(FlagDefinition.Off("on")));

        using (IServiceScope scope = provider.CreateScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<IFeatureManagerSnapshot>().IsEnabledAsync("on"));
        }
    }

    [Fact]
    public async Task GetFeatureNamesAsync_ListsEveryFlag_AndFollowsUpdates()
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureManager manager = provider.GetRequiredService<IFeatureManager>();

        Assert.Equal(["off", "on", "percentage", "users"], (await ToListAsync(manager.GetFeatureNamesAsync())).Order(StringComparer.Ordinal));

        provider.GetRequiredService<FeatureFlags>().Update(FlagSnapshot.FromDefinitions(FlagDefinition.On("only")));
        Assert.Equal(["only"], await ToListAsync(manager.GetFeatureNamesAsync()));
    }

    [Fact]
    public async Task GetFeatureDefinitionAsync_IsOneMusubiFilterConditionalWithoutTelemetryOrVariants()
    {
        using ServiceProvider provider = TestServices.Build();
        IFeatureDefinitionProvider definitions = provider.GetRequiredService<IFeatureDefinitionProvider>();

        FeatureDefinition definition = await definitions.GetFeatureDefinitionAsync("percentage");
        Assert.Equal("percentage", definition.Name);
        Assert.Equal("Musubi", Assert.Single(definition.EnabledFor).Name);
        Assert.Equal(RequirementType.Any, definition.RequirementType);
        Assert.Equal(FeatureStatus.Conditional, definition.Status);
        Assert.Null(definition.Telemetry);
        Assert.Null(definition.Allocation);
        Assert.Empty(definition.Variants);
        Assert.Null(await definitions.GetFeatureDefinitionAsync("unknown"));
        Assert.Null(await definitions.GetFeatureDefinitionAsync(null!));
    }

    [Fact]
    public async Task GetVariantAsync_MusubiFlag_IsNullBecauseVariantsAreNotMapped()
    {
        FlagSnapshot snapshot = FlagSnapshot.FromDefinitions(FlagDefinition.On("with-variants").WithVariants(new FlagVariantDefinition("blue")));
        using ServiceProvider provider = TestServices.Build(snapshot);
        IVariantFeatureManager manager = provider.GetRequiredService<IVariantFeatureManager>();

        Assert.Null(await manager.GetVariantAsync("with-variants", new TargetingContext { UserId = "u" }, CancellationToken.None));
        Assert.True(await manager.IsEnabledAsync("with-variants", CancellationToken.None));
        Assert.Equal("blue", provider.GetRequiredService<FeatureFlags>().GetVariant("with-variants").Name);
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> names)
    {
        var list = new List<string>();
        await foreach (string name in names)
        {
            list.Add(name);
        }

        return list;
    }

    private sealed class FixedUserAccessor : ITargetingContextAccessor
    {
        public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(new TargetingContext { UserId = "user-42" });
    }
}
