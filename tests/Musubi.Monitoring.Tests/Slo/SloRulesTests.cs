using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class SloRulesTests
{
    private static readonly LabelMatcher s_job = new("job", MatchOperator.Equal, "checkout");

    internal static ServiceLevelObjective Availability(string id = "checkout-availability", int days = 30) => new(
        id,
        "checkout",
        Sli.FromBadEvents(SliKind.Availability, new MetricSelector("http_requests_total", s_job),
            new MetricSelector("http_requests_total", s_job, new LabelMatcher("code", MatchOperator.Regex, "5.."))),
        Objective.Percent(99.9m),
        TimeSpan.FromDays(days));

    /// <summary>One SLO of each SLI form, periods and objectives that exercise the maths.</summary>
    public static TheoryData<string> Kinds => [.. KindNames];

    private static readonly string[] KindNames = ["bad-events-30d", "bad-events-28d", "other-metric", "good-events", "latency", "latency-1s", "http-availability", "custom-tiers"];

    internal static ServiceLevelObjective Slo(string kind) => kind switch
    {
        "bad-events-30d" => Availability(),
        "bad-events-28d" => Availability("checkout-availability-28d", days: 28),
        "other-metric" => new("payments", "payments", Sli.FromBadEvents(SliKind.ErrorRate,
            new MetricSelector("payments_total"), new MetricSelector("payment_failures_total")), Objective.Ratio(0.995m), TimeSpan.FromDays(30)),
        "good-events" => new("answers", "search \"eu\"", Sli.FromGoodEvents(SliKind.Correctness,
            new MetricSelector("answers_total", s_job), new MetricSelector("answers_total", s_job, new LabelMatcher("outcome", MatchOperator.Equal, "correct"))),
            Objective.Percent(99m), TimeSpan.FromDays(7)),
        "latency" => new("checkout-latency", "checkout", Sli.HttpLatency(0.25, new LabelMatcher("http_route", MatchOperator.Equal, "/api/orders/{id:int}")),
            Objective.Percent(95m), TimeSpan.FromDays(28)),
        "latency-1s" => new("checkout-latency-1s", "checkout", Sli.HttpLatency(1), Objective.Percent(99m), TimeSpan.FromDays(30)),
        "http-availability" => new("http-availability", "checkout", Sli.HttpAvailability(), Objective.Percent(99.5m), TimeSpan.FromDays(30)),
        "custom-tiers" => new("custom", "checkout", Sli.HttpAvailability(), Objective.Percent(99.9m), TimeSpan.FromDays(30),
            [new BurnRateTier(AlertSeverity.Page, 0.05m, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10))]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Fact]
    public void Generate_OneSlo_PassesPromtoolCheckRulesLintFatal()
        => Promtool.CheckRules(SloRules.Generate([Availability()]));

    [Fact]
    public void Generate_ManySlos_PassesPromtoolCheckRulesLintFatal()
        => Promtool.CheckRules(SloRules.Generate(KindNames.Select(Slo)));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GenerateTests_EverySliForm_PromtoolTestRulesPasses(string kind)
    {
        ServiceLevelObjective slo = Slo(kind);

        Promtool.TestRules(SloRules.Generate([slo]), SloRules.GenerateTests(slo));
    }

    [Fact]
    public void GenerateTests_AWrongExpectation_PromtoolFails()
    {
        ServiceLevelObjective slo = Availability();
        string tests = SloRules.GenerateTests(slo);
        string broken = tests.Replace("windows: \"[6h/30m]\"", "windows: \"[1h/5m][6h/30m]\"", StringComparison.Ordinal);
        Assert.NotEqual(tests, broken);
        string directory = Directory.CreateTempSubdirectory("musubi-rule-tests-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "rules.yml"), SloRules.Generate([slo]));
            File.WriteAllText(Path.Combine(directory, "tests.yml"), broken);

            (int exitCode, string output) = Promtool.Run(directory, "test", "rules", "tests.yml");

            Assert.True(exitCode != 0, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Generate_GermanAndArabicCultures_ByteIdentical()
    {
        ServiceLevelObjective[] slos = [.. KindNames.Select(Slo)];
        string invariant = SloRules.Generate(slos) + SloRules.GenerateTests(slos[1]);
        foreach (string culture in new[] { "de-DE", "ar-SA", "fr-FR" })
        {
            using var scope = new CultureScope(culture);
            Assert.Equal(invariant, SloRules.Generate(slos) + SloRules.GenerateTests(slos[1]));
        }

        Assert.Contains("> 0.0144", invariant, StringComparison.Ordinal);
        Assert.Contains("> 0.01344", invariant, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Thresholds_AreFactorTimesBudgetExactly()
    {
        string rules = SloRules.Generate([Availability(days: 28)]);

        Assert.Contains("slo:sli_error:ratio_rate1h{slo=\"checkout-availability\"} > 0.01344", rules, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate6h{slo=\"checkout-availability\"} > 0.0056", rules, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate3d{slo=\"checkout-availability\"} > 0.0009333333333333333333333333", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("E-", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_LatencyThreshold_MatchesBothLeForms()
    {
        string rules = SloRules.Generate([Slo("latency-1s")]);

        Assert.Contains("le=~\"1|1\\\\.0\"", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_DuplicateIds_ThrowsNamingTheId()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SloRules.Generate([Availability("a"), Availability("a")]));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Equal("slos", error.ParamName);
    }

    [Fact]
    public void Generate_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => SloRules.Generate(null!));
        Assert.Throws<ArgumentException>(() => SloRules.Generate([]));
        Assert.Throws<ArgumentNullException>(() => SloRules.Generate([null!]));
        Assert.Throws<ArgumentNullException>(() => SloRules.GenerateTests(null!));
    }

    [Fact]
    public void Generate_EveryRule_CarriesServiceAndSloLabels()
    {
        string rules = SloRules.Generate([Availability()]);
        int rulesCount = rules.Split("\n      - ").Length - 1;

        Assert.Equal(rulesCount, rules.Split("          service: \"checkout\"").Length - 1);
        Assert.Equal(rulesCount, rules.Split("          slo: \"checkout-availability\"").Length - 1);
    }
}
