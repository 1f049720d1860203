namespace Musubi.Monitoring.Costs;

/// <summary>Prices usage with a <see cref="PricingCatalog"/> and appends it to an <see cref="ICostLedger"/>, in one call.</summary>
/// <remarks>
/// Thread-safe when the ledger is (both built-in ledgers are). Registered as a singleton by <c>AddCosts</c>, where each
/// record also asks for a budget evaluation soon (see <see cref="CostOptions.EvaluateBudgetsAfterRecord"/>).
/// </remarks>
public sealed class CostTracker
{
    private readonly ICostLedger _ledger;
    private readonly PricingCatalog _catalog;
    private readonly Action? _recorded;

    /// <summary>Initializes a tracker.</summary>
    /// <param name="ledger">Where records go.</param>
    /// <param name="catalog">The prices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ledger"/> or <paramref name="catalog"/> is <see langword="null"/>.</exception>
    public CostTracker(ICostLedger ledger, PricingCatalog catalog)
        : this(ledger, catalog, null)
    {
    }

    /// <summary>Initializes a tracker that calls <paramref name="recorded"/> after each append (it must be cheap and never throw).</summary>
    internal CostTracker(ICostLedger ledger, PricingCatalog catalog, Action? recorded)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(catalog);
        _ledger = ledger;
        _catalog = catalog;
        _recorded = recorded;
    }

    /// <summary>Calculates the cost of <paramref name="usage"/> and appends it to the ledger. Usage with no price is recorded as unpriced.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">The cost exceeds <see cref="decimal.MaxValue"/> (see <see cref="CostCalculator.Calculate"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CostRecord> RecordAsync(LlmUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Task<CostRecord> append = _ledger.AppendAsync(usage, CostCalculator.Calculate(usage, _catalog), cancellationToken);
        return _recorded is null ? append : ThenSignalAsync(append, _recorded);

        static async Task<CostRecord> ThenSignalAsync(Task<CostRecord> append, Action recorded)
        {
            CostRecord record = await append.ConfigureAwait(false);
            recorded();
            return record;
        }
    }
}
