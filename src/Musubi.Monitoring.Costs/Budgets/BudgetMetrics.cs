using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Musubi.Monitoring.Costs;

/// <summary>Observable gauges of the last evaluated spend and the limit per budget.</summary>
internal sealed class BudgetMetrics
{
    public const string SpentName = "musubi.budget.spent";
    public const string LimitName = "musubi.budget.limit";
    public const string BudgetTag = "budget";
    public const string ScopeTag = "scope";

    private readonly ConcurrentDictionary<string, BudgetStatus> _last = new(StringComparer.Ordinal);

    public BudgetMetrics(Meter meter)
    {
        meter.CreateObservableGauge(SpentName, () => Observe(static s => s.Spent), unit: "USD", description: "Spend in the current budget period at the last evaluation.");
        meter.CreateObservableGauge(LimitName, () => Observe(static s => s.Limit), unit: "USD", description: "Budget limit per period.");
    }

    public void Record(BudgetStatus status) => _last[status.Budget.Name] = status;

    /// <summary>Forgets the budgets that are no longer monitored (deleted from the store), so their gauges stop.</summary>
    public void Retain(IReadOnlyCollection<Budget> budgets)
    {
        var names = new HashSet<string>(budgets.Select(static b => b.Name), StringComparer.Ordinal);
        foreach (string name in _last.Keys)
        {
            if (!names.Contains(name))
            {
                _last.TryRemove(name, out _);
            }
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<BudgetStatus, decimal> value)
    {
        foreach (BudgetStatus status in _last.Values)
        {
            yield return new Measurement<double>(
                (double)value(status),
                new KeyValuePair<string, object?>(BudgetTag, status.Budget.Name),
                new KeyValuePair<string, object?>(ScopeTag, status.Budget.Scope.ToString()));
        }
    }
}
