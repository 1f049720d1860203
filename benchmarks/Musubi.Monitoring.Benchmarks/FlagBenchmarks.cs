using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>The two flags measured by <see cref="FlagBenchmarks"/>.</summary>
public enum FlagScenario
{
    /// <summary>A 25 % rollout keyed by the user id, nothing else.</summary>
    FlexibleRolloutByUserId,

    /// <summary>A 50 % rollout behind three conditions on environment, plan and app version.</summary>
    ThreeConstraints,
}

/// <summary>
/// Feature flag evaluation for 1,024 pre-built users, cycled: Musubi's <c>FeatureFlags.IsEnabled</c> (Unleash
/// semantics) against Microsoft.FeatureManagement 4.7's <c>IFeatureManager.IsEnabledAsync(feature, TargetingContext)</c>
/// with its contextual targeting filter. Mean is per evaluation (<see cref="Users"/> per invocation).
/// Target: Musubi ≥ 20 × faster (Ratio ≤ 0.05) and 0 B per evaluation.
/// </summary>
/// <remarks>
/// <para><b>FlexibleRolloutByUserId:</b> Musubi <c>FlagDefinition.Percentage("flex", 25)</c> (<c>flexibleRollout</c>,
/// default stickiness, so the user id); Microsoft <c>Microsoft.Targeting</c> with <c>DefaultRolloutPercentage = 25</c>
/// and an empty audience otherwise. The contexts carry the user id only.</para>
/// <para><b>ThreeConstraints:</b> Microsoft.FeatureManagement has no constraint on arbitrary properties, so this is
/// the closest configuration of its targeting filter that selects the same users. Musubi reads Unleash JSON: one
/// <c>flexibleRollout</c> at 50 % with <c>environment IN [production]</c>, <c>plan IN [enterprise, pro]</c> and
/// <c>appVersion SEMVER_GT 2.0.0</c>. Microsoft's audience has two explicit users (not in the population), the groups
/// <c>plan:enterprise</c> and <c>plan:pro</c> at 50 % each, default rollout 0, and the exclusion groups
/// <c>env:staging</c>, <c>env:development</c> and <c>appVersion:legacy</c>. Each user carries the same three facts
/// on both sides: Musubi's context has <c>Environment</c> and the properties <c>plan</c> and <c>appVersion</c>
/// (a version string, compared as SemVer on every evaluation); Microsoft's has three group names in which the
/// application has already classified the version (<c>current</c>/<c>legacy</c>), which is work done for it up front.
/// The values are fresh strings (not interned literals) on both sides; the flag name and property keys are literals,
/// as in application code.</para>
/// <para>The two libraries hash differently (MurmurHash3 of <c>groupId:userId</c> against SHA-256 of the user id and
/// feature), so they enable different users of the same share; the setup checks the shares and that every user either
/// enables is eligible.</para>
/// <para><c>IsEnabledAsync</c> returns a <see cref="Task{TResult}"/>; with configuration-bound, in-memory flags it
/// completes synchronously (the setup checks that for every user), so the benchmark reads it with
/// <c>GetAwaiter().GetResult()</c> as an <c>await</c> of a completed task would. <c>FeatureManagementValueTask</c>
/// is the same manager through <see cref="IVariantFeatureManager"/>, whose overload returns a
/// <see cref="ValueTask{TResult}"/>: the peer's cheapest public call.</para>
/// </remarks>
[MemoryDiagnoser]
public class FlagBenchmarks
{
    /// <summary>Users per invocation; every benchmark evaluates each of them once.</summary>
    public const int Users = 1024;

    private const string FlexFlag = "flex";
    private const string ConstrainedFlag = "constrained";
    private const int FlexPercent = 25;
    private const int ConstrainedPercent = 50;

    private const string UnleashJson = """
        {
          "version": 2,
          "features": [
            {
              "name": "constrained",
              "type": "release",
              "enabled": true,
              "strategies": [
                {
                  "name": "flexibleRollout",
                  "parameters": { "rollout": "50", "stickiness": "default", "groupId": "constrained" },
                  "constraints": [
                    { "contextName": "environment", "operator": "IN", "values": ["production"], "inverted": false, "caseInsensitive": false },
                    { "contextName": "plan", "operator": "IN", "values": ["enterprise", "pro"], "inverted": false, "caseInsensitive": false },
                    { "contextName": "appVersion", "operator": "SEMVER_GT", "value": "2.0.0", "inverted": false, "caseInsensitive": false }
                  ]
                }
              ]
            }
          ]
        }
        """;

