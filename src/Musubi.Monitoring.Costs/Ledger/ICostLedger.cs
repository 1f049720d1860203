namespace Musubi.Monitoring.Costs;

/// <summary>An append-only record of LLM usage and its cost.</summary>
/// <remarks>
/// Implementations are safe to call from many threads at once. Records are never updated or deleted through
/// this interface. Totals are always computed from the stored records, so they stay right across restarts
/// and whatever period is asked for.
/// </remarks>
public interface ICostLedger
{
    /// <summary>Appends a usage record with its cost and returns it with its sequence number and recorded-at time.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="cost">The usage's cost, from <see cref="CostCalculator.Calculate"/>.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> or <paramref name="cost"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default);

    /// <summary>Sums the records that match <paramref name="query"/> (its paging is ignored).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The exact total, counts and token sums.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The query is invalid (see <see cref="CostQuery.Validate"/>).</exception>
    /// <exception cref="OverflowException">A token sum exceeds <see cref="long.MaxValue"/> or the money sum exceeds <see cref="decimal.MaxValue"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default);

    /// <summary>Lists the records that match <paramref name="query"/>, oldest sequence first, one page at a time.</summary>
    /// <param name="query">The filters and paging.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The query is invalid (see <see cref="CostQuery.Validate"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default);
}
