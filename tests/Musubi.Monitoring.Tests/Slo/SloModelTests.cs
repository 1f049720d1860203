using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Tests.Slo;

public sealed class SloModelTests
{
    [Theory]
    [InlineData(30, "14.4", "6", "1")]
    [InlineData(28, "13.44", "5.6", "0.9333333333333333333333333333")]
    [InlineData(7, "3.36", "1.4", "0.2333333333333333333333333333")]
    public void Factor_SreWorkbookDefaults_FollowTheFormulaNotATable(int days, string page1h, string page6h, string ticket3d)
    {
        TimeSpan period = TimeSpan.FromDays(days);
        IReadOnlyList<BurnRateTier> tiers = BurnRateTier.SreWorkbookDefaults;

        Assert.Equal(decimal.Parse(page1h, System.Globalization.CultureInfo.InvariantCulture), tiers[0].Factor(period));
        Assert.Equal(decimal.Parse(page6h, System.Globalization.CultureInfo.InvariantCulture), tiers[1].Factor(period));
        Assert.Equal(decimal.Parse(ticket3d, System.Globalization.CultureInfo.InvariantCulture), tiers[2].Factor(period));
    }

    [Fact]
    public void Objective_PercentAndRatio_AreTheSameAndExact()
    {
        Assert.Equal(Objective.Ratio(0.999m), Objective.Percent(99.9m));
        Assert.Equal(0.001m, Objective.Percent(99.9m).ErrorBudget);
        Assert.Equal("99.9%", Objective.Percent(99.9m).ToString());
        using var culture = new CultureScope("de-DE");
        Assert.Equal("99.95%", Objective.Ratio(0.9995m).ToString());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.0001)]
    public void Objective_PercentOutOfRange_ThrowsNamingTheValue(double percent)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => Objective.Percent((decimal)percent));
        Assert.Equal("percent", error.ParamName);
        Assert.Equal((decimal)percent, error.ActualValue);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(99.9)]
    public void Objective_RatioOutOfRange_Throws(double ratio)
        => Assert.Equal("ratio", Assert.Throws<ArgumentOutOfRangeException>(() => Objective.Ratio((decimal)ratio)).ParamName);

    [Fact]
    public void Slo_UnsetObjective_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceLevelObjective("a", "s", Sli.HttpAvailability(), default, TimeSpan.FromDays(30)));

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("1starts-with-digit")]
    [InlineData("has space")]
    [InlineData("has\"quote")]
    public void Slo_BadId_ThrowsNamingIt(string id)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new ServiceLevelObjective(id, "s", Sli.HttpAvailability(), Objective.Percent(99m), TimeSpan.FromDays(30)));
        Assert.Equal("id", error.ParamName);
    }

    [Fact]
    public void Slo_PeriodShorterThanALongWindow_Throws()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ServiceLevelObjective("a", "s", Sli.HttpAvailability(), Objective.Percent(99m), TimeSpan.FromDays(2)));
        Assert.Contains("3d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tier_ShortWindowNotShorter_Throws()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new BurnRateTier(AlertSeverity.Page, 0.02m, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)));
        Assert.Equal("shortWindow", error.ParamName);
        Assert.Contains("1h", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    public void Tier_BudgetShareOutOfRange_Throws(double share)
        => Assert.Equal("budgetConsumed", Assert.Throws<ArgumentOutOfRangeException>(
            () => new BurnRateTier(AlertSeverity.Page, (decimal)share, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5))).ParamName);

    [Fact]
    public void BurnRate_IsErrorRatioOverBudget()
    {
        var slo = new ServiceLevelObjective("a", "s", Sli.HttpAvailability(), Objective.Percent(99.9m), TimeSpan.FromDays(30));

        Assert.Equal(14.4m, slo.BurnRate(0.0144m));
        Assert.Equal(0m, slo.BurnRate(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => slo.BurnRate(1.5m));
    }

    [Theory]
    [InlineData("orders.total")]
    [InlineData("1orders")]
    [InlineData("")]
    public void MetricSelector_BadName_ThrowsNamingIt(string name)
        => Assert.Equal("metric", Assert.Throws<ArgumentException>(() => new MetricSelector(name)).ParamName);

    [Fact]
    public void LabelMatcher_ValueIsEscapedInPromQL()
    {
        var matcher = new LabelMatcher("route", MatchOperator.Equal, "a\"b\\c\nd");

        Assert.Equal("route=\"a\\\"b\\\\c\\nd\"", matcher.ToString());
        Assert.Throws<ArgumentException>(() => new LabelMatcher("bad-name", MatchOperator.Equal, "x"));
    }
}