    private static readonly string[] s_environments = ["production", "production", "production", "staging", "development"];
    private static readonly string[] s_plans = ["enterprise", "pro", "free"];
    private static readonly string[] s_versions = ["2.3.1", "2.10.0", "3.0.0-beta.2", "1.9.4", "2.0.0"];

    private readonly FeatureFlagContext[] _musubiContexts = new FeatureFlagContext[Users];
    private readonly TargetingContext[] _targetingContexts = new TargetingContext[Users];
    private readonly bool[] _eligible = new bool[Users];

    private FeatureFlags _musubi = null!;
    private ServiceProvider _services = null!;
    private IFeatureManager _featureManager = null!;
    private IVariantFeatureManager _variantFeatureManager = null!;
    private string _flag = null!;

    [Params(FlagScenario.FlexibleRolloutByUserId, FlagScenario.ThreeConstraints)]
    public FlagScenario Scenario { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        bool constrained = Scenario == FlagScenario.ThreeConstraints;
        _flag = constrained ? ConstrainedFlag : FlexFlag;
        BuildUsers(constrained);

        _musubi = new FeatureFlags(constrained
            ? FlagSnapshot.FromUnleashJson(UnleashJson)
            : FlagSnapshot.FromDefinitions(FlagDefinition.Percentage(FlexFlag, FlexPercent, FlexFlag)));

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(MicrosoftFlags()).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddFeatureManagement();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _featureManager = _services.GetRequiredService<IFeatureManager>();
        _variantFeatureManager = _services.GetRequiredService<IVariantFeatureManager>();

        // Warm both sides (JIT tiers, the peer's definition and parameter caches), then check the answers.
        for (int round = 0; round < 50; round++)
        {
            _ = Musubi();
            _ = FeatureManagement();
            _ = FeatureManagementValueTask();
        }

        Check(constrained);
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Users)]
    public int FeatureManagement()
    {
        IFeatureManager manager = _featureManager;
        TargetingContext[] contexts = _targetingContexts;
        string flag = _flag;
        int on = 0;
        for (int i = 0; i < contexts.Length; i++)
        {
            if (manager.IsEnabledAsync(flag, contexts[i]).GetAwaiter().GetResult())
            {
                on++;
            }
        }

        return on;
    }

    [Benchmark(OperationsPerInvoke = Users)]
    public int FeatureManagementValueTask()
    {
        IVariantFeatureManager manager = _variantFeatureManager;
        TargetingContext[] contexts = _targetingContexts;
        string flag = _flag;
        int on = 0;
        for (int i = 0; i < contexts.Length; i++)
        {
            if (Read(manager.IsEnabledAsync(flag, contexts[i], CancellationToken.None)))
            {
                on++;
            }
        }

        return on;
    }

    [Benchmark(OperationsPerInvoke = Users)]
    public int Musubi()
    {
        FeatureFlags flags = _musubi;
        FeatureFlagContext[] contexts = _musubiContexts;
        string flag = _flag;
        int on = 0;
        for (int i = 0; i < contexts.Length; i++)
        {
            if (flags.IsEnabled(flag, contexts[i]))
            {
                on++;
            }
        }

        return on;
    }

    /// <summary>What <c>await</c> does with a completed <see cref="ValueTask{TResult}"/>; an incomplete one is waited for.</summary>
    private static bool Read(ValueTask<bool> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static Dictionary<string, string?> MicrosoftFlags() => new(StringComparer.Ordinal)
    {
        // The .NET schema: FeatureManagement:{feature}:EnabledFor:{n}:{Name, Parameters}.
        [$"FeatureManagement:{FlexFlag}:EnabledFor:0:Name"] = "Microsoft.Targeting",
        [$"FeatureManagement:{FlexFlag}:EnabledFor:0:Parameters:Audience:DefaultRolloutPercentage"] = $"{FlexPercent}",

        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Name"] = "Microsoft.Targeting",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Users:0"] = "qa-alice",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Users:1"] = "qa-bob",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Groups:0:Name"] = "plan:enterprise",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Groups:0:RolloutPercentage"] = $"{ConstrainedPercent}",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Groups:1:Name"] = "plan:pro",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Groups:1:RolloutPercentage"] = $"{ConstrainedPercent}",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:DefaultRolloutPercentage"] = "0",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Exclusion:Groups:0"] = "env:staging",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Exclusion:Groups:1"] = "env:development",
        [$"FeatureManagement:{ConstrainedFlag}:EnabledFor:0:Parameters:Audience:Exclusion:Groups:2"] = "appVersion:legacy",
    };

    private void BuildUsers(bool constrained)
    {
        var random = new Random(20261204);
        for (int i = 0; i < Users; i++)
        {
            string userId = $"user-{random.Next():x8}-{i:D4}";
            var musubi = new FeatureFlagContext { UserId = userId };
            var targeting = new TargetingContext { UserId = userId, Groups = [] };
            if (constrained)
            {
                // Fresh copies, as values read from configuration, a user store or a header would be: not the
                // interned literals, so no string comparison is a reference check by luck.
                string environment = Copy(s_environments[random.Next(s_environments.Length)]);
                string plan = Copy(s_plans[random.Next(s_plans.Length)]);
                string version = Copy(s_versions[random.Next(s_versions.Length)]);
                bool current = version is not ("1.9.4" or "2.0.0");
                musubi.Environment = environment;
                musubi.Properties["plan"] = plan;
                musubi.Properties["appVersion"] = version;
                targeting.Groups = [$"env:{environment}", $"plan:{plan}", current ? "appVersion:current" : "appVersion:legacy"];
                _eligible[i] = environment == "production" && plan is ("enterprise" or "pro") && current;
            }
            else
            {
                _eligible[i] = true;
            }

            _musubiContexts[i] = musubi;
            _targetingContexts[i] = targeting;
        }
    }

    private static string Copy(string value) => new(value.AsSpan());

    private void Check(bool constrained)
    {
        int eligible = 0;
        int musubiOn = 0;
        int microsoftOn = 0;
        for (int i = 0; i < Users; i++)
        {
            bool musubi = _musubi.IsEnabled(_flag, _musubiContexts[i]);
            Task<bool> task = _featureManager.IsEnabledAsync(_flag, _targetingContexts[i]);
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException($"IsEnabledAsync did not complete synchronously for user {i}.");
            }

            bool microsoft = task.Result;
            if (microsoft != Read(_variantFeatureManager.IsEnabledAsync(_flag, _targetingContexts[i], CancellationToken.None)))
            {
                throw new InvalidOperationException($"The two Microsoft.FeatureManagement calls disagree for user {i}.");
            }

            if (!_eligible[i] && (musubi || microsoft))
            {
                throw new InvalidOperationException($"User {i} is not eligible but Musubi says {musubi} and Microsoft says {microsoft}.");
            }

            eligible += _eligible[i] ? 1 : 0;
            musubiOn += musubi ? 1 : 0;
            microsoftOn += microsoft ? 1 : 0;
        }

        double percent = constrained ? ConstrainedPercent : FlexPercent;
        CheckShare("Musubi", musubiOn, eligible, percent);
        CheckShare("Microsoft.FeatureManagement", microsoftOn, eligible, percent);
        if (constrained && eligible < Users / 8)
        {
            throw new InvalidOperationException($"Only {eligible} of {Users} users are eligible; the population is wrong.");
        }

        Console.WriteLine($"// {Scenario}: {eligible} eligible users; Musubi enables {musubiOn}, Microsoft.FeatureManagement {microsoftOn} (rollout {percent} %).");
    }

    private static void CheckShare(string library, int on, int eligible, double percent)
    {
        double share = 100.0 * on / eligible;
        if (Math.Abs(share - percent) > 6)
        {
            throw new InvalidOperationException($"{library} enables {on} of {eligible} eligible users ({share:F1} %), expected about {percent} %.");
        }
    }
}
