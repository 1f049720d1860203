namespace Musubi.Monitoring.Costs;

/// <summary>An <see cref="IBudgetSpend"/> that keeps the costs you add in memory, for tests and simple hosts.</summary>
/// <remarks>
/// Safe to use from several threads. Nothing is ever removed, so memory grows with every call; use a ledger for
/// long-running hosts.
/// </remarks>
public sealed class InMemoryBudgetSpend : IBudgetSpend
{
    private readonly Lock _lock = new();
    private readonly List<(LlmUsage Usage, decimal Cost)> _records = [];

    /// <summary>Records that <paramref name="usage"/> cost <paramref name="cost"/> US dollars, at <see cref="LlmUsage.Timestamp"/>.</summary>
    /// <param name="usage">The call.</param>
    /// <param name="cost">Its cost in US dollars; 0 or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cost"/> is negative; the message names the value.</exception>
    public void Add(LlmUsage usage, decimal cost)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (cost < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, $"cost {cost.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be 0 or more.");
        }

        lock (_lock)
        {
            _records.Add((usage, cost));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    public Task<decimal> GetSpendAsync(BudgetScope scope, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
        decimal total = 0m;
        lock (_lock)
        {
            foreach ((LlmUsage usage, decimal cost) in _records)
            {
                if (usage.Timestamp >= periodStart && usage.Timestamp < periodEnd && scope.Matches(usage))
                {
                    total += cost;
                }
            }
        }

        return Task.FromResult(total);
    }
}
