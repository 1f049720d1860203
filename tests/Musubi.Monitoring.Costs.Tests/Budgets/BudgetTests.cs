namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetTests
{
    [Fact]
    public void Budget_Defaults_AreDocumentedValues()
    {
        var budget = new Budget("b", 1m, BudgetPeriod.Monthly);

        Assert.Equal("UTC", budget.TimeZoneId);
        Assert.Same(BudgetScope.Global, budget.Scope);
        Assert.Equal(0.8m, budget.WarningShare);
        Assert.False(budget.Enforce);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2.5")]
    public void Limit_ZeroOrLess_ThrowsNamingValue(string limit)
    {
        decimal value = decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Budget("b", value, BudgetPeriod.Daily));

        Assert.Contains(limit, ex.Message, StringComparison.Ordinal);
        Assert.Equal("Limit", ex.ParamName);
    }

    [Fact]
    public void TimeZoneId_Unknown_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Budget("b", 1m, BudgetPeriod.Daily) { TimeZoneId = "Mars/Olympus" });

        Assert.Contains("'Mars/Olympus'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void WarningShare_OutOfRange_ThrowsNamingValue(string share)
    {
        decimal value = decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Budget("b", 1m, BudgetPeriod.Daily) { WarningShare = value });

        Assert.Contains(share, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_InvalidLimit_Throws()
    {
        var budget = new Budget("b", 1m, BudgetPeriod.Daily);

        Assert.Throws<ArgumentOutOfRangeException>(() => budget with { Limit = 0m });
    }

    [Fact]
    public void Name_Blank_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Budget(" ", 1m, BudgetPeriod.Daily));
        Assert.Throws<ArgumentNullException>(() => new Budget(null!, 1m, BudgetPeriod.Daily));
        Assert.Throws<ArgumentNullException>(() => new Budget("b", 1m, null!));
    }

    [Fact]
    public void Matches_EachScope_UsesAttributionOrRequestModelOrdinally()
    {
        LlmUsage usage = new LlmUsage("openai", "gpt-4o", DateTimeOffset.UnixEpoch, 1, 1)
            with { Attribution = new UsageAttribution { User = "alice", Feature = "search" } };

        Assert.True(BudgetScope.Global.Matches(usage));
        Assert.True(BudgetScope.User("alice").Matches(usage));
        Assert.False(BudgetScope.User("Alice").Matches(usage));
        Assert.True(BudgetScope.Feature("search").Matches(usage));
        Assert.False(BudgetScope.Feature("chat").Matches(usage));
        Assert.True(BudgetScope.Model("gpt-4o").Matches(usage));
        Assert.False(BudgetScope.Model("GPT-4o").Matches(usage));
        Assert.False(BudgetScope.User("alice").Matches(new LlmUsage("openai", "gpt-4o", DateTimeOffset.UnixEpoch, 1, 1)));
    }

    [Fact]
    public void ToString_Scopes_AreKindAndValue()
    {
        Assert.Equal("global", BudgetScope.Global.ToString());
        Assert.Equal("user:alice", BudgetScope.User("alice").ToString());
        Assert.Equal("feature:search", BudgetScope.Feature("search").ToString());
        Assert.Equal("model:gpt-4o", BudgetScope.Model("gpt-4o").ToString());
    }

    [Fact]
    public void User_Blank_Throws()
    {
        Assert.Throws<ArgumentException>(() => BudgetScope.User(""));
        Assert.Throws<ArgumentNullException>(() => BudgetScope.Model(null!));
    }

    [Fact]
    public void Name_Blank_ExceptionNamesNameNotValue()
    {
        var blank = Assert.Throws<ArgumentException>(() => new Budget(" ", 1m, BudgetPeriod.Daily));
        var missing = Assert.Throws<ArgumentNullException>(() => new Budget(null!, 1m, BudgetPeriod.Daily));

        Assert.Equal("Name", blank.ParamName);
        Assert.Equal("Name", missing.ParamName);
    }

    [Fact]
    public void TimeZoneIdAndPeriod_BlankOrNull_ExceptionNamesTheProperty()
    {
        var zone = Assert.Throws<ArgumentException>(() => new Budget("b", 1m, BudgetPeriod.Daily) { TimeZoneId = "" });
        var period = Assert.Throws<ArgumentNullException>(() => new Budget("b", 1m, null!));
        var scope = Assert.Throws<ArgumentNullException>(() => new Budget("b", 1m, BudgetPeriod.Daily) { Scope = null! });

        Assert.Equal("TimeZoneId", zone.ParamName);
        Assert.Equal("Period", period.ParamName);
        Assert.Equal("Scope", scope.ParamName);
    }

    [Fact]
    public void ScopeFactories_Blank_ExceptionNamesTheArgumentNotValue()
    {
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => BudgetScope.User("")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => BudgetScope.Feature(" ")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => BudgetScope.Model(null!)).ParamName);
    }
}
