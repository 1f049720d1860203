using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetReadmeExampleTests
{
    private sealed class ConsoleLikeSink(List<string> lines) : IBudgetAlertSink
    {
        public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken)
        {
            lines.Add($"{alert.Kind}: {alert.Status.Budget.Name} {alert.Status.Share.ToString("P0", CultureInfo.InvariantCulture)}");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task ReadmeExample_MonthlyTokyoBudgetAndEnforcedUserBudget_WarnsAndRefuses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-07-20T03:00:00Z", CultureInfo.InvariantCulture));
        var alerts = new List<string>();
        IBudgetAlertSink mySink = new ConsoleLikeSink(alerts);

        // README example: begin
        Budget[] budgets =
        [
            new("team-monthly", 500m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" },  // warns at 80%, alerts at 100%
            new("alice-daily", 5m, BudgetPeriod.Daily) { Scope = BudgetScope.User("alice"), Enforce = true },
        ];
        var spend = new InMemoryBudgetSpend();                // or the cost ledger
        var monitor = new BudgetMonitor(budgets, spend, time, sinks: [mySink]);

        LlmUsage call = new LlmUsage("openai", "gpt-4o", time.GetUtcNow(), 1200, 300)
            with { Attribution = new UsageAttribution { User = "alice" } };
        spend.Add(call, 420m);                                // 84% of the monthly budget

        BudgetStatus team = await monitor.EvaluateAsync(budgets[0]);  // raises one Warning alert
        // team.PeriodEnd == 2026-07-31T15:00:00Z: August starts at midnight in Tokyo

        BudgetCheck check = await monitor.CheckAsync(call, estimatedCost: 0.02m);
        if (!check.IsAllowed)
        {
            Console.WriteLine(check.Reason);                  // budget 'alice-daily' (user:alice) has spent 420 of 5 USD ...
        }
        // README example: end

        Assert.Equal(BudgetState.Warning, team.State);
        Assert.Equal(DateTimeOffset.Parse("2026-07-31T15:00:00Z", CultureInfo.InvariantCulture), team.PeriodEnd);
        Assert.False(check.IsAllowed);
        Assert.StartsWith("budget 'alice-daily' (user:alice) has spent 420 of 5 USD", check.Reason, StringComparison.Ordinal);
        Assert.Equal(["Warning: team-monthly 84 %", "Exceeded: alice-daily 8,400 %"], alerts);
    }
}
