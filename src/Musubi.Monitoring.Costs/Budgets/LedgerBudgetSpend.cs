namespace Musubi.Monitoring.Costs;

/// <summary>
/// Budget spend read from an <see cref="ICostLedger"/>: the exact sum of the priced records in the period that the
/// budget's scope matches (<see cref="BudgetScope.Matches"/>, so a model budget counts the request model, as the
/// budget's own check does). Unpriced records add nothing; the ledger reports them.
/// </summary>
/// <remarks>Thread-safe if the ledger is. Reads the period's records page by page.</remarks>
/// <param name="ledger">The ledger.</param>
public sealed class LedgerBudgetSpend(ICostLedger ledger) : IBudgetSpend
{
    private readonly ICostLedger _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));

    /// <inheritdoc/>
    public async Task<decimal> GetSpendAsync(BudgetScope scope, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var query = new CostQuery
        {
            From = periodStart,
            To = periodEnd,
            User = scope.Kind == BudgetScopeKind.User ? scope.Value : null,
            Feature = scope.Kind == BudgetScopeKind.Feature ? scope.Value : null,
            Take = CostQuery.MaxTake,
        };
        decimal spent = 0m;
        for (int skip = 0; ; skip += CostQuery.MaxTake)
        {
            CostPage page = await _ledger.ListAsync(query with { Skip = skip }, cancellationToken).ConfigureAwait(false);
            foreach (CostRecord record in page.Items)
            {
                if (record.Total is { } total && scope.Matches(record.Usage))
                {
                    spent += total;
                }
            }

            if (page.Items.Count < CostQuery.MaxTake)
            {
                return spent;
            }
        }
    }
}
