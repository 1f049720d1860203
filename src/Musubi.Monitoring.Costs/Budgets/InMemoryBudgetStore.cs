namespace Musubi.Monitoring.Costs;

/// <summary>An <see cref="IBudgetStore"/> kept in memory; everything is lost when the process ends.</summary>
/// <remarks>Thread-safe: every call takes a lock. Use the SQLite store (<c>UseSqlite</c>) to keep budgets and alert state across restarts.</remarks>
public sealed class InMemoryBudgetStore : IBudgetStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BudgetAlertState> _alerts = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Budget>> GetBudgetsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Budget>>([.. _budgets.Values]);
        }
    }

    /// <inheritdoc/>
    public Task<Budget?> GetBudgetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_budgets.GetValueOrDefault(name));
        }
    }

    /// <inheritdoc/>
    public Task<bool> UpsertBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            bool added = !_budgets.ContainsKey(budget.Name);
            _budgets[budget.Name] = budget;
            return Task.FromResult(added);
        }
    }

    /// <inheritdoc/>
    public Task<bool> DeleteBudgetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _alerts.Remove(name);
            return Task.FromResult(_budgets.Remove(name));
        }
    }

    /// <inheritdoc/>
    public Task<BudgetAlertState?> GetAlertStateAsync(string budgetName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_alerts.GetValueOrDefault(budgetName));
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryMarkAlertRaisedAsync(string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetName);
        BudgetStoreArguments.ThrowIfUndefined(kind);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            BudgetAlertState? next = BudgetAlertState.Mark(_alerts.GetValueOrDefault(budgetName), budgetName, periodStart, kind);
            if (next is null)
            {
                return Task.FromResult(false);
            }

            _alerts[budgetName] = next;
            return Task.FromResult(true);
        }
    }
}
