using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class LedgerBudgetSpendTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 20, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetSpendAsync_SumsThePricedRecordsOfThePeriodThatTheScopeMatches()
    {
        var ledger = new InMemoryCostLedger(new FakeTimeProvider(T0));
        PricingCatalog catalog = PricingCatalog.CreateDefault();
        async Task Record(string model, string? user, DateTimeOffset at, int input)
        {
            LlmUsage usage = new LlmUsage("openai", model, at, input, 0) with { Attribution = new UsageAttribution { User = user } };
            await ledger.AppendAsync(usage, CostCalculator.Calculate(usage, catalog));
        }

        await Record("gpt-4", "alice", T0, 1000);                 // $0.03
        await Record("gpt-4", "bob", T0.AddHours(1), 2000);       // $0.06
        await Record("gpt-4", "alice", T0.AddDays(20), 1000);     // next month in Tokyo
        await Record("mystery-model", "alice", T0, 5000);         // unpriced: adds nothing
        var spend = new LedgerBudgetSpend(ledger);
        var budget = new Budget("m", 100m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" };
        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(T0);

        Assert.Equal(0.09m, await spend.GetSpendAsync(BudgetScope.Global, start, end, default));
        Assert.Equal(0.03m, await spend.GetSpendAsync(BudgetScope.User("alice"), start, end, default));
        Assert.Equal(0.09m, await spend.GetSpendAsync(BudgetScope.Model("gpt-4"), start, end, default));
        Assert.Equal(0m, await spend.GetSpendAsync(BudgetScope.Feature("search"), start, end, default));
    }

    [Fact]
    public void Constructor_NullLedger_Throws() => Assert.Throws<ArgumentNullException>(() => new LedgerBudgetSpend(null!));
}
