using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class FeatureFlagsTests
{
    private static FeatureFlags Load(string featuresJson, TimeProvider? time = null) =>
        new(FlagSnapshot.FromUnleashJson($$"""{ "version": 2, "features": [ {{featuresJson}} ] }"""), time);

    [Fact]
    public void IsEnabled_NamesAlternatingBetweenFlagsCopiesAndMissing_AnswersEachFlag()
    {
        // The snapshot remembers the flag found last; literals, fresh copies and missing names must not confuse it.
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.Percentage("on", 100), FlagDefinition.Percentage("off", 0)));
        string onCopy = new("on".AsSpan());
        string offCopy = new("off".AsSpan());
        for (int i = 0; i < 3; i++)
        {
            Assert.True(flags.IsEnabled("on"));
            Assert.True(flags.IsEnabled("on"));
            Assert.False(flags.IsEnabled("off", defaultValue: true));
            Assert.True(flags.IsEnabled(onCopy));
            Assert.False(flags.IsEnabled("missing"));
            Assert.True(flags.IsEnabled("missing", defaultValue: true));
            Assert.False(flags.IsEnabled(offCopy, defaultValue: true));
            Assert.True(flags.IsEnabled("on"));
            Assert.False(flags.IsEnabled("off", defaultValue: true));
            Assert.False(flags.IsEnabled("On"));
            Assert.False(flags.IsEnabled(null!));
        }
    }

    [Fact]
    public void Percentage_Hundred_IsOnForEveryIdIncludingEmptyAndNoContext()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Percentage("all", 100)));
        var context = new FeatureFlagContext();
        for (int i = 0; i < 2000; i++)
        {
            context.UserId = i.ToString(CultureInfo.InvariantCulture);
            Assert.True(flags.IsEnabled("all", context));
        }

        context.UserId = string.Empty;
        Assert.True(flags.IsEnabled("all", context));
        Assert.True(flags.IsEnabled("all", new FeatureFlagContext { UserId = string.Empty, SessionId = string.Empty }));
        Assert.True(flags.IsEnabled("all"));
        Assert.True(flags.IsEnabled("all", null));
    }

    [Fact]
    public void Percentage_EmptyUserId_FallsThroughToSessionIdLikeAMissingOne()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Percentage("half", 50, "g")));
        for (int i = 0; i < 200; i++)
        {
            string session = i.ToString(CultureInfo.InvariantCulture);
            bool bySession = flags.IsEnabled("half", new FeatureFlagContext { SessionId = session });
            Assert.Equal(bySession, flags.IsEnabled("half", new FeatureFlagContext { UserId = string.Empty, SessionId = session }));
        }
    }

    [Fact]
    public void GradualRolloutRandom_ZeroPercent_IsNeverOn()
    {
        FeatureFlags flags = Load("""{ "name": "r", "enabled": true, "strategies": [ { "name": "gradualRolloutRandom", "parameters": { "percentage": "0" } } ] }""");
        var context = new FeatureFlagContext { UserId = "1", SessionId = "2" };
        for (int i = 0; i < 5000; i++)
        {
            Assert.False(flags.IsEnabled("r", context));
        }
    }

    [Fact]
    public void Percentage_Zero_IsNeverOn()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Percentage("none", 0)));
        for (int i = 0; i < 2000; i++)
        {
            Assert.False(flags.IsEnabled("none", new FeatureFlagContext { UserId = i.ToString(CultureInfo.InvariantCulture) }));
        }

        Assert.False(flags.IsEnabled("none"));
    }

    [Fact]
    public void GradualRolloutRandom_Hundred_IsAlwaysOn()
    {
        FeatureFlags flags = Load("""{ "name": "r", "enabled": true, "strategies": [ { "name": "gradualRolloutRandom", "parameters": { "percentage": 100 } } ] }""");
        for (int i = 0; i < 2000; i++)
        {
            Assert.True(flags.IsEnabled("r"));
        }
    }

    [Theory]
    [InlineData("123", "gr1", 73)]
    [InlineData("999", "groupX", 25)]
    public void NormalizedHash_KnownVectors_GiveTheirBuckets(string id, string groupId, int bucket) =>
        Assert.Equal(bucket, MurmurHash3.Normalized(MurmurHash3.Prefix(groupId), id, 0, 100));

    [Fact]
    public void NormalizedHash_LongIdOverTheStackBuffer_HashesLikeTheJoinedString()
    {
        string id = new('é', 400);
        byte[] joined = System.Text.Encoding.UTF8.GetBytes("g:" + id);
        Assert.Equal((int)(MurmurHash3.Hash32(joined, 0) % 100) + 1, MurmurHash3.Normalized(MurmurHash3.Prefix("g"), id, 0, 100));
    }

    [Fact]
    public void Hash32_ReferenceVectors_MatchMurmur3X86()
    {
        Assert.Equal(0u, MurmurHash3.Hash32([], 0));
        Assert.Equal(0x514E28B7u, MurmurHash3.Hash32([], 1));
        Assert.Equal(0x248BFA47u, MurmurHash3.Hash32("hello"u8, 0));
        Assert.Equal(0x2E4FF723u, MurmurHash3.Hash32("The quick brown fox jumps over the lazy dog"u8, 0));
    }

    [Fact]
    public void Evaluate_UnknownFlag_ReturnsDefaultWithFlagNotFound()
    {
        var flags = new FeatureFlags();
        FlagEvaluation result = flags.Evaluate("missing", null, defaultValue: true);
        Assert.True(result.Value);
        Assert.Equal(FlagEvaluationReason.Error, result.Reason);
        Assert.Equal(FlagErrorCode.FlagNotFound, result.ErrorCode);
        Assert.Contains("missing", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Same(FlagVariant.Disabled, result.Variant);
        Assert.True(flags.IsEnabled("missing", defaultValue: true));
        Assert.False(flags.IsEnabled(null!));
    }

    [Fact]
    public void Evaluate_RolloutThatIsNotANumber_ReturnsDefaultWithParseError()
    {
        FeatureFlags flags = Load("""{ "name": "bad", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "lots" } } ] }""");
        FlagEvaluation result = flags.Evaluate("bad", new FeatureFlagContext { UserId = "1" }, defaultValue: true);
        Assert.True(result.Value);
        Assert.Equal(FlagErrorCode.ParseError, result.ErrorCode);
        Assert.Contains("'lots'", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Reasons_NameWhyTheValueIsWhatItIs()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(
            FlagDefinition.On("on"),
            FlagDefinition.Off("off"),
            FlagDefinition.Users("users", "alice", "bob"),
            FlagDefinition.Percentage("split", 100)));
        var alice = new FeatureFlagContext { UserId = "alice" };
        Assert.Equal(FlagEvaluationReason.Static, flags.Evaluate("on", alice).Reason);
        Assert.Equal(FlagEvaluationReason.Disabled, flags.Evaluate("off", alice).Reason);
        Assert.Equal(FlagEvaluationReason.TargetingMatch, flags.Evaluate("users", alice).Reason);
        Assert.Equal(FlagEvaluationReason.Split, flags.Evaluate("split", alice).Reason);
        FlagEvaluation carol = flags.Evaluate("users", new FeatureFlagContext { UserId = "carol" });
        Assert.False(carol.Value);
        Assert.Equal(FlagEvaluationReason.Default, carol.Reason);
        Assert.Equal(FlagErrorCode.None, carol.ErrorCode);
    }

    [Fact]
    public void Users_ListedIdsOnly_AreOn()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Users("beta", ["u1", "u2"])));
        Assert.True(flags.IsEnabled("beta", new FeatureFlagContext { UserId = "u2" }));
        Assert.False(flags.IsEnabled("beta", new FeatureFlagContext { UserId = "U2" }));
        Assert.False(flags.IsEnabled("beta", new FeatureFlagContext { SessionId = "u1" }));
        Assert.False(flags.IsEnabled("beta"));
    }

    [Fact]
    public void Percentage_FromCode_MatchesTheSameFlexibleRolloutLoadedFromJson()
    {
        var fromCode = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Percentage("p", 37, "grp")));
        FeatureFlags fromJson = Load("""{ "name": "p", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "37", "stickiness": "default", "groupId": "grp" } } ] }""");
        int on = 0;
        for (int i = 0; i < 1000; i++)
        {
            var context = new FeatureFlagContext { UserId = "user-" + i.ToString(CultureInfo.InvariantCulture) };
            bool value = fromCode.IsEnabled("p", context);
            Assert.Equal(fromJson.IsEnabled("p", context), value);
            on += value ? 1 : 0;
        }

        Assert.InRange(on, 300, 440);
    }

    [Fact]
    public void Update_NewSnapshot_IsUsedByTheNextEvaluation()
    {
        var flags = new FeatureFlags(FlagSnapshot.FromDefinitions(FlagDefinition.Off("f")));
        Assert.False(flags.IsEnabled("f"));
        FlagSnapshot next = FlagSnapshot.FromDefinitions(FlagDefinition.On("f"));
        flags.Update(next);
        Assert.Same(next, flags.Snapshot);
        Assert.True(flags.IsEnabled("f"));
        Assert.Throws<ArgumentNullException>(() => flags.Update(null!));
    }

    [Fact]
    public async Task Update_WhileOtherThreadsEvaluate_EveryEvaluationSeesOneWholeSnapshot()
    {
        // In snapshot A both flags are on, in B both are off: an evaluation pair inside one Evaluate cannot mix,
        // and a dependent flag (child requires parent) evaluates parent and child from the same snapshot.
        FlagSnapshot a = FlagSnapshot.FromUnleashJson("""{ "features": [ { "name": "parent", "enabled": true }, { "name": "child", "enabled": true, "dependencies": [ { "feature": "parent" } ] } ] }""");
        FlagSnapshot b = FlagSnapshot.FromUnleashJson("""{ "features": [ { "name": "parent", "enabled": false }, { "name": "child", "enabled": true, "dependencies": [ { "feature": "parent", "enabled": false } ] } ] }""");
        var flags = new FeatureFlags(a);
        using var stop = new CancellationTokenSource();
        int errors = 0;
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var context = new FeatureFlagContext { UserId = "u" };
            while (!stop.IsCancellationRequested)
            {
                // child is on in both snapshots; off only if it read parent from the other snapshot.
                if (!flags.IsEnabled("child", context))
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }))];
        for (int i = 0; i < 20000; i++)
        {
            flags.Update(i % 2 == 0 ? b : a);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, errors);
    }

    [Fact]
    public void CurrentTime_Unset_ComesFromTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2022, 1, 29, 12, 0, 0, TimeSpan.Zero));
        FeatureFlags flags = Load(
            """{ "name": "launch", "enabled": true, "strategies": [ { "name": "default", "constraints": [ { "contextName": "currentTime", "operator": "DATE_AFTER", "value": "2022-01-29T13:00:00.000Z" } ] } ] }""",
            time);
        var context = new FeatureFlagContext();
        Assert.False(flags.IsEnabled("launch", context));
        time.Advance(TimeSpan.FromHours(1));
        Assert.False(flags.IsEnabled("launch", context)); // exclusive
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(flags.IsEnabled("launch", context));
        context.CurrentTime = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(flags.IsEnabled("launch", context));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("192.168.0.1, 192.168.0.2, 192.168.0.3", "192.168.0.3", true)]
    [InlineData("192.168.0.1, 192.168.0.2", "217.100.10.11", false)]
    [InlineData("192.168.0.1, 192.invalid, 192.168.0.2, 192.168.0.3", "192.168.0.3", true)]
    [InlineData("10.0.0.0/8", "10.20.30.40", true)]
    [InlineData("10.1.2.3/16", "10.1.200.1", true)]
    [InlineData("10.1.2.3/16", "10.2.0.1", false)]
    [InlineData("192.168.1.0/25", "192.168.1.127", true)]
    [InlineData("192.168.1.0/25", "192.168.1.128", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::1", true)]
    [InlineData("10.0.0.0/8", "not-an-ip", false)]
    [InlineData("127.0.0.1", "", false)]
    public void RemoteAddress_IpsAndCidrRanges_MatchTheClientAddress(string ips, string address, bool expected)
    {
        FeatureFlags flags = Load($$"""{ "name": "ip", "enabled": true, "strategies": [ { "name": "remoteAddress", "parameters": { "IPs": "{{ips}}" } } ] }""");
        Assert.Equal(expected, flags.IsEnabled("ip", new FeatureFlagContext { RemoteAddress = address }));
    }

    [Fact]
    public void RemoteAddress_MissingFromContext_IsOff()
    {
        FeatureFlags flags = Load("""{ "name": "ip", "enabled": true, "strategies": [ { "name": "remoteAddress", "parameters": { "IPs": "127.0.0.1" } } ] }""");
        Assert.False(flags.IsEnabled("ip"));
    }

    [Fact]
    public void UnknownStrategy_NeverMatches_ButLaterStrategiesStillDo()
    {
        FeatureFlags flags = Load("""
            { "name": "x", "enabled": true, "strategies": [ { "name": "myCustomStrategy", "parameters": {} } ] },
            { "name": "y", "enabled": true, "strategies": [ { "name": "myCustomStrategy" }, { "name": "default" } ] }
            """);
        Assert.False(flags.IsEnabled("x"));
        Assert.True(flags.IsEnabled("y"));
    }

    [Fact]
    public void GradualRolloutUserId_SameGroupAndPercent_OnForTheSameUsersAsTheBucketSays()
    {
        FeatureFlags flags = Load("""{ "name": "g", "enabled": true, "strategies": [ { "name": "gradualRolloutUserId", "parameters": { "percentage": "50", "groupId": "AB12A" } } ] }""");
        for (int i = 0; i < 300; i++)
        {
            string id = i.ToString(CultureInfo.InvariantCulture);
            bool expected = MurmurHash3.Normalized(MurmurHash3.Prefix("AB12A"), id, 0, 100) <= 50;
            Assert.Equal(expected, flags.IsEnabled("g", new FeatureFlagContext { UserId = id }));
        }
    }

    [Fact]
    public void FlexibleRollout_CustomStickinessMissing_IsOff()
    {
        FeatureFlags flags = Load("""{ "name": "c", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "100", "stickiness": "tenant", "groupId": "c" } } ] }""");
        Assert.False(flags.IsEnabled("c", new FeatureFlagContext { UserId = "1" }));
        var context = new FeatureFlagContext();
        context.Properties["tenant"] = "acme";
        Assert.True(flags.IsEnabled("c", context));
    }
}

public sealed class StrategyEdgeTests
{
    [Fact]
    public void ApplicationHostname_ThisMachineListed_IsOnCaseInsensitively()
    {
        string host = System.Net.Dns.GetHostName();
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson($$"""
            { "features": [
              { "name": "here", "enabled": true, "strategies": [ { "name": "applicationHostname", "parameters": { "hostNames": "elsewhere, {{host.ToUpperInvariant()}}" } } ] },
              { "name": "there", "enabled": true, "strategies": [ { "name": "applicationHostname", "parameters": { "hostNames": "elsewhere" } } ] }
            ] }
            """));
        Assert.True(flags.IsEnabled("here"));
        Assert.False(flags.IsEnabled("there"));
    }

    [Fact]
    public void FlexibleRollout_FractionalRollout_ComparesLikeUnleash()
    {
        // bucket <= 50.5 holds exactly for buckets up to 50.
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson("""{ "features": [ { "name": "f", "enabled": true, "strategies": [ { "name": "flexibleRollout", "parameters": { "rollout": "50.5", "stickiness": "userId", "groupId": "g" } } ] } ] }"""));
        for (int i = 0; i < 300; i++)
        {
            string id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(MurmurHash3.Normalized(MurmurHash3.Prefix("g"), id, 0, 100) <= 50, flags.IsEnabled("f", new FeatureFlagContext { UserId = id }));
        }
    }
}
