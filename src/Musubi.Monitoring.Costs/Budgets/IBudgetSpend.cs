namespace Musubi.Monitoring.Costs;

/// <summary>Where a <see cref="BudgetMonitor"/> reads how much has been spent; implemented by a cost ledger.</summary>
/// <remarks>Implementations are called concurrently and must be thread-safe.</remarks>
public interface IBudgetSpend
{
    /// <summary>The total cost in US dollars of the calls in <paramref name="scope"/> made in <c>[<paramref name="periodStart"/>, <paramref name="periodEnd"/>)</c>.</summary>
    /// <param name="scope">Which calls to count (see <see cref="BudgetScope.Matches"/>).</param>
    /// <param name="periodStart">The start, inclusive.</param>
    /// <param name="periodEnd">The end, exclusive.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spend; 0 when nothing was spent.</returns>
    public Task<decimal> GetSpendAsync(BudgetScope scope, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken);
}
